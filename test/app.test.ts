import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { SEED_DIR, SEED_QUESTION, openTestCore, tempDir, testConfig } from './helpers/test-core.ts';
import { probeStore } from './helpers/store.ts';

const open: App[] = [];
async function core(env: Record<string, string> = {}) {
  const c = await openTestCore(env);
  open.push(c);
  return c;
}
afterEach(async () => {
  for (const c of open.splice(0)) await c.close().catch(() => {});
});

function writeJsonl(dir: string, rows: object[]): string {
  const file = path.join(dir, 'articles.jsonl');
  fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
}

const story = (topic: string, extra = '') =>
  `${topic} dominated the agenda this week. Officials said the ${topic} plan would be reviewed by a panel of experts before the end of the month. ` +
  `Critics argued that the ${topic} proposal lacked detail, while supporters pointed to strong public backing. ${extra} ` +
  `The ministry is expected to publish a full report on ${topic} next quarter, according to people familiar with the matter.`;

describe('the Newsdesk app on the seed article', () => {
  it('answers the seed question with a citation to the MENAFN article of 2024-11-07', async () => {
    const nd = await core();
    await nd.sources.addPath(SEED_DIR);
    const r = await nd.ask(SEED_QUESTION);
    expect(r.grounded).toBe(true);
    expect(r.answer).toMatch(/ambassador/i);
    expect(r.answer).toMatch(/\[1\]/);
    expect(r.citations[0]).toMatchObject({ n: 1, source: 'MENAFN', published: '2024-11-07' });
    expect(r.citations[0]!.title).toMatch(/Russia expresses openness/);
    expect(r.timings_ms.retrieve).toBeGreaterThanOrEqual(0);
  });

  it('never stores the seed boilerplate in a chunk', async () => {
    const nd = await core();
    await nd.sources.addPath(SEED_DIR);
    const texts = probeStore(nd).rows<{ t: string }>(
      'SELECT substr(a.text, c.start + 1, c.end - c.start) AS t FROM chunks c JOIN articles a ON a.id = c.article_id',
    );
    expect(texts.length).toBeGreaterThan(0);
    for (const { t } of texts) {
      expect(t).not.toMatch(/MENAFN\d/);
      expect(t).not.toMatch(/Legal Disclaimer/);
    }
  });

  it('re-ingesting the same data is a no-op', async () => {
    const nd = await core();
    await nd.sources.addPath(SEED_DIR);
    const before = nd.stats();
    const [again] = await nd.sources.addPath(SEED_DIR);
    expect(again!.report.added).toBe(0);
    expect(again!.report.unchanged).toBe(1);
    expect(nd.stats()).toEqual(before);
    expect(before.index.vectors).toBe(before.chunks);
  });

  it('says the tracked news does not cover an unrelated question', async () => {
    const nd = await core();
    await nd.sources.addPath(SEED_DIR);
    const r = await nd.ask('Who won the basketball championship final?');
    expect(r.grounded).toBe(false);
    expect(r.citations).toEqual([]);
  });

  it('rejects an empty question with a clear error', async () => {
    const nd = await core();
    await expect(nd.ask('   ')).rejects.toThrow(/empty/);
  });
});

describe('scope and time', () => {
  it('hides articles published after the as-of date and honours since', async () => {
    const nd = await core();
    const dir = tempDir();
    const file = writeJsonl(dir, [
      {
        id: 'old',
        url: 'https://news.example/old',
        title: 'Tariff talks stall',
        text: story('tariff', 'The old deadline was March.'),
        published: '2024-01-10',
        source: 'example.com',
      },
      {
        id: 'new',
        url: 'https://news.example/new',
        title: 'Tariff talks resume',
        text: story('tariff', 'The new deadline is June.'),
        published: '2024-05-10',
        source: 'example.com',
      },
    ]);
    await nd.sources.addPath(file);
    const asOf = await nd.retriever.retrieve('tariff deadline', { asOf: '2024-02-01', k: 5 });
    expect(asOf.map((p) => p.title)).toEqual(['Tariff talks stall']);
    const since = await nd.retriever.retrieve('tariff deadline', { since: '2024-05-01', k: 5 });
    expect(since.map((p) => p.title)).toEqual(['Tariff talks resume']);
  });

  it('prefers the recent article when a question asks for the latest', async () => {
    const nd = await core();
    const file = writeJsonl(tempDir(), [
      { url: 'https://news.example/a', title: 'Budget vote delayed', text: story('budget', 'Lawmakers delayed the vote.'), published: '2024-03-01' },
      { url: 'https://news.example/b', title: 'Budget vote passes', text: story('budget', 'Lawmakers passed the vote.'), published: '2024-03-20' },
    ]);
    await nd.sources.addPath(file);
    const r = await nd.retriever.retrieve('What is the latest on the budget vote?', { asOf: '2024-03-21', k: 2 });
    expect(r[0]!.title).toBe('Budget vote passes');
  });

  it('keeps at most two passages per article', async () => {
    const nd = await core();
    const long = Array.from({ length: 12 }, (_, i) => story('pension', `Paragraph ${i}.`)).join('\n\n');
    const file = writeJsonl(tempDir(), [
      { url: 'https://news.example/long', title: 'Pension reform', text: long, published: '2024-03-01' },
      { url: 'https://news.example/short', title: 'Pension strike', text: story('pension', 'Unions plan a strike.'), published: '2024-03-02' },
    ]);
    await nd.sources.addPath(file);
    const r = await nd.retriever.retrieve('pension reform plan', { k: 5 });
    const perArticle = new Map<number, number>();
    for (const p of r) perArticle.set(p.articleId, (perArticle.get(p.articleId) ?? 0) + 1);
    for (const n of perArticle.values()) expect(n).toBeLessThanOrEqual(2);
    expect(perArticle.size).toBe(2);
  });

  it('a guild only sees its own and global sources', async () => {
    const nd = await core();
    const a = writeJsonl(tempDir(), [{ url: 'https://a.example/1', title: 'Harbour bridge reopens', text: story('harbour bridge'), published: '2024-03-01' }]);
    const [src] = await nd.sources.addPath(a);
    // Move the file source into guild A to simulate a guild-owned source.
    probeStore(nd).run('UPDATE sources SET guild_id = ? WHERE id = ?', 'guild-a', src!.source.id);
    const inA = await nd.ask('harbour bridge plan', { guildId: 'guild-a' });
    const inB = await nd.ask('harbour bridge plan', { guildId: 'guild-b' });
    expect(inA.grounded).toBe(true);
    expect(inB.grounded).toBe(false);
  });
});

