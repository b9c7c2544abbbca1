/**
 * Measures, on a real PostgreSQL database, the two hand-offs between processes:
 * - take-over: the leader process is SIGKILLed; time until a standby (default 2 s retry) leads;
 * - freshness: another process commits an article; time until a warmed-up process has it in its
 *   in-memory index, with the catch-up timer set to 60 s so that only LISTEN/NOTIFY can bring it.
 *
 *   NEWSDESK_DATABASE_URL=postgres://…/empty_db node --import tsx bench/multi-process.ts [trials]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { openApp } from '../src/app.ts';
import { openPgLeadership } from '../src/db/pg-leadership.ts';
import { silentLogger } from '../src/logger.ts';

const url = process.env.NEWSDESK_DATABASE_URL;
if (!url) throw new Error('set NEWSDESK_DATABASE_URL to an empty database');
const trials = Number(process.argv[2] ?? 5);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-mp-bench-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
};

async function takeover(): Promise<number> {
  const script = `import { openPgLeadership } from './src/db/pg-leadership.ts';
    import { silentLogger } from './src/logger.ts';
    openPgLeadership(process.env.URL, { logger: silentLogger }).onChange((v) => v && console.log('leader'));
    setInterval(() => {}, 1000);`;
  const holder = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, URL: url } });
  let out = '';
  holder.stdout.on('data', (d) => (out += d));
  while (!out.includes('leader')) await sleep(10);
  const standby = openPgLeadership(url!, { logger: silentLogger });
  await sleep(500 + Math.random() * 2000); // kill at a random point of the standby's retry cycle
  const killed = performance.now();
  holder.kill('SIGKILL');
  while (!standby.isLeader()) await sleep(5);
  const ms = performance.now() - killed;
  await standby.stop();
  return ms;
}

async function freshness(): Promise<number[]> {
  const env = { NEWSDESK_DATABASE_URL: url!, NEWSDESK_SEED: 'false' };
  const reader = await openApp(loadConfig({ ...env, NEWSDESK_DATA_DIR: path.join(root, 'reader') }), { logger: silentLogger, followIntervalMs: 60_000 });
  reader.warmUp();
  const writer = await openApp(loadConfig({ ...env, NEWSDESK_DATA_DIR: path.join(root, 'writer') }), { logger: silentLogger });
  await sleep(500); // the reader's LISTEN connection is up
  const out: number[] = [];
  for (let i = 0; i < trials; i++) {
    const dir = path.join(root, `in-${i}`);
    fs.mkdirSync(dir);
    const words = Array.from({ length: 160 }, (_, j) => `word${i}x${j}`).join(' ');
    fs.writeFileSync(path.join(dir, `a${i}.md`), `# Article ${i}\n\n${words}\n`);
    const before = reader.index.size();
    let committed = 0;
    // Emitted right after the writer's transaction committed (and its own indexes have the article).
    const off = writer.onArticleAdded(() => (committed ||= performance.now()));
    const adding = writer.sources.addPath(dir);
    while (reader.index.size() === before) await new Promise((r) => setImmediate(r));
    const seen = performance.now();
    await adding;
    off();
    out.push(seen - committed);
  }
  await writer.close();
  await reader.close();
  return out;
}

const over: number[] = [];
for (let i = 0; i < trials; i++) over.push(await takeover());
const fresh = await freshness();
fs.rmSync(root, { recursive: true, force: true });
console.log(JSON.stringify({ takeoverMs: stats(over.map(Math.round)), notifyFreshnessMs: stats(fresh.map((x) => Math.round(x * 10) / 10)) }));
process.exit(0);
