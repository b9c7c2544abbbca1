import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { readJsonl } from '../eval/questions.ts';
import { runBench, type BenchOptions, type BenchResult } from './run-bench.ts';
import { startBenchCluster, type BenchCluster } from './pg-cluster.ts';
import { dirBytes } from './measure.ts';
import { renderBenchChart } from './bench-chart.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEV_DIR = path.resolve(REPO_ROOT, '../shared/eval/realtimeqa');

/**
 * `npm run bench [-- --quick] [--sizes 10000,50000,100000] [--queries N] [--corpus F] [--questions F] [--out DIR] [--backend sqlite|postgres]`
 * Ingest throughput per stage, retrieval/ask latency at growing index sizes, memory, disk, index
 * save/load and cold start. Writes `latest.json` and `latency-memory.svg` (quick runs: `quick.*`).
 * `--backend postgres` runs the same measurements on SQLite and then on PostgreSQL (NEWSDESK_DATABASE_URL,
 * an empty scratch database; unset: a throwaway cluster started and stopped here) and writes both to
 * `backends.json` (quick: `quick.backends.json`), with keyword search in each store against the in-memory BM25.
 */
export async function benchCommand(args: string[], config: Config, logger: Logger): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: 'boolean' },
      sizes: { type: 'string' },
      queries: { type: 'string' },
      corpus: { type: 'string' },
      questions: { type: 'string' },
      out: { type: 'string' },
      'keep-data': { type: 'boolean' },
      backend: { type: 'string' },
    },
  });
  const backend = values.backend ?? 'sqlite';
  if (backend !== 'sqlite' && backend !== 'postgres') throw new UserError('usage', '--backend takes sqlite or postgres (postgres measures SQLite beside it).');
  const quick = values.quick ?? false;
  const corpus = path.resolve(values.corpus ?? path.join(DEV_DIR, 'corpus-dev.jsonl.gz'));
  const questionsFile = path.resolve(values.questions ?? path.join(DEV_DIR, 'questions-dev.jsonl.gz'));
  for (const [flag, f] of [
    ['--corpus', corpus],
    ['--questions', questionsFile],
  ] as const) {
    if (!fs.existsSync(f)) {
      throw new UserError(
        'not-found',
        `The benchmark corpus is missing: ${f} does not exist. The RealTime QA dev split is expected in ../shared/eval/realtimeqa/ next to the repository; pass ${flag} FILE to use another file.`,
      );
    }
  }
  const sizes = (values.sizes ?? (quick ? '1000,3000' : '10000,50000,100000')).split(',').map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 100))
    throw new UserError('bad-input', '--sizes takes chunk counts such as 10000,50000,100000 (each ≥ 100).');
  const queries = Number(values.queries ?? (quick ? 30 : 200));
  if (!Number.isInteger(queries) || queries < 5) throw new UserError('bad-input', '--queries takes a whole number ≥ 5.');
  const outDir = path.resolve(values.out ?? path.join(REPO_ROOT, 'bench/results'));

  const questions: Array<{ question: string; week: string }> = [];
  for await (const { value } of readJsonl(questionsFile)) {
    const o = value as Record<string, unknown>;
    if (typeof o.question === 'string' && typeof o.week === 'string') questions.push({ question: o.question, week: o.week });
  }
  const opts: BenchOptions = {
    corpus,
    questions,
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
    queries,
    maxArticles: quick ? 600 : undefined,
    config: { ...config, embedder: { kind: 'local', dim: config.embedder.kind === 'local' ? config.embedder.dim : 384 }, answerer: { kind: 'extractive' } },
    logger,
    repoRoot: REPO_ROOT,
    keepData: values['keep-data'] ?? false,
    progress: (line) => process.stderr.write(`[bench] ${line}\n`),
    databaseUrl: null,
  };
  if (backend === 'postgres') return benchBackends(opts, config, outDir, quick);
  const result = await runBench(opts);
  fs.mkdirSync(outDir, { recursive: true });
  const base = quick ? 'quick' : 'latest';
  const jsonPath = path.join(outDir, `${base}.json`);
  const svgPath = path.join(outDir, quick ? 'quick.svg' : 'latency-memory.svg');
  fs.writeFileSync(jsonPath, JSON.stringify(result, null, 2) + '\n');
  fs.writeFileSync(svgPath, renderBenchChart(result));
  process.stdout.write(formatSummary(result) + `\nwrote ${path.relative(process.cwd(), jsonPath)} and ${path.relative(process.cwd(), svgPath)}${os.EOL}`);
  return 0;
}