describe('sources and recovery', () => {
  it('removing a source removes its articles from the store and the index', async () => {
    const nd = await core();
    const [seed] = await nd.sources.addPath(SEED_DIR);
    expect(nd.stats().chunks).toBeGreaterThan(0);
    await nd.sources.remove(seed!.source.id);
    expect(nd.stats()).toMatchObject({ articles: 0, chunks: 0, index: { vectors: 0 } });
    expect((await nd.ask(SEED_QUESTION)).grounded).toBe(false);
  });

  it('rebuilds a lost index from the store on start-up without re-embedding', async () => {
    const config = testConfig();
    const first = await openApp(config);
    await first.sources.addPath(SEED_DIR);
    const chunks = first.stats().chunks;
    await first.close();
    fs.rmSync(path.join(config.dataDir, 'index'), { recursive: true, force: true });
    const second = await openApp(config);
    open.push(second);
    expect(second.stats().index.vectors).toBe(chunks);
    expect((await second.ask(SEED_QUESTION)).grounded).toBe(true);
  });

  it('refuses to mix embedders and tells the user to reindex', async () => {
    const config = testConfig();
    const first = await openApp(config);
    await first.sources.addPath(SEED_DIR);
    await first.close();
    const other = loadConfig({ NEWSDESK_DATA_DIR: config.dataDir, NEWSDESK_LOCAL_DIM: '256', NEWSDESK_LOG_LEVEL: 'silent' });
    await expect(openApp(other)).rejects.toThrow(/reindex/);
    const re = await openApp(other, { allowEmbedderChange: true });
    const r = await re.reindex();
    expect(r.chunks).toBeGreaterThan(0);
    await re.close();
    const after = await openApp(other);
    open.push(after);
    expect(after.stats().index).toMatchObject({ dim: 256, vectors: r.chunks });
    expect((await after.ask(SEED_QUESTION)).grounded).toBe(true);
  });

  it('reports bad JSONL lines without losing the good ones', async () => {
    const nd = await core();
    const dir = tempDir();
    const file = path.join(dir, 'mixed.jsonl');
    fs.writeFileSync(
      file,
      [
        JSON.stringify({ url: 'https://x.example/1', title: 'Rail strike ends', text: story('rail strike') }),
        '{not json',
        JSON.stringify({ title: 'no text' }),
      ].join('\n'),
    );
    const [r] = await nd.sources.addPath(file);
    expect(r!.report.added).toBe(1);
    expect(r!.report.skipped.map((s) => s.reason)).toEqual(['not valid JSON', 'missing "text"']);
  });

  it('rejects unsupported files with an actionable message', async () => {
    const nd = await core();
    const file = path.join(tempDir(), 'data.csv');
    fs.writeFileSync(file, 'a,b');
    await expect(nd.sources.addPath(file)).rejects.toThrow(/Unsupported file type.*\.jsonl/);
  });
});

describe('the in-memory keyword index', () => {
  it('ranks like FTS5 and follows ingests and removals after warm-up', async () => {
    const nd = await core();
    const [seed] = await nd.sources.addPath(SEED_DIR);
    const before = await nd.retriever.retrieve(SEED_QUESTION, { mode: 'bm25', k: 3 });
    nd.warmUp();
    const after = await nd.retriever.retrieve(SEED_QUESTION, { mode: 'bm25', k: 3 });
    expect(after.map((p) => p.chunkId)).toEqual(before.map((p) => p.chunkId));

    const file = writeJsonl(tempDir(), [{ url: 'https://z.example/1', title: 'Glacier melt record', text: story('glacier melt') }]);
    await nd.sources.addPath(file);
    const glacier = await nd.retriever.retrieve('glacier melt record', { mode: 'bm25', k: 1 });
    expect(glacier[0]?.title).toBe('Glacier melt record');

    await nd.sources.remove(seed!.source.id);
    expect(await nd.retriever.retrieve(SEED_QUESTION, { mode: 'bm25', k: 3 })).toEqual([]);
  });
});
