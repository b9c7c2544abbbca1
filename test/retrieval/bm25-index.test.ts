import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { analyze, analyzeUnique } from '../../src/text/analyzer.ts';
import { createBm25Index } from '../../src/retrieval/bm25-index.ts';
import { loadBm25Index } from '../../src/retrieval/bm25-load.ts';
import { createKeywordRepo } from '../../src/db/keyword-repo.ts';
import { openStore } from '../../src/db/store.ts';
import { createKeywordSearch } from '../../src/retrieval/keyword-search.ts';
import type { App } from '../../src/app.ts';
import { SEED_DIR, SEED_QUESTION, openTestCore } from '../helpers/test-core.ts';

const words = (s: string) => s.split(' ').filter(Boolean);

/** Three chunks; "quake" is rare, "city" common. Title tokens are empty unless given. */
const CORPUS: Array<[number, string, string]> = [
  [10, '', 'city council quake city'],
  [20, '', 'city budget vote'],
  [30, '', 'city park opening ceremony held downtown today'],
];

function tinyIndex(corpus = CORPUS) {
  const idx = createBm25Index();
  for (const [id, title, body] of corpus) idx.add(id, words(title), words(body));
  return idx;
}

/** BM25 written out longhand: k1 1.2, b 0.75, FTS5 IDF, weighted tf 0.6·title + body, length of both fields. */
function handScore(corpus: Array<[number, string, string]>, id: number, terms: string[]): number {
  const docs = corpus.map(([cid, t, b]) => ({ cid, title: words(t), body: words(b) }));
  const avgdl = docs.reduce((s, d) => s + d.title.length + d.body.length, 0) / docs.length;
  const doc = docs.find((d) => d.cid === id)!;
  let score = 0;
  for (const term of terms) {
    const df = docs.filter((d) => d.title.includes(term) || d.body.includes(term)).length;
    const idf = Math.max(1e-6, Math.log((docs.length - df + 0.5) / (df + 0.5)));
    const f = 0.6 * doc.title.filter((w) => w === term).length + doc.body.filter((w) => w === term).length;
    const len = doc.title.length + doc.body.length;
    score += (idf * f * 2.2) / (f + 1.2 * (1 - 0.75 + (0.75 * len) / avgdl));
  }
  return score;
}