/** SQLite, then PostgreSQL, in one run: the same corpus, sizes and questions. */
async function benchBackends(opts: BenchOptions, config: Config, outDir: string, quick: boolean): Promise<number> {
  const say = opts.progress;
  say('SQLite');
  const sqlite = await runBench(opts);
  let cluster: BenchCluster | null = null;
  // Ctrl-C or a SIGTERM must not leave the cluster running (finally blocks do not run on a signal).
  const onSignal = (signal: NodeJS.Signals) => {
    cluster?.stop();
    cluster = null;
    process.kill(process.pid, signal);
  };
  let url = config.databaseUrl;
  let server: string;
  if (url) server = 'NEWSDESK_DATABASE_URL';
  else {
    say('starting a throwaway PostgreSQL cluster');
    cluster = await startBenchCluster();
    process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
    url = cluster.adminUrl;
    server = `throwaway cluster (${cluster.version}, default settings)`;
  }
  let postgres: BenchResult;
  try {
    say(`PostgreSQL: ${server}`);
    postgres = await runBench({ ...opts, databaseUrl: url, pgDataDir: cluster?.dataDir, pgEmptyBytes: cluster ? dirBytes(cluster.dataDir) : undefined });
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    cluster?.stop();
  }
  fs.mkdirSync(outDir, { recursive: true });
  const jsonPath = path.join(outDir, quick ? 'quick.backends.json' : 'backends.json');
  fs.writeFileSync(jsonPath, JSON.stringify({ postgres_server: server, sqlite, postgres }, null, 2) + '\n');
  process.stdout.write(
    `SQLite\n${formatSummary(sqlite)}\n\nPostgreSQL (${server})\n${formatSummary(postgres)}\nwrote ${path.relative(process.cwd(), jsonPath)}${os.EOL}`,
  );
  return 0;
}

function formatSummary(r: Awaited<ReturnType<typeof runBench>>): string {
  const lines = [
    `Machine: ${r.machine.cpu} × ${r.machine.cores}, ${r.machine.memory_gb} GB, ${r.machine.node}`,
    `Ingest: ${r.ingest.articles} articles, ${r.ingest.chunks} chunks in ${r.ingest.seconds} s → ${r.ingest.articles_per_s} articles/s, ${r.ingest.chunks_per_s} chunks/s`,
    `  per stage: ${Object.entries(r.ingest.stages)
      .map(([k, v]) => `${k} ${v.articles_per_s} articles/s${v.chunks_per_s === null ? '' : ` (${v.chunks_per_s} chunks/s)`}`)
      .join(', ')}`,
    '',
    '| chunks | retrieve p50/p95/p99 ms | ask p50/p95/p99 ms | RSS MB | disk B/chunk | mem B/chunk | index save/load ms | cold start ms |',
    '|---|---|---|---|---|---|---|---|',
    ...r.checkpoints.map(
      (c) =>
        `| ${c.chunks} | ${c.retrieve.hybrid.p50} / ${c.retrieve.hybrid.p95} / ${c.retrieve.hybrid.p99} | ${c.ask.p50} / ${c.ask.p95} / ${c.ask.p99} | ${c.rss_mb} | ${c.bytes_per_chunk_disk} | ${c.bytes_per_chunk_memory ?? '—'} | ${c.index_save_ms} / ${c.index_load_ms ?? '—'} | ${c.cold_start_ms} |`,
    ),
    '',
    `Peak RSS: ${r.peak_rss_mb} MB`,
  ];
  const last = r.checkpoints[r.checkpoints.length - 1];
  if (last) {
    lines.push(
      `Bot process at ${last.chunks} chunks: open ${last.open_ms ?? '—'} ms + keyword warm-up ${last.warm_up_ms ?? '—'} ms, RSS ${last.probe_warm_rss_mb ?? '—'} MB`,
    );
    if (last.cold_start_empty_cache_ms != null) lines.push(`New machine (no HNSW cache), process start to ready: ${last.cold_start_empty_cache_ms} ms`);
    const k = last.keyword;
    if (k) {
      lines.push(
        `Keyword search, ${k.questions} questions: store p50/p95 ${k.store_search.p50}/${k.store_search.p95} ms; in-memory BM25 ${k.memory_search.p50}/${k.memory_search.p95} ms (built in ${k.memory_build_ms} ms); overlap@10 ${k.overlap_at_10}, same top 1 ${k.same_top1}`,
      );
    }
  }
  return lines.join('\n');
}
