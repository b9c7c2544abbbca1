import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { openApp, type App } from '../app.ts';
import { openHnswIndex } from '../retrieval/hnsw-index.ts';
import { readArticles } from '../ingest/file-importer.ts';
import type { IngestReport } from '../ingest/pipeline.ts';
import { readJsonl } from '../eval/questions.ts';
import { round, summarizeLatency, type LatencySummary } from '../eval/metrics.ts';
import { replicated, type CorpusRecord } from './replicate.ts';
import { dirBytes, machineInfo, MB, runTimed } from './measure.ts';

export interface BenchOptions {
  corpus: string;
  questions: Array<{ question: string; week: string }>;
  /** Chunk counts at which to measure, ascending. */
  sizes: number[];
  /** Questions timed per checkpoint. */
  queries: number;
  /** Use only the first N corpus articles before replication (quick runs). */
  maxArticles?: number;
  config: Config;
  logger: Logger;
  repoRoot: string;
  keepData: boolean;
  progress: (line: string) => void;
  /** The store: SQLite under a temp data dir (null), or this PostgreSQL database (empty; schema created). */
  databaseUrl: string | null;
  /** The PostgreSQL cluster's data directory when the bench started it: its growth is the store's disk use. */
  pgDataDir?: string;
  /** Its size before the run (an empty cluster: catalogs, the first WAL segment). */
  pgEmptyBytes?: number;
}

export interface Checkpoint {
  chunks: number;
  articles: number;
  queries: number;
  retrieve: { hybrid: LatencySummary; bm25: LatencySummary; dense: LatencySummary };
  ask: LatencySummary;
  rss_mb: number;
  heap_mb: number;
  peak_rss_mb: number;
  disk_bytes: { db: number; index: number; total: number };
  bytes_per_chunk_disk: number;
  /** (RSS of a fresh process with this store open − RSS with an empty store) / chunks. */
  bytes_per_chunk_memory: number | null;
  probe_rss_mb: number | null;
  /** Opening the engine in a fresh process (store, catalog, index load, reconcile). */
  open_ms: number | null;
  index_save_ms: number;
  index_load_ms: number;
  /** `node bin/newsdesk.js stats --json` on this data dir, spawn to exit. */
  cold_start_ms: number;
  /** In a fresh process: building the in-memory keyword index (`warmUp`, as the bot does at start). */
  warm_up_ms: number | null;
  /** RSS of that process after `warmUp` (what one bot process holds). */
  probe_warm_rss_mb: number | null;
  /**
   * Last checkpoint on PostgreSQL only: a process on a machine without the HNSW cache (an empty data
   * dir): open, rebuild the vector index from the stored vectors, warm up.
   */
  cold_start_empty_cache_ms?: number | null;
  /** Last checkpoint: keyword search in the store (FTS5 / tsvector) against the in-memory BM25. */
  keyword?: KeywordProbe | null;
}

export interface KeywordProbe {
  questions: number;
  chunks: number;
  store_search: LatencySummary;
  memory_search: LatencySummary;
  memory_build_ms: number;
  overlap_at_10: number;
  same_top1: number;
  compared: number;
}

interface ProbeResult {
  open_ms: number;
  warm_ms: number;
  rss: number;
  warm_rss: number;
  max_rss: number;
  chunks: number;
}

type StageName = 'chunk' | 'embed' | 'store' | 'index';