describe('createBm25Index', () => {
  it('scores like hand-computed BM25 on a tiny corpus', () => {
    const hits = tinyIndex().search(['quake', 'budget'], 10);
    // Both terms have df 1; the shorter chunk wins.
    expect(hits.map((h) => h.chunkId)).toEqual([20, 10]);
    for (const h of hits) expect(h.score).toBeCloseTo(handScore(CORPUS, h.chunkId, ['quake', 'budget']), 10);
  });

  it('ranks a chunk with a rare term above chunks with only a common one', () => {
    const corpus: Array<[number, string, string]> = [
      [1, '', 'city city city news'],
      [2, '', 'city news'],
      [3, '', 'city quake news'],
      [4, '', 'city report'],
      [5, '', 'weather report'],
    ];
    const hits = tinyIndex(corpus).search(['city', 'quake'], 10);
    expect(hits[0]!.chunkId).toBe(3);
    expect(hits.map((h) => h.chunkId).sort()).toEqual([1, 2, 3, 4]);
  });

  it('weights a title match at 0.6 of a body match', () => {
    const corpus: Array<[number, string, string]> = [
      [1, 'election', 'vote count result'],
      [2, '', 'election vote count'],
      [3, '', 'weather sunny warm'],
    ];
    const hits = tinyIndex(corpus).search(['election'], 10);
    expect(hits.map((h) => h.chunkId)).toEqual([2, 1]);
    expect(hits[1]!.score).toBeCloseTo(handScore(corpus, 1, ['election']), 10);
    expect(hits[0]!.score).toBeCloseTo(handScore(corpus, 2, ['election']), 10);
  });

  it('breaks ties by chunk id and honours the limit', () => {
    const idx = createBm25Index();
    for (const id of [7, 3, 5, 9]) idx.add(id, [], ['same', 'text']);
    idx.add(1, [], ['other']);
    expect(idx.search(['same'], 3).map((h) => h.chunkId)).toEqual([3, 5, 7]);
  });

  it('forgets removed chunks, updates document frequencies and survives compaction', () => {
    const idx = tinyIndex();
    idx.remove([10]);
    expect(idx.totalDocs()).toBe(2);
    expect(idx.search(['quake'], 10)).toEqual([]);
    const rest = CORPUS.filter(([id]) => id !== 10);
    const hit = idx.search(['budget'], 10)[0]!;
    expect(hit.chunkId).toBe(20);
    expect(hit.score).toBeCloseTo(handScore(rest, 20, ['budget']), 10);
    // 1 of 3 slots is a tombstone (> 20 %), so the index compacted; it keeps working and accepts adds.
    expect(idx.stats().tombstones).toBe(0);
    idx.add(40, ['quake'], ['quake', 'aftershock']);
    expect(idx.search(['quake', 'budget'], 10).map((h) => h.chunkId)).toEqual([40, 20]);
    idx.remove([12345]); // unknown ids are ignored
    expect(idx.totalDocs()).toBe(3);
  });

  it('matches FTS5 bm25(0.6, 1.0) scores, including split tokens and a replaced chunk', () => {
    const texts = [
      ['Storm hits coast', 'The storm hit the coast on Monday, and O’Brien said the damage was large.'],
      ['Budget vote', 'Parliament votes on the budget; the storm fund is part of the budget.'],
      ['Coast guard', 'The coast guard rescued fishermen after the storm.'],
      ['Markets', 'Shares fell as markets priced in storm damage and budget risk.'],
    ];
    const db = new Database(':memory:');
    db.exec("CREATE VIRTUAL TABLE chunk_fts USING fts5 (title, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')");
    db.exec("CREATE VIRTUAL TABLE chunk_fts_vocab USING fts5vocab (chunk_fts, 'row')");
    db.exec('CREATE TABLE chunks (id INTEGER PRIMARY KEY)');
    const idx = createBm25Index();
    texts.forEach(([title, body], i) => {
      db.prepare('INSERT INTO chunks (id) VALUES (?)').run(i + 1);
      db.prepare('INSERT INTO chunk_fts (rowid, title, body) VALUES (?, ?, ?)').run(i + 1, analyze(title!).join(' '), analyze(body!).join(' '));
      idx.add(i + 1, analyze(title!), analyze(body!));
    });
    idx.add(2, analyze(texts[1]![0]!), analyze(texts[1]![1]!)); // re-adding replaces
    const fts = createKeywordSearch(createKeywordRepo(db), () => texts.length);
    const loaded = loadBm25Index(createKeywordRepo(db));
    for (const q of ['storm damage', 'budget coast', 'coast guard storm']) {
      const terms = analyzeUnique(q);
      const want = fts.search(terms, 10);
      for (const got of [idx.search(terms, 10), loaded.search(terms, 10)]) {
        expect(got.map((h) => h.chunkId)).toEqual(want.map((h) => h.chunkId));
        for (const [i, h] of got.entries()) expect(h.score).toBeCloseTo(want[i]!.score, 6);
      }
    }
    expect(idx.search(analyze("O'Brien"), 10).map((h) => h.chunkId)).toEqual([1]);
    expect(loaded.search(analyze("O'Brien"), 10).map((h) => h.chunkId)).toEqual([1]);
    expect([...idx.idf(['storm', 'markets'])]).toEqual([...fts.idf(['storm', 'markets'])]);
    db.close();
  });
});

describe('loadBm25Index on a real store', () => {
  let core: App | undefined;
  afterEach(async () => {
    await core?.close();
    core = undefined;
  });

  it('ranks the seed question like the FTS5 keyword search', async () => {
    core = await openTestCore();
    await core.sources.addPath(SEED_DIR);
    // A second, read-only connection: the loader and the FTS5 search read the same tables the app wrote.
    const store = openStore(core.config.dataDir, { readonly: true });
    onTestFinished(() => store.close());
    const chunks = store.chunks.count();
    const idx = loadBm25Index(store.keyword);
    expect(idx.totalDocs()).toBe(chunks);
    const terms = analyzeUnique(SEED_QUESTION);
    const want = createKeywordSearch(store.keyword, () => chunks).search(terms, 10);
    const got = idx.search(terms, 10);
    expect(want.length).toBeGreaterThan(0);
    expect(got[0]!.chunkId).toBe(want[0]!.chunkId);
    expect(got.map((h) => h.chunkId)).toEqual(want.map((h) => h.chunkId));
  });
});
