import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import type { ArticleAdded } from '../../src/indexing/corpus.ts';
import { openTestCore, tempDir } from '../helpers/test-core.ts';
import { probeStore } from '../helpers/store.ts';
import { dropTemplate, freshStore, STORE_ADAPTERS, type AdapterName, type StoreTarget } from '../helpers/store-adapters.ts';

const open: App[] = [];
const dirs: string[] = [];
const stores: StoreTarget[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close().catch(() => {});
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  for (const t of stores.splice(0)) await t.cleanup();
});
afterAll(() => dropTemplate());

/** The same tests on both store adapters (SQLite in the data dir, or a fresh PostgreSQL database). */
let adapter: AdapterName = 'sqlite';

async function app(): Promise<App> {
  const target = await freshStore(adapter);
  stores.push(target);
  const a = await openTestCore({ NEWSDESK_LOCAL_DIM: '64', ...target.env });
  open.push(a);
  return a;
}

function jsonl(rows: object[]): string {
  const dir = tempDir();
  dirs.push(dir);
  const file = path.join(dir, 'articles.jsonl');
  fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
}

/** ~100 words built from the topic's own words, so two topics never look like copies of one story. */
const body = (topic: string, extra = '') => {
  const words = topic.split(' ');
  return (
    Array.from({ length: 8 }, (_, i) => Array.from({ length: 12 }, (_, j) => `${words[(i + j) % words.length]}${(i * 12 + j) % 7}`).join(' ') + '.').join(' ') +
    (extra ? ` ${extra}` : '')
  );
};

describe.each(STORE_ADAPTERS)('the corpus write path on $name', ({ name, available }) => {
  beforeEach((ctx) => {
    if (!available) ctx.skip();
    adapter = name;
  });

  it('tells listeners about each new, updated and alternate article once, after it is searchable', async () => {
    const a = await app();
    const seen: Array<ArticleAdded & { searchable: boolean }> = [];
    const stop = a.onArticleAdded((e) => seen.push({ ...e, searchable: a.index.size() > 0 }));
    const first = jsonl([
      { url: 'https://a.example/ferry', title: 'Ferry tolls rise', text: body('ferry tolls lorry quay freight'), published: '2024-05-01', source: 'Alpha' },
    ]);
    await a.sources.addPath(first);
    await a.sources.addPath(first); // a re-import stores nothing new
    const copy = jsonl([
      { url: 'https://b.example/ferry-copy', title: 'Ferry tolls rise', text: body('ferry tolls lorry quay freight'), published: '2024-05-01', source: 'Beta' },
    ]);
    await a.sources.addPath(copy);
    expect(seen.map((e) => [e.kind, e.url, e.of !== undefined])).toEqual([
      ['added', 'https://a.example/ferry', false],
      ['alternate', 'https://b.example/ferry-copy', true],
    ]);
    expect(seen[0]).toMatchObject({ title: 'Ferry tolls rise', outlet: 'Alpha', published: '2024-05-01', searchable: true });
    expect(seen[1]!.of).toBe(seen[0]!.articleId);

    const update = jsonl([
      {
        url: 'https://a.example/ferry',
        title: 'Ferry tolls rise again',
        text: body('ferry tolls lorry quay freight', 'The toll doubles for every lorry on the morning ferry.'),
        published: '2024-05-02',
      },
    ]);
    await a.sources.addPath(update);
    expect(seen.at(-1)).toMatchObject({ kind: 'updated', articleId: seen[0]!.articleId });

    stop();
    await a.sources.addPath(
      jsonl([{ url: 'https://c.example/bridge', title: 'Bridge closes', text: body('bridge repairs girder bolts pivot'), published: '2024-05-03' }]),
    );
    expect(seen).toHaveLength(3);
  });

  it('keeps ingesting when a listener throws', async () => {
    const a = await app();
    a.onArticleAdded(() => {
      throw new Error('a broken subscriber');
    });
    const [r] = await a.sources.addPath(
      jsonl([{ url: 'https://c.example/bridge', title: 'Bridge closes', text: body('bridge repairs girder bolts pivot'), published: '2024-05-03' }]),
    );
    expect(r!.report.added).toBe(1);
    expect(a.stats()).toMatchObject({ articles: 1, index: { vectors: a.stats().chunks } });
  });

  it('removing a source clears the store, the vector index and the keyword index together', async () => {
    const a = await app();
    a.warmUp(); // the in-memory BM25 index must follow removals too
    const [kept] = await a.sources.addPath(
      jsonl([{ url: 'https://c.example/bridge', title: 'Bridge closes', text: body('bridge repairs girder bolts pivot') }]),
    );
    const [gone] = await a.sources.addPath(
      jsonl([{ url: 'https://d.example/harbour', title: 'Harbour dredging', text: body('harbour dredging silt basin barge') }]),
    );
    expect((await a.retriever.retrieve('harbour dredging silt', { k: 3, mode: 'bm25' })).length).toBeGreaterThan(0);
    const { removedArticles } = await a.sources.remove(gone!.source.id);
    expect(removedArticles).toBe(1);
    const store = probeStore(a);
    expect(store.value('SELECT count(*) FROM articles')).toBe(1);
    const keywordTable = store.dialect === 'sqlite' ? 'chunk_fts' : 'chunk_keywords';
    expect(store.value(`SELECT count(*) FROM ${keywordTable}`)).toBe(store.value('SELECT count(*) FROM chunks'));
    expect([...a.index.ids()].sort((x, y) => x - y)).toEqual(store.values('SELECT id FROM chunks ORDER BY id'));
    const hits = await a.retriever.retrieve('harbour dredging silt', { k: 3, mode: 'bm25' });
    expect(hits.map((h) => h.articleId)).toEqual([]);
    expect((await a.retriever.retrieve('bridge girder', { k: 3 })).map((h) => h.articleId)).toEqual(kept!.report.articleIds);
  });
});
