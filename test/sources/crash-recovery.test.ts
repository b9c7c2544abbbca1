import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openApp } from '../../src/app.ts';
import { REPO_ROOT, sleep, tempDir } from './support.ts';
import { probeStore } from '../helpers/store.ts';

/**
 * "Nothing lost": a large ingest is SIGKILLed part-way; after a restart every stored article is there
 * once, no chunk is orphaned, the index agrees with the store, search works, and re-running the
 * ingest completes the set exactly once.
 */

const TOTAL = 2000;
const BIN = path.join(REPO_ROOT, 'bin/newsdesk.js');

/** Deterministic pseudo-random numbers (mulberry32), so the corpus is the same on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** ~3,000 invented words from syllables: a vocabulary wide enough that no two articles look alike. */
function vocabulary(rand: () => number): string[] {
  const onsets = ['b', 'br', 'd', 'dr', 'f', 'g', 'gr', 'h', 'k', 'kl', 'l', 'm', 'n', 'p', 'pr', 'r', 's', 'st', 't', 'tr', 'v', 'w', 'z'];
  const vowels = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ou'];
  const codas = ['', 'n', 'r', 'l', 'st', 'nd', 'k', 'm', 'th', 'sh'];
  const words = new Set<string>();
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  while (words.size < 3000) {
    const syllables = 2 + Math.floor(rand() * 2);
    let w = '';
    for (let i = 0; i < syllables; i++) w += pick(onsets) + pick(vowels) + pick(codas);
    words.add(w);
  }
  return [...words];
}

function writeCorpus(file: string): void {
  const rand = rng(20240601);
  const vocab = vocabulary(rand);
  const word = () => vocab[Math.floor(rand() * vocab.length)]!;
  const sentence = () => {
    const n = 10 + Math.floor(rand() * 5);
    const ws = Array.from({ length: n }, word);
    ws[0] = ws[0]![0]!.toUpperCase() + ws[0]!.slice(1);
    return ws.join(' ') + '.';
  };
  const out: string[] = [];
  for (let i = 1; i <= TOTAL; i++) {
    // ~90 words: one chunk each, and enough words for a simhash.
    const paragraphs = Array.from({ length: 2 }, () => Array.from({ length: 4 }, sentence).join(' '));
    const day = String(1 + (i % 28)).padStart(2, '0');
    out.push(
      JSON.stringify({
        url: `https://archive.example/bulletins/${i}`,
        title: `Bulletin ${i}: ${word()} ${word()} ${word()}`,
        text: paragraphs.join('\n\n'),
        published: `2024-05-${day}`,
        source: 'Archive Example',
      }),
    );
  }
  fs.writeFileSync(file, out.join('\n') + '\n');
}

function cli(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

async function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = cli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  return { code, stdout, stderr };
}

/** Articles committed so far, read from the side (WAL lets a reader in while the writer works). */
function storedArticles(dataDir: string): number {
  try {
    return probeStore(dataDir).value('SELECT count(*) FROM articles');
  } catch {
    return 0; // no store file or schema yet
  }
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

describe('crash recovery', () => {
  it('survives SIGKILL mid-ingest: every article once, no orphan chunks, index = chunks, re-run completes', async () => {
    const dir = tempDir('newsdesk-crash-');
    const dataDir = path.join(dir, 'data');
    const corpus = path.join(dir, 'bulletins.jsonl');
    writeCorpus(corpus);
    const env = {
      ...process.env,
      NEWSDESK_DATA_DIR: dataDir,
      NEWSDESK_LOG_LEVEL: 'silent',
      NEWSDESK_EMBEDDER: 'local',
      NEWSDESK_LOCAL_DIM: '128',
      NEWSDESK_FETCH_ALLOWLIST: '127.0.0.1',
    };

    // 1. Start the ingest and kill it once some, but not all, articles are committed.
    const child = cli(['ingest', corpus], env);
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let seen = 0;
    const deadline = Date.now() + 20_000;
    while (seen < 100 && child.exitCode === null && Date.now() < deadline) {
      await sleep(15);
      seen = storedArticles(dataDir);
    }
    expect(child.exitCode, `ingest ended before it could be killed: ${stderr}`).toBeNull();
    child.kill('SIGKILL');
    await exited;
    expect(child.signalCode).toBe('SIGKILL');

    // 2. Restart through the CLI: the core reconciles the index with the store at start-up.
    const stats1 = await run(['stats', '--json'], env);
    expect(stats1.code, stats1.stderr).toBe(0);
    const s1 = JSON.parse(stats1.stdout) as { articles: number; chunks: number; index: { vectors: number } };
    expect(s1.articles).toBeGreaterThanOrEqual(seen);
    expect(s1.articles).toBeLessThan(TOTAL);
    expect(s1.index.vectors).toBe(s1.chunks);

    // 3. …and in-process: the store is consistent and search works.
    const config = loadConfig({ NEWSDESK_DATA_DIR: dataDir, NEWSDESK_LOG_LEVEL: 'silent', NEWSDESK_LOCAL_DIM: '128' });
    const core = await openApp(config);
    try {
      const store = probeStore(dataDir);
      const one = (sql: string) => store.value(sql);
      expect(one('SELECT count(*) FROM (SELECT url FROM articles GROUP BY url HAVING count(*) > 1)')).toBe(0);
      expect(one('SELECT count(*) FROM (SELECT content_hash FROM articles GROUP BY content_hash HAVING count(*) > 1)')).toBe(0);
      expect(one('SELECT count(*) FROM chunks WHERE article_id NOT IN (SELECT id FROM articles)')).toBe(0);
      expect(one('SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM chunks c WHERE c.article_id = a.id)')).toBe(0);
      expect(one('SELECT count(*) FROM chunk_fts')).toBe(one('SELECT count(*) FROM chunks'));
      const chunkIds = store.values('SELECT id FROM chunks ORDER BY id');
      expect([...core.index.ids()].sort((a, b) => a - b)).toEqual(chunkIds);
      const stats = core.stats();
      expect(stats.index.vectors).toBe(stats.chunks);

      const probe = store.row<{ id: number; title: string; text: string }>('SELECT id, title, text FROM articles ORDER BY id DESC LIMIT 1')!;
      const hits = await core.search(probe.text.split('\n\n')[1]!.slice(0, 200), { kind: 'all' }, { k: 5 });
      expect(hits.map((h) => h.id)).toContain(probe.id);
    } finally {
      await core.close();
    }

    // 4. Re-running the ingest completes the corpus: each article exactly once.
    const rerun = await run(['ingest', '--json', corpus], env);
    expect(rerun.code, rerun.stderr).toBe(0);
    const [line] = JSON.parse(rerun.stdout) as Array<{ added: number; unchanged: number }>;
    expect(line!.added + line!.unchanged).toBe(TOTAL);
    expect(line!.added).toBe(TOTAL - s1.articles);
    const after = await openApp(config);
    try {
      const s2 = after.stats();
      expect(s2.articles).toBe(TOTAL);
      expect(s2.index.vectors).toBe(s2.chunks);
      expect(probeStore(dataDir).value('SELECT count(DISTINCT url) FROM articles')).toBe(TOTAL);
    } finally {
      await after.close();
    }
  }, 60_000);
});
