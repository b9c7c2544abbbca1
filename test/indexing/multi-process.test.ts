import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHnswIndex } from '../../src/retrieval/hnsw-index.ts';
import { REPO_ROOT } from '../helpers/test-core.ts';
import { probeStore } from '../helpers/store.ts';
import { dropTemplate, freshStore, STORE_ADAPTERS, type StoreTarget } from '../helpers/store-adapters.ts';

/** Several real processes on one data dir: concurrent writers, read-only readers, a long-running follower. */

const BIN = path.join(REPO_ROOT, 'bin/newsdesk.js');
const dirs: string[] = [];
const children: ChildProcessWithoutNullStreams[] = [];

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-multi-'));
  dirs.push(d);
  return d;
}

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});
const stores: StoreTarget[] = [];
afterAll(async () => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  for (const t of stores.splice(0)) await t.cleanup();
  await dropTemplate();
});

/** The PostgreSQL database the processes share (the "several writers" tests run on both adapters); null: SQLite in the data dir. */
let databaseUrl: string | null = null;

function env(dataDir: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NEWSDESK_DATA_DIR: dataDir,
    NEWSDESK_LOG_LEVEL: 'warn',
    NEWSDESK_LOCAL_DIM: '128',
    ...(databaseUrl ? { NEWSDESK_DATABASE_URL: databaseUrl } : {}),
  };
}

const probe = (dataDir: string) => probeStore({ config: { dataDir, databaseUrl } });

function start(args: string[], dataDir: string): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: env(dataDir) });
  children.push(child);
  return child;
}

