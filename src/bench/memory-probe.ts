/**
 * Child process for `npm run bench`: opens the engine on a data dir (argv[2]), asks one question and
 * prints its resident memory as JSON. Run on an empty dir and on a built one, the difference is what
 * the store, index and caches cost in memory, free of the benchmark's own allocations. Then it
 * builds the in-memory keyword index (`warmUp`, as the bot does at start) and reports that too.
 */
import { loadConfig } from '../config.ts';
import { openApp } from '../app.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: memory-probe.ts DATA_DIR [question]');
const question = process.argv[3] ?? 'What happened this week?';
const t = performance.now();
const core = await openApp({ ...loadConfig({ ...process.env, NEWSDESK_DATA_DIR: dir }), dataDir: dir });
const openMs = performance.now() - t;
await core.askExtractive(question, { k: 5 });
const rss = process.memoryUsage().rss;
// Then as a bot starts: the in-memory keyword index built from the store.
const w = performance.now();
core.warmUp();
const warmMs = performance.now() - w;
await core.askExtractive(question, { k: 5 });
const warmRss = process.memoryUsage().rss;
const stats = core.stats();
await core.close();
process.stdout.write(
  JSON.stringify({ open_ms: openMs, warm_ms: warmMs, rss, warm_rss: warmRss, max_rss: process.resourceUsage().maxRSS * 1024, chunks: stats.chunks }) + '\n',
);