export async function runBench(o: BenchOptions) {
  const started = Date.now();
  const say = o.progress;
  const machine = machineInfo();

  // Parse stage, measured on the real importer: gunzip + JSON + field mapping.
  say(`parsing ${o.corpus}`);
  let t = performance.now();
  let parsed = 0;
  for await (const item of readArticles(o.corpus)) {
    if (item.kind === 'article') parsed++;
    if (o.maxArticles && parsed >= o.maxArticles) break;
  }
  const parseMs = performance.now() - t;
  const records: CorpusRecord[] = [];
  for await (const { value } of readJsonl(o.corpus)) {
    records.push(value as CorpusRecord);
    if (o.maxArticles && records.length >= o.maxArticles) break;
  }
  say(`${records.length} articles parsed in ${(parseMs / 1000).toFixed(1)} s`);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-bench-'));
  const dataDir = path.join(work, 'data');
  const sliceDir = path.join(work, 'slices');
  const emptyDir = path.join(work, 'empty');
  fs.mkdirSync(sliceDir, { recursive: true });
  const config: Config = { ...o.config, dataDir, databaseUrl: o.databaseUrl };
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    // Empty means unset: a SQLite run must not follow a NEWSDESK_DATABASE_URL in the environment.
    NEWSDESK_DATABASE_URL: o.databaseUrl ?? '',
    NEWSDESK_LOG_LEVEL: 'silent',
    NEWSDESK_EMBEDDER: 'local',
    NEWSDESK_ANSWERER: 'extractive',
    NEWSDESK_LOCAL_DIM: String(config.embedder.kind === 'local' ? config.embedder.dim : 384),
  };
  const probe = async (dir: string, timeoutMs?: number): Promise<ProbeResult | null> => {
    const r = await runTimed(
      process.execPath,
      ['--import', 'tsx', path.join(o.repoRoot, 'src/bench/memory-probe.ts'), dir, o.questions[0]?.question ?? 'news'],
      {
        env: childEnv,
        cwd: o.repoRoot,
        timeoutMs,
      },
    );
    if (r.code !== 0) {
      o.logger.warn('memory probe failed', { stderr: r.stderr.slice(-2000) });
      return null;
    }
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as ProbeResult;
  };
  // On PostgreSQL the empty probe opens the (still empty) database: the baseline of a process on it.
  const emptyProbe = await probe(emptyDir);
  if (o.databaseUrl && emptyProbe && emptyProbe.chunks > 0) {
    throw new Error(`bench: the PostgreSQL database already holds ${emptyProbe.chunks} chunks; point NEWSDESK_DATABASE_URL at an empty scratch database`);
  }

  const core = await openApp(config, { logger: o.logger });
  const totals = {
    added: 0,
    alternates: 0,
    unchanged: 0,
    skipped: 0,
    chunks: 0,
    wallMs: 0,
    timings: { chunk: 0, embed: 0, store: 0, index: 0 } as Record<StageName, number>,
  };
  const checkpoints: Checkpoint[] = [];
  try {
    const stream = replicated(records);
    let slice = 0;
    let stalled = 0;
    for (const size of o.sizes) {
      while (totals.chunks < size) {
        // The first slice is small, to learn the corpus's chunks per article before aiming at a size.
        const n = totals.added
          ? Math.min(2000, Math.max(20, Math.ceil(((size - totals.chunks) / (totals.chunks / totals.added)) * 1.02)))
          : Math.min(100, Math.ceil(size / 20));
        const file = path.join(sliceDir, `slice-${String(++slice).padStart(4, '0')}.jsonl`);
        const lines: string[] = [];
        for (let i = 0; i < n; i++) lines.push(JSON.stringify(stream.next().value));
        fs.writeFileSync(file, lines.join('\n') + '\n');
        t = performance.now();
        const [res] = await core.sources.addPath(file);
        totals.wallMs += performance.now() - t;
        fs.rmSync(file);
        if (res) addReport(totals, res.report);
        stalled = res && res.report.added > 0 ? 0 : stalled + 1;
        if (stalled >= 3) throw new Error('bench: three slices in a row added nothing (every copy was taken for a duplicate?)');
        say(`ingested ${totals.added} articles, ${totals.chunks} chunks (${(totals.wallMs / 1000).toFixed(1)} s; ${totals.alternates} near-duplicates)`);
      }
      say(`measuring at ${totals.chunks} chunks`);
      core.warmUp(); // built once; kept current by later ingests, as in a running bot
      const last = size === o.sizes[o.sizes.length - 1];
      checkpoints.push(await measure(core, o, config, totals, childEnv, probe, emptyProbe?.rss ?? null, last));
      const c = checkpoints[checkpoints.length - 1]!;
      say(
        `  retrieve p50/p95 ${c.retrieve.hybrid.p50}/${c.retrieve.hybrid.p95} ms, ask p95 ${c.ask.p95} ms, RSS ${c.rss_mb} MB, cold start ${Math.round(c.cold_start_ms)} ms`,
      );
    }
  } finally {
    await core.close();
    if (!o.keepData) fs.rmSync(work, { recursive: true, force: true });
    else say(`data kept in ${dataDir}`);
  }

  const seconds = totals.wallMs / 1000;
  const perStage = (ms: number) => ({ ms: Math.round(ms), articles_per_s: rate(totals.added, ms), chunks_per_s: rate(totals.chunks, ms) });
  const last = checkpoints[checkpoints.length - 1];
  return {
    machine,
    started_at: new Date(started).toISOString(),
    duration_s: round((Date.now() - started) / 1000, 1),
    corpus: path.basename(o.corpus),
    corpus_articles: records.length,
    replication: "copy n>0: new id and URL host, every third word rotated among the article's every-third words (same bag of words, all 3-gram shingles new)",
    embedder: `local-hash, ${config.embedder.kind === 'local' ? config.embedder.dim : 384}-d`,
    backend: o.databaseUrl ? 'postgres' : 'sqlite',
    ingest: {
      articles: totals.added,
      chunks: totals.chunks,
      near_duplicates: totals.alternates,
      skipped: totals.skipped,
      seconds: round(seconds, 1),
      articles_per_s: rate(totals.added, totals.wallMs),
      chunks_per_s: rate(totals.chunks, totals.wallMs),
      stages: {
        parse: { ms: Math.round(parseMs), articles_per_s: rate(parsed, parseMs), chunks_per_s: null },
        chunk: perStage(totals.timings.chunk),
        embed: perStage(totals.timings.embed),
        store: perStage(totals.timings.store),
        index: perStage(totals.timings.index),
      },
    },
    checkpoints,
    peak_rss_mb: round(process.resourceUsage().maxRSS / 1024, 1),
    targets: last
      ? {
          at_chunks: last.chunks,
          retrieve_p95_lt_20ms: last.retrieve.hybrid.p95 < 20,
          ask_p95_lt_100ms: last.ask.p95 < 100,
          ingest_ge_50_articles_per_s: rate(totals.added, totals.wallMs) >= 50,
        }
      : null,
  };
}