/** Runs a command to its end. */
function run(args: string[], dataDir: string): Promise<{ code: number | null; out: string; err: string }> {
  const child = start(args, dataDir);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  child.stdin.end();
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

/** A JSONL corpus of `n` distinct invented articles; `marker` names a fact only this corpus has. */
function writeCorpus(file: string, prefix: string, n: number, marker?: string): void {
  // mulberry32, seeded by the prefix: deterministic, and two prefixes give unrelated texts.
  let seed = [...prefix].reduce((a, c) => (Math.imul(a, 31) + c.charCodeAt(0)) | 0, 7);
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const syl = ['ka', 'lo', 'mir', 'ven', 'tho', 'rus', 'eld', 'quo', 'zan', 'pel', 'dri', 'sa', 'nor', 'ith', 'bel', 'gau'];
  const word = () => Array.from({ length: 3 }, () => syl[Math.floor(rand() * syl.length)]).join('');
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const sentences = Array.from({ length: 12 }, () => Array.from({ length: 11 }, word).join(' ') + '.');
    const text = i === 0 && marker ? `${marker}\n\n${sentences.join(' ')}` : sentences.join(' ');
    lines.push(
      JSON.stringify({ url: `https://${prefix}.example/${i}`, title: `${prefix} report ${i} ${word()}`, text, published: '2024-05-01', source: prefix }),
    );
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

function indexFiles(dataDir: string): Record<string, string> {
  const dir = path.join(dataDir, 'index');
  const out: Record<string, string> = {};
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const st = fs.statSync(path.join(dir, name));
    out[name] = `${st.size}:${st.mtimeMs}`;
  }
  return out;
}

async function savedVectors(dataDir: string): Promise<number> {
  const idx = await openHnswIndex({ dir: path.join(dataDir, 'index'), dim: 128, embedderId: 'local-hash-v1:128' });
  expect(idx.recovered).toBe(false);
  return idx.size();
}

describe.each(STORE_ADAPTERS)('one store, several writers on $name', ({ name, available }) => {
  beforeEach(async (ctx) => {
    if (!available) ctx.skip();
    databaseUrl = null;
    if (name === 'postgres') {
      const t = await freshStore('postgres');
      stores.push(t);
      databaseUrl = t.databaseUrl;
    }
  });
  afterAll(() => {
    databaseUrl = null;
  });

  it('two concurrent ingests on a fresh data dir both succeed, and the saved index holds every chunk', async () => {
    const dataDir = tempDir();
    const a = path.join(tempDir(), 'a.jsonl');
    const b = path.join(tempDir(), 'b.jsonl');
    writeCorpus(a, 'alpha', 60);
    writeCorpus(b, 'bravo', 60);
    const [ra, rb] = await Promise.all([run(['ingest', a], dataDir), run(['ingest', b], dataDir)]);
    expect(ra.code, ra.err).toBe(0);
    expect(rb.code, rb.err).toBe(0);
    expect(ra.out).toMatch(/60 added/);
    expect(rb.out, rb.out).toMatch(/60 added/);
    const articles = probe(dataDir).rows<{ n: number }>('SELECT count(*) AS n FROM articles')[0]!.n;
    const chunks = probe(dataDir).rows<{ n: number }>('SELECT count(*) AS n FROM chunks')[0]!.n;
    expect(articles).toBe(120);
    // The file on disk (not a reconciled copy in memory) has every vector.
    expect(await savedVectors(dataDir)).toBe(chunks);
  }, 120_000);

  it('a writer killed (SIGKILL) mid-ingest beside another loses nothing and duplicates nothing after a restart', async () => {
    const dataDir = tempDir();
    const a = path.join(tempDir(), 'a.jsonl');
    const b = path.join(tempDir(), 'b.jsonl');
    writeCorpus(a, 'echo', 300);
    writeCorpus(b, 'foxtrot', 60);
    const victim = start(['ingest', a], dataDir);
    victim.stdin.end();
    const other = run(['ingest', b], dataDir);
    const stored = (host: string) => {
      try {
        return probe(dataDir).rows<{ n: number }>('SELECT count(*) AS n FROM articles WHERE url LIKE ?', `https://${host}.example/%`)[0]!.n;
      } catch {
        return 0; // the store is not created yet
      }
    };
    // Kill the first writer once it is part-way through its corpus, while the second may be writing too.
    const deadline = Date.now() + 60_000;
    while (stored('echo') < 20 && Date.now() < deadline && victim.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    expect(victim.exitCode).toBeNull();
    victim.kill('SIGKILL');
    await new Promise((r) => victim.on('close', r));
    const partial = stored('echo');
    expect(partial).toBeGreaterThanOrEqual(20);
    expect(partial).toBeLessThan(300);

    const rb = await other;
    expect(rb.code, rb.err).toBe(0);
    expect(rb.out).toMatch(/60 added/);
    // The restart: the same ingest again takes up where the killed one stopped.
    const ra = await run(['ingest', a], dataDir);
    expect(ra.code, ra.err).toBe(0);
    const count = (sql: string) => probe(dataDir).rows<{ n: number }>(sql)[0]!.n;
    expect(count('SELECT count(*) AS n FROM articles')).toBe(360);
    expect(count('SELECT count(DISTINCT url) AS n FROM articles')).toBe(360);
    expect(count('SELECT count(*) AS n FROM (SELECT article_id, ord FROM chunks GROUP BY article_id, ord HAVING count(*) > 1) AS dup')).toBe(0);
    expect(await savedVectors(dataDir)).toBe(count('SELECT count(*) AS n FROM chunks'));
  }, 180_000);
});

describe('one data dir, several processes', () => {
  it('ask and stats never rewrite the index file, even when it is missing', async () => {
    const dataDir = tempDir();
    const a = path.join(tempDir(), 'a.jsonl');
    writeCorpus(a, 'charlie', 5, 'The Zorvath lighthouse keeper Ilsa Marrow retired on Tuesday after forty years on the rock.');
    expect((await run(['ingest', a], dataDir)).code).toBe(0);
    const before = indexFiles(dataDir);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['vectors.hnsw', 'vectors.json']));
    expect((await run(['ask', 'Who was the Zorvath lighthouse keeper?'], dataDir)).out).toContain('Ilsa Marrow');
    expect((await run(['stats', '--json'], dataDir)).code).toBe(0);
    expect(indexFiles(dataDir)).toEqual(before);

    fs.rmSync(path.join(dataDir, 'index'), { recursive: true });
    const r = await run(['ask', 'Who was the Zorvath lighthouse keeper?'], dataDir);
    expect(r.out).toContain('Ilsa Marrow'); // rebuilt in memory from the store…
    expect(indexFiles(dataDir)).toEqual({}); // …and not written
  }, 60_000);

  it('a running console chat answers from an article another process ingests, within seconds', async () => {
    const dataDir = tempDir();
    const chat = start(['start'], dataDir);
    let out = '';
    let err = '';
    chat.stdout.on('data', (d) => (out += d));
    chat.stderr.on('data', (d) => (err += d));
    const until = async (check: () => boolean, ms: number, what: string) => {
      const end = Date.now() + ms;
      while (!check()) {
        if (Date.now() > end || chat.exitCode !== null) throw new Error(`${what}; stderr: ${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await until(() => /console chat/.test(err), 30_000, 'the chat did not start');

    const question = 'Who was the Zorvath lighthouse keeper?';
    chat.stdin.write(question + '\n');
    await until(() => out.includes('\n\n'), 15_000, 'no first answer');
    expect(out).not.toContain('Ilsa Marrow');

    const a = path.join(tempDir(), 'a.jsonl');
    writeCorpus(a, 'delta', 5, 'The Zorvath lighthouse keeper Ilsa Marrow retired on Tuesday after forty years on the rock.');
    expect((await run(['ingest', a], dataDir)).code).toBe(0);

    // Ask again (the chat has not been restarted) until it has applied the other process's write.
    let answered = false;
    for (let attempt = 0; attempt < 40 && !answered; attempt++) {
      const seen = out.length;
      chat.stdin.write(question + '\n');
      await until(() => out.slice(seen).includes('\n\n'), 15_000, 'no answer');
      answered = out.slice(seen).includes('Ilsa Marrow');
      if (!answered) await new Promise((r) => setTimeout(r, 500));
    }
    expect(answered).toBe(true);
    chat.stdin.end();
    await new Promise((r) => chat.on('close', r));
  }, 90_000);
});
