/**
 * Child process for `npm run bench`: keyword search over the store's own index (SQLite: FTS5 bm25;
 * PostgreSQL: ts_rank over the tsvector column) against the in-memory BM25 built from the same
 * store, on the same questions. Opens the engine on the configured store (environment), times
 * `keyword.search` before and after `warmUp()` builds the in-memory index, and prints JSON: latency
 * of each path, the build time, and their agreement (overlap of the top 10).
 */
import { loadConfig } from '../config.ts';
import { openApp } from '../app.ts';
import { analyzeUnique } from '../text/analyzer.ts';
import { round, summarizeLatency } from '../eval/metrics.ts';

const [questionsJson] = process.argv.slice(2);
if (!questionsJson) throw new Error('usage: keyword-probe.ts QUESTIONS_JSON (an array of question strings)');
const questions = JSON.parse(questionsJson) as string[];
// The retriever asks for 4 × its 300 candidates; the same here, so the timing is the retriever's.
const LIMIT = 1200;

const core = await openApp(loadConfig(process.env));
try {
  const termsOf = questions.map((q) => analyzeUnique(q));
  const run = () => {
    const ms: number[] = [];
    const top: number[][] = [];
    for (const terms of termsOf) {
      const t = performance.now();
      const hits = core.keyword.search(terms, LIMIT);
      ms.push(performance.now() - t);
      top.push(hits.slice(0, 10).map((h) => h.chunkId));
    }
    return { ms, top };
  };
  run(); // warm-up: statement caches, the server's buffers
  const store = run();
  const t = performance.now();
  core.warmUp();
  const buildMs = performance.now() - t;
  if (!core.keyword.preloaded) throw new Error('warmUp did not build the in-memory keyword index');
  run();
  const memory = run();
  const overlaps: number[] = [];
  memory.top.forEach((mem, i) => {
    if (mem.length === 0) return;
    const inStore = new Set(store.top[i]);
    overlaps.push(mem.filter((id) => inStore.has(id)).length / mem.length);
  });
  const sameTop1 = memory.top.filter((mem, i) => mem.length > 0 && mem[0] === store.top[i]![0]).length;
  process.stdout.write(
    JSON.stringify({
      questions: questions.length,
      chunks: core.stats().chunks,
      store_search: summarizeLatency(store.ms),
      memory_search: summarizeLatency(memory.ms),
      memory_build_ms: round(buildMs, 1),
      overlap_at_10: round(overlaps.reduce((a, b) => a + b, 0) / Math.max(1, overlaps.length), 3),
      same_top1: round(sameTop1 / Math.max(1, overlaps.length), 3),
      compared: overlaps.length,
    }) + '\n',
  );
} finally {
  await core.close();
}