export type BenchResult = Awaited<ReturnType<typeof runBench>>;

function rate(count: number, ms: number): number {
  return ms > 0 ? round((count * 1000) / ms, 1) : 0;
}

function addReport(
  totals: { added: number; alternates: number; unchanged: number; skipped: number; chunks: number; timings: Record<StageName, number> },
  r: IngestReport,
) {
  totals.added += r.added + r.updated;
  totals.alternates += r.alternates;
  totals.unchanged += r.unchanged;
  totals.skipped += r.skipped.length;
  totals.chunks += r.chunks;
  for (const k of Object.keys(totals.timings) as StageName[]) totals.timings[k] += r.timings[k] ?? 0;
}

async function measure(
  core: App,
  o: BenchOptions,
  config: Config,
  totals: { added: number; chunks: number },
  childEnv: NodeJS.ProcessEnv,
  probe: (dir: string, timeoutMs?: number) => Promise<ProbeResult | null>,
  emptyRss: number | null,
  last: boolean,
): Promise<Checkpoint> {
  const indexDir = path.join(config.dataDir, 'index');
  await core.flush(); // index saved, WAL folded into the database file: the sizes below are the real ones
  let t = performance.now();
  const indexBytes = dirBytes(indexDir);
  // On PostgreSQL the data dir holds only the per-process HNSW cache; the store is the cluster's files.
  const totalBytes = dirBytes(config.dataDir) + (o.pgDataDir ? dirBytes(o.pgDataDir) - (o.pgEmptyBytes ?? 0) : 0);

  // Questions spread over the whole file, asked as of their week (as eval does).
  const step = Math.max(1, Math.floor(o.questions.length / o.queries));
  const sample = o.questions.filter((_, i) => i % step === 0).slice(0, o.queries);
  for (const q of sample.slice(0, 10)) await core.askExtractive(q.question, { k: 5, asOf: q.week }); // warm-up
  const timeAll = async (fn: (q: { question: string; week: string }) => Promise<unknown>) => {
    const ms: number[] = [];
    for (const q of sample) {
      const s = performance.now();
      await fn(q);
      ms.push(performance.now() - s);
    }
    return summarizeLatency(ms);
  };
  const retrieve = {
    hybrid: await timeAll((q) => core.retriever.retrieve(q.question, { k: 5, asOf: q.week, mode: 'hybrid' })),
    bm25: await timeAll((q) => core.retriever.retrieve(q.question, { k: 5, asOf: q.week, mode: 'bm25' })),
    dense: await timeAll((q) => core.retriever.retrieve(q.question, { k: 5, asOf: q.week, mode: 'dense' })),
  };
  const ask = await timeAll((q) => core.askExtractive(q.question, { k: 5, asOf: q.week }));
  const mem = process.memoryUsage();

  // Load and save time of the index, on a copy of its directory (the live index is already saved
  // and skips clean saves): load it, add one vector so it is dirty, save it.
  const copyDir = path.join(path.dirname(config.dataDir), 'index-copy');
  fs.rmSync(copyDir, { recursive: true, force: true });
  fs.cpSync(indexDir, copyDir, { recursive: true });
  const dim = config.embedder.kind === 'local' ? config.embedder.dim : 384;
  t = performance.now();
  let copy: Awaited<ReturnType<typeof openHnswIndex>> | null = await openHnswIndex({ dir: copyDir, dim, embedderId: core.embedderId });
  const loadMs = performance.now() - t;
  if (copy.size() !== core.index.size()) o.logger.warn('reloaded index size differs', { loaded: copy.size(), live: core.index.size() });
  copy.add([2 ** 31 - 1], [Array.from({ length: dim }, (_, i) => (i === 0 ? 1 : 0))]);
  t = performance.now();
  await copy.save();
  const saveMs = performance.now() - t;
  copy = null;
  fs.rmSync(copyDir, { recursive: true, force: true });

  const cold = await runTimed(process.execPath, [path.join(o.repoRoot, 'bin/newsdesk.js'), 'stats', '--json'], {
    env: { ...childEnv, NEWSDESK_DATA_DIR: config.dataDir },
    cwd: os.tmpdir(), // no stray .env
  });
  if (cold.code !== 0) o.logger.warn('cold start run failed', { stderr: cold.stderr.slice(-2000) });
  const p = await probe(config.dataDir);

  let emptyCache: number | null | undefined;
  let keyword: KeywordProbe | null | undefined;
  if (last) {
    if (o.databaseUrl) {
      // A second machine: same database, no HNSW cache yet (10 min: it rebuilds the index from the stored vectors).
      const fresh = fs.mkdtempSync(path.join(path.dirname(config.dataDir), 'fresh-cache-'));
      const t0 = performance.now();
      const q = await probe(fresh, 600_000);
      emptyCache = q ? round(performance.now() - t0, 1) : null;
      fs.rmSync(fresh, { recursive: true, force: true });
    }
    const k = await runTimed(
      process.execPath,
      ['--import', 'tsx', path.join(o.repoRoot, 'src/bench/keyword-probe.ts'), JSON.stringify(sample.map((q) => q.question))],
      {
        env: { ...childEnv, NEWSDESK_DATA_DIR: config.dataDir },
        cwd: o.repoRoot,
        timeoutMs: 600_000,
      },
    );
    if (k.code !== 0) o.logger.warn('keyword probe failed', { stderr: k.stderr.slice(-2000) });
    keyword = k.code === 0 ? (JSON.parse(k.stdout.trim().split('\n').pop()!) as KeywordProbe) : null;
  }

  const chunks = totals.chunks;
  return {
    chunks,
    articles: totals.added,
    queries: sample.length,
    retrieve,
    ask,
    rss_mb: round(mem.rss / MB, 1),
    heap_mb: round(mem.heapUsed / MB, 1),
    peak_rss_mb: round(process.resourceUsage().maxRSS / 1024, 1),
    disk_bytes: { db: totalBytes - indexBytes, index: indexBytes, total: totalBytes },
    bytes_per_chunk_disk: Math.round(totalBytes / chunks),
    bytes_per_chunk_memory: p && emptyRss !== null ? Math.round((p.rss - emptyRss) / chunks) : null,
    probe_rss_mb: p ? round(p.rss / MB, 1) : null,
    open_ms: p ? round(p.open_ms, 1) : null,
    index_save_ms: round(saveMs, 1),
    index_load_ms: round(loadMs, 1),
    cold_start_ms: round(cold.ms, 1),
    warm_up_ms: p ? round(p.warm_ms, 1) : null,
    probe_warm_rss_mb: p ? round(p.warm_rss / MB, 1) : null,
    ...(emptyCache === undefined ? {} : { cold_start_empty_cache_ms: emptyCache }),
    ...(keyword === undefined ? {} : { keyword }),
  };
}
