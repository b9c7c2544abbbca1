/**
 * The storage port's contract: one suite, run against both adapters (SQLite and PostgreSQL). What a
 * repository returns must not depend on where the store lives.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { CHANGE_CHANNEL } from '../../src/db/change-log-repo.ts';
import { MIGRATIONS } from '../../src/db/migrations.ts';
import { PG_MIGRATIONS } from '../../src/db/pg/migrations.ts';
import { openStore, type Store } from '../../src/db/store.ts';
import { UserError } from '../../src/errors.ts';
import { loadBm25Index } from '../../src/retrieval/bm25-load.ts';
import { analyze, analyzeUnique } from '../../src/text/analyzer.ts';
import { hasPg } from '../helpers/pg-cluster.ts';
import { probeStore } from '../helpers/store.ts';
import { article, chunksOf } from '../helpers/store-fixtures.ts';
import { dropTemplate, freshStore, STORE_ADAPTERS, type StoreTarget } from '../helpers/store-adapters.ts';
import { REPO_ROOT } from '../helpers/test-core.ts';

describe.each(STORE_ADAPTERS)('the store on $name', ({ name, available }) => {
  let target: StoreTarget;
  let store: Store;

  beforeEach(async (ctx) => {
    if (!available) ctx.skip();
    target = await freshStore(name);
    store = target.open();
  });
  afterEach(async () => {
    store?.close();
    await target?.cleanup();
  });
  afterAll(() => dropTemplate());

  function addSource(guildId: string | null = null, url = 'https://news.example/feed') {
    return store.sources.upsert({ guildId, kind: 'feed', url, name: 'Example' });
  }

  it('reports its backend and the schema version of the last migration', () => {
    expect(store.backend.kind).toBe(name);
    expect(store.schema.version).toBe(MIGRATIONS.length);
    expect(PG_MIGRATIONS.length).toBe(MIGRATIONS.length);
    if (store.backend.kind === 'postgres') expect(store.backend.target).not.toMatch(/:[^/@]*@/);
  });

  it('stores an article with aliases, a source link, chunks with exact vectors, and finds it by URL, alias and hash', () => {
    const src = addSource();
    const a = article({ aliases: ['https://amp.news.example/storm'] });
    const { articleId, chunkIds } = store.transaction(() => store.articles.insert(a, chunksOf(a), src.id));
    expect(chunkIds).toHaveLength(2);
    expect(chunkIds[1]).toBeGreaterThan(chunkIds[0]!);

    for (const url of [a.url!, 'https://amp.news.example/storm']) {
      expect(store.articles.findByUrl(url)).toEqual({
        id: articleId,
        url: a.url,
        contentHash: a.contentHash,
        duplicateOf: null,
        fetchedFrom: a.fetchedFrom,
        ownerSourceId: src.id,
      });
    }
    expect(store.articles.findByHash(a.contentHash)?.id).toBe(articleId);
    expect(store.articles.findByUrl('https://elsewhere.example/')).toBeUndefined();
    expect(store.articles.summary(articleId)).toEqual({ id: articleId, title: a.title, url: a.url, outlet: a.outlet, published: a.published });
    expect(store.articles.articleText(articleId)).toBe(a.text);
    expect(store.articles.holders(articleId)).toEqual([null]);
    expect(store.articles.guildOfSource(src.id)).toBeNull();
    expect(store.articles.guildOfSource(9999)).toBeUndefined();
    expect(store.articles.count()).toBe(1);
    expect(store.sources.get(src.id)?.articleCount).toBe(1);

    const vectors = store.chunks.vectors(chunkIds);
    expect(vectors.map((v) => v.id)).toEqual(chunkIds);
    expect(Array.from(vectors[1]!.vector)).toEqual(Array.from(chunksOf(a)[1]!.embedding));
    expect(Array.from(store.chunks.vector(chunkIds[0]!)!)).toEqual(Array.from(chunksOf(a)[0]!.embedding));
    expect(store.chunks.vector(123456)).toBeUndefined();
    expect([...store.chunks.ids()]).toEqual(chunkIds);
    expect([...store.chunks.articlePairs()]).toEqual(chunkIds.map((id) => ({ id, articleId })));
    expect(store.chunks.count()).toBe(2);

    const [second, first] = store.chunks.getChunks([chunkIds[1]!, chunkIds[0]!]);
    expect(first).toEqual({
      chunkId: chunkIds[0],
      articleId,
      text: a.text.split('\n\n')[0],
      start: 0,
      end: a.text.indexOf('\n\n'),
      title: a.title,
      url: a.url,
      outlet: a.outlet,
      published: a.published,
    });
    expect(second!.text).toBe(a.text.split('\n\n')[1]);
    // A window widens to the neighbours: one verbatim span of the article.
    expect(store.chunks.getChunks([chunkIds[1]!], 1)[0]!.text).toBe(a.text);
    expect(store.chunks.spans().map((s) => [s.id, s.start, s.end, s.title])).toEqual(chunksOf(a).map((c, i) => [chunkIds[i], c.start, c.end, a.title]));
  });

  it('keeps the same analysed keyword rows: occurrences by title and body, document frequencies, and a keyword search', () => {
    const src = addSource();
    const a = article();
    const b = article({ url: 'https://news.example/budget', title: 'Budget vote', text: 'Parliament votes on the budget; the storm fund is in the budget.' });
    const { chunkIds: ca } = store.transaction(() => store.articles.insert(a, chunksOf(a), src.id));
    const { chunkIds: cb } = store.transaction(() => store.articles.insert(b, chunksOf(b), src.id));
    expect(store.keyword.chunkIdsAscending()).toEqual([...ca, ...cb]);

    const occ = new Map(
      [...store.keyword.termOccurrences()].map(([t, o]) => [
        t,
        o
          .split(',')
          .map(Number)
          .sort((x, y) => x - y),
      ]),
    );
    // "storm": in a's title (code chunk·2+1) and first body chunk (chunk·2), and b's body.
    expect(occ.get('storm')).toEqual([ca[0]! * 2, ca[0]! * 2 + 1, ca[1]! * 2 + 1, cb[0]! * 2].sort((x, y) => x - y));
    expect(occ.get('budget')).toEqual([cb[0]! * 2, cb[0]! * 2, cb[0]! * 2 + 1]);
    // "o’brien" is split at the apostrophe, as FTS5's tokenizer does.
    expect(analyze(a.text)).toContain("o'brien");
    expect(occ.get('brien')).toEqual([ca[0]! * 2]);
    expect(occ.has("o'brien")).toBe(false);

    expect(store.keyword.docFreq(['storm', 'budget', 'unknownterm'])).toEqual(
      new Map([
        ['storm', 3],
        ['budget', 1],
      ]),
    );
    const hits = store.keyword.search(['budget'], 10);
    expect(hits.map((h) => h.chunkId)).toEqual([cb[0]]);
    expect(hits[0]!.score).toBeGreaterThan(0);
    const storm = store.keyword.search(['storm', 'fishermen'], 10).map((h) => h.chunkId);
    expect(new Set(storm)).toEqual(new Set([...ca, ...cb]));
  });

  it('replaces an article in place: the old version is kept, new chunk ids are never reused, old keyword rows leave', () => {
    const src = addSource();
    const a = article();
    const { articleId, chunkIds } = store.transaction(() => store.articles.insert(a, chunksOf(a), src.id));
    const updated = article({ title: 'Storm update', text: 'Updated: the storm left.', contentHash: 'hash-2' });
    const r = store.transaction(() => store.articles.replace(articleId, updated, chunksOf(updated, 7), { sourceId: src.id }));
    expect(r.removedChunkIds).toEqual(chunkIds);
    expect(r.chunkIds).toHaveLength(1);
    expect(r.chunkIds[0]).toBeGreaterThan(Math.max(...chunkIds));
    expect(store.articles.articleText(articleId)).toBe(updated.text);
    expect(store.articles.findByHash('hash-2')?.id).toBe(articleId);
    expect(store.chunks.vectors(chunkIds)).toEqual([]);
    expect(store.keyword.chunkIdsAscending()).toEqual(r.chunkIds);
    expect([...store.keyword.termOccurrences()].flatMap(([, o]) => o.split(',').map((c) => Math.floor(Number(c) / 2)))).toEqual(
      expect.arrayContaining(r.chunkIds),
    );
    expect(new Set([...store.keyword.termOccurrences()].flatMap(([, o]) => o.split(',').map((c) => Math.floor(Number(c) / 2))))).toEqual(new Set(r.chunkIds));
    expect(store.keyword.docFreq(['fishermen'])).toEqual(new Map());
  });

  it('deletes orphans (and their chunks and keyword rows) once no source links to them; ids stay unused afterwards', () => {
    const keep = addSource(null, 'https://keep.example/feed');
    const drop = addSource('guild-1', 'https://drop.example/feed');
    const a = article({ url: 'https://drop.example/a' });
    const b = article({ url: 'https://keep.example/b' });
    const ra = store.transaction(() => store.articles.insert(a, chunksOf(a), drop.id));
    const rb = store.transaction(() => store.articles.insert(b, chunksOf(b), keep.id));
    const head = store.changes.head();
    store.sources.remove(drop.id);
    const removed = store.transaction(() => store.articles.deleteOrphans());
    expect(removed.sort((x, y) => x - y)).toEqual(ra.chunkIds);
    expect(store.articles.count()).toBe(1);
    expect(store.articles.findByUrl(a.url!)).toBeUndefined();
    expect(store.keyword.chunkIdsAscending()).toEqual(rb.chunkIds);
    expect(store.changes.since(head).map((c) => c.kind)).toEqual(['chunks', 'scope']);

    const c = article({ url: 'https://keep.example/c' });
    const rc = store.transaction(() => store.articles.insert(c, chunksOf(c), keep.id));
    expect(Math.min(...rc.chunkIds)).toBeGreaterThan(Math.max(...ra.chunkIds, ...rb.chunkIds));
    expect(rc.articleId).toBeGreaterThan(rb.articleId);
  });

  it('scopes what a guild sees: its own sources and the global ones, never another guild’s', () => {
    const global = addSource(null, 'https://global.example/feed');
    const g1 = addSource('g1', 'https://g1.example/feed');
    const g2 = addSource('g2', 'https://g2.example/feed');
    const ids = [global, g1, g2].map((s, i) => {
      const a = article({ url: `https://x.example/${i}`, contentHash: `h${i}` });
      return store.transaction(() => store.articles.insert(a, chunksOf(a), s.id)).articleId;
    });
    const [ag, a1, a2] = ids as [number, number, number];
    // A near-duplicate of the global story, carried only by g2.
    const dup = article({ url: 'https://x.example/dup', outlet: 'Other', contentHash: 'hdup' });
    store.transaction(() => store.articles.insert(dup, [], g2.id, ag));

    expect(store.articles.visibleThrough({ guildId: 'g1' })).toEqual([ag, a1]);
    expect(store.articles.visibleThrough({ guildId: null })).toEqual([ag]);
    expect(store.articles.visibleThrough({ sourceIds: [g2.id] })).toEqual([ag, a2]);
    expect(store.articles.visibleThrough({})).toEqual([ag, a1, a2]);
    expect(store.articles.alternates(ag).map((r) => r.outlet)).toEqual(['Other']);
    expect(store.articles.alternates(ag, 'g1')).toEqual([]);
    expect(store.articles.alternates(ag, 'g2').map((r) => r.url)).toEqual(['https://x.example/dup']);
    expect(store.articles.newest(10).map((r) => r.id)).toEqual([a2, a1, ag]);
    expect(store.articles.simhashes().map((r) => r.id)).toEqual([ag, a1, a2]);

    expect(store.stories.isVisible(a1, 'g1')).toBe(true);
    expect(store.stories.isVisible(a1, 'g2')).toBe(false);
    expect(store.stories.isVisible(ag, null)).toBe(true);
    expect(store.stories.storyMembers(ag, 'g2').map((m) => [m.id, m.storyId])).toEqual([
      [ag, ag],
      [ag + 3, ag],
    ]);
    expect(store.stories.storyMembers(ag, 'g1').map((m) => m.id)).toEqual([ag]);
    expect(store.stories.guildsOf(ag)).toEqual([null]);
    const story = store.stories.article(a1, 10)!;
    expect(story).toMatchObject({ id: a1, storyId: a1, lead: 'The storm ' });
    expect(typeof story.fetchedAt).toBe('string');
    expect(store.stories.newestPublished('g1')).toBe('2026-11-30');
  });

  it('keeps sources per scope, with typed fields that round-trip', () => {
    const a = store.sources.upsert({ guildId: 'g1', kind: 'feed', url: 'https://s.example/feed', name: 'S' });
    expect(store.sources.upsert({ guildId: 'g1', kind: 'feed', url: 'https://s.example/feed' }).id).toBe(a.id);
    const global = store.sources.upsert({ guildId: null, kind: 'page', url: 'https://s.example/feed' });
    expect(global.id).not.toBe(a.id);
    expect(store.sources.upsert({ guildId: null, kind: 'page', url: 'https://s.example/feed' }).id).toBe(global.id);
    expect(store.sources.find(null, 'https://s.example/feed')?.id).toBe(global.id);
    expect(store.sources.find('g2', 'https://s.example/feed')).toBeUndefined();

    store.sources.update(a.id, {
      enabled: false,
      pollIntervalMin: 0.1,
      consecutiveFailures: 3,
      lastError: 'HTTP 500',
      etag: '"e"',
      nextPollAt: '2026-12-02T06:00:00.000Z',
    });
    expect(store.sources.get(a.id)).toMatchObject({
      enabled: false,
      pollIntervalMin: 0.1,
      consecutiveFailures: 3,
      lastError: 'HTTP 500',
      etag: '"e"',
      nextPollAt: '2026-12-02T06:00:00.000Z',
      articleCount: 0,
    });
    store.sources.update(a.id, { enabled: true, pollIntervalMin: null });
    expect(store.sources.get(a.id)).toMatchObject({ enabled: true, pollIntervalMin: null });

    expect(store.sources.list().map((s) => s.id)).toEqual([a.id, global.id]);
    expect(store.sources.list({ kind: 'guild', guildId: 'g1' }).map((s) => s.id)).toEqual([a.id, global.id]);
    expect(store.sources.list({ kind: 'guild', guildId: 'g2' }).map((s) => s.id)).toEqual([global.id]);
    expect(store.sources.list({ kind: 'guild', guildId: null }).map((s) => s.id)).toEqual([global.id]);
    expect(store.sources.count()).toBe(2);
    store.sources.remove(a.id);
    expect(store.sources.get(a.id)).toBeUndefined();
  });

  it('keeps small settings in meta', () => {
    expect(store.meta.get('embedder')).toBeUndefined();
    store.meta.set('embedder', 'local-384');
    store.meta.set('embedder', 'openai-1536');
    expect(store.meta.get('embedder')).toBe('openai-1536');
  });

  it('appends to the change log in the write transaction, reads it in order, and prunes it', () => {
    const src = addSource();
    expect(store.changes.head()).toBe(0);
    expect(store.changes.tail()).toBe(0);
    const a = article();
    const { articleId, chunkIds } = store.transaction(() => store.articles.insert(a, chunksOf(a), src.id));
    store.transaction(() => store.changes.record('reload'));
    store.transaction(() => store.changes.record('chunks', {})); // nothing changed: not recorded
    const log = store.changes.since(0);
    expect(log.map((c) => ({ ...c, seq: typeof c.seq }))).toEqual([
      { seq: 'number', writer: store.writer, kind: 'chunks', articleId, added: chunkIds, removed: [] },
      { seq: 'number', writer: store.writer, kind: 'reload', articleId: null, added: [], removed: [] },
    ]);
    expect(log[1]!.seq).toBeGreaterThan(log[0]!.seq);
    expect(store.changes.head()).toBe(log[1]!.seq);
    expect(store.changes.since(log[0]!.seq).map((c) => c.kind)).toEqual(['reload']);
    expect(store.changes.since(0, 1)).toHaveLength(1);
    store.changes.prune(1);
    expect(store.changes.tail()).toBe(log[1]!.seq);
  });

  it('rolls a failed transaction back whole: no article, chunk, keyword row, link or change is half-written', () => {
    const src = addSource();
    const a = article();
    const head = store.changes.head();
    expect(() =>
      store.transaction(() => {
        store.articles.insert(a, chunksOf(a), src.id);
        throw new Error('embedder died');
      }),
    ).toThrow('embedder died');
    expect(store.articles.count()).toBe(0);
    expect(store.chunks.count()).toBe(0);
    expect(store.keyword.chunkIdsAscending()).toEqual([]);
    expect([...store.keyword.termOccurrences()]).toEqual([]);
    expect(store.sources.get(src.id)?.articleCount).toBe(0);
    expect(store.changes.head()).toBe(head);

    // A constraint violation from the database itself rolls back too, and the store stays usable.
    const first = store.transaction(() => store.articles.insert(a, chunksOf(a), src.id));
    expect(() => store.transaction(() => store.articles.insert(article({ contentHash: 'other' }), chunksOf(a), src.id))).toThrow();
    expect(store.articles.count()).toBe(1);
    expect(store.chunks.count()).toBe(first.chunkIds.length);

    // A failed nested step rolls back to its savepoint; the outer transaction commits the rest.
    store.transaction(() => {
      store.meta.set('outer', '1');
      expect(() =>
        store.transaction(() => {
          store.meta.set('inner', '1');
          throw new Error('inner fails');
        }),
      ).toThrow('inner fails');
    });
    expect(store.meta.get('outer')).toBe('1');
    expect(store.meta.get('inner')).toBeUndefined();
  });

  it('migrates idempotently: reopening applies nothing, and a read-only open works', () => {
    store.meta.set('kept', 'yes');
    store.close();
    store = target.open();
    expect(store.schema).toEqual({ version: MIGRATIONS.length, applied: 0 });
    expect(store.meta.get('kept')).toBe('yes');
    const ro = target.open({ readonly: true });
    try {
      expect(ro.meta.get('kept')).toBe('yes');
      expect(() => ro.meta.set('x', 'y')).toThrow();
    } finally {
      ro.close();
    }
  });

  it('applies each migration once when two processes open a fresh store at the same moment', async () => {
    store.close();
    await target.cleanup();
    target = await freshStore(name, { migrated: false });
    const script = path.join(REPO_ROOT, 'test/db/fixtures/open-store.ts');
    // Both start loading now and open at the same moment, once both have loaded (SQLite used to answer
    // one of them "database is locked" while the other switched the fresh file to WAL).
    const openAt = String(Date.now() + 2500);
    const runs = await Promise.all(
      [1, 2].map(
        () =>
          new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
            const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, ...target.env, OPEN_AT: openAt }, cwd: REPO_ROOT });
            let out = '';
            let err = '';
            child.stdout.on('data', (d) => (out += d));
            child.stderr.on('data', (d) => (err += d));
            child.on('close', (code) => resolve({ code, out, err }));
          }),
      ),
    );
    for (const r of runs) expect(r.code, r.err).toBe(0);
    const schemas = runs.map((r) => JSON.parse(r.out) as { version: number; applied: number });
    expect(schemas.map((s) => s.version)).toEqual([MIGRATIONS.length, MIGRATIONS.length]);
    expect(schemas[0]!.applied + schemas[1]!.applied).toBe(MIGRATIONS.length);
    store = target.open();
    expect(store.schema.applied).toBe(0);
  });
});

describe.skipIf(!hasPg)('both adapters side by side', () => {
  it('build the same in-memory BM25 from their keyword rows (the index that answers questions)', async () => {
    const targets = await Promise.all([freshStore('sqlite'), freshStore('postgres')]);
    const stores = targets.map((t) => t.open());
    try {
      const texts = [
        ['Storm hits coast', 'The storm hit the coast on Monday, and O’Brien said the damage was large.'],
        ['Budget vote', 'Parliament votes on the budget; the storm fund is part of the budget.'],
        ['Coast guard', 'The coast guard rescued fishermen after the storm.\n\nThe harbour reopened on Tuesday.'],
        ['Markets', 'Shares fell as markets priced in storm damage and budget risk. Café owners said “ça va”.'],
      ];
      for (const s of stores) {
        const src = s.sources.upsert({ guildId: null, kind: 'feed', url: 'https://news.example/feed' });
        texts.forEach(([title, text], i) => {
          const a = article({ url: `https://news.example/${i}`, title, text, contentHash: `h${i}` });
          s.transaction(() => s.articles.insert(a, chunksOf(a), src.id));
        });
      }
      const [lite, pg] = stores.map((s) => loadBm25Index(s.keyword)) as [ReturnType<typeof loadBm25Index>, ReturnType<typeof loadBm25Index>];
      for (const q of ['storm damage', 'budget coast', 'coast guard storm', "o'brien harbour", 'cafe markets']) {
        const terms = analyzeUnique(q);
        const want = lite.search(terms, 10);
        expect(want.length).toBeGreaterThan(0);
        const got = pg.search(terms, 10);
        expect(got.map((h) => h.chunkId)).toEqual(want.map((h) => h.chunkId));
        for (const [i, h] of got.entries()) expect(h.score).toBeCloseTo(want[i]!.score, 9);
        expect(pg.idf(terms)).toEqual(lite.idf(terms));
      }
      expect(stores[1]!.keyword.docFreq(['storm', 'coast', 'cafe'])).toEqual(stores[0]!.keyword.docFreq(['storm', 'coast', 'cafe']));
    } finally {
      for (const s of stores) s.close();
      for (const t of targets) await t.cleanup();
    }
  });

  it('have the same tables and columns, but for the keyword rows and the migration record', async () => {
    const [lite, pgs] = await Promise.all([freshStore('sqlite'), freshStore('postgres')]);
    try {
      lite.open().close();
      const l = probeStore(lite.dataDir);
      const p = probeStore({ config: { dataDir: pgs.dataDir, databaseUrl: pgs.databaseUrl } });
      const liteCols = l.values<string>(
        `SELECT m.name || '.' || c.name FROM sqlite_master m, pragma_table_info(m.name) c
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'chunk_fts%' ORDER BY 1`,
      );
      const pgCols = p.values<string>(
        `SELECT table_name || '.' || column_name FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name NOT IN ('chunk_keywords', 'schema_migrations') ORDER BY 1`,
      );
      expect(pgCols.sort()).toEqual(liteCols.sort());
      expect(liteCols.length).toBeGreaterThan(80);
    } finally {
      await lite.cleanup();
      await pgs.cleanup();
    }
  });

  it('notifies listeners of each committed change-log entry, never of a rolled-back one', async () => {
    const t = await freshStore('postgres');
    const s = t.open();
    const listener = new pg.Client({ connectionString: t.databaseUrl! });
    await listener.connect();
    const got: string[] = [];
    listener.on('notification', (n) => got.push(`${n.channel}:${n.payload}`));
    await listener.query(`LISTEN ${CHANGE_CHANNEL}`);
    try {
      expect(() =>
        s.transaction(() => {
          s.changes.record('reload');
          throw new Error('abandoned');
        }),
      ).toThrow('abandoned');
      s.transaction(() => s.changes.record('reload'));
      await expect.poll(() => got, { timeout: 5_000 }).toEqual([`${CHANGE_CHANNEL}:${s.writer}`]);
      await listener.query('SELECT 1'); // a round trip later, still only the committed one
      expect(got).toHaveLength(1);
      expect(s.changes.since(0).map((c) => c.kind)).toEqual(['reload']);
    } finally {
      await listener.end();
      s.close();
      await t.cleanup();
    }
  });

  it('opens a new connection when the server dropped its old one, and fails (rolled back) a transaction it cut', async () => {
    const t = await freshStore('postgres');
    const s = t.open();
    const probe = probeStore({ config: { dataDir: t.dataDir, databaseUrl: t.databaseUrl } });
    const dropStoreConnection = () =>
      probe.value(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'newsdesk' AND pid <> pg_backend_pid()",
      );
    try {
      s.meta.set('a', '1');
      expect(dropStoreConnection()).toBe(1);
      await new Promise((r) => setTimeout(r, 200)); // the worker sees the connection close
      expect(s.meta.get('a')).toBe('1');
      expect(() =>
        s.transaction(() => {
          s.meta.set('b', '1');
          dropStoreConnection();
          s.meta.set('c', '1');
        }),
      ).toThrow();
      expect(s.meta.get('b')).toBeUndefined();
      s.transaction(() => s.meta.set('d', '1'));
      expect(s.meta.get('d')).toBe('1');
    } finally {
      s.close();
      await t.cleanup();
    }
  });

  it('names the server and what to check when PostgreSQL is not there, never the password', async () => {
    const port = await closedPort();
    let err: unknown;
    try {
      openStore(os.tmpdir(), { databaseUrl: `postgres://newsdesk:s3cret-pass@127.0.0.1:${port}/newsdesk` });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    const e = err as UserError;
    expect(e.code).toBe('store');
    expect(e.message).toContain(`PostgreSQL at 127.0.0.1:${port}, database "newsdesk", user "newsdesk"`);
    expect(e.message).toContain('Is PostgreSQL running');
    expect(e.message).toContain('npx newsdesk migrate');
    expect(e.message).not.toContain('s3cret-pass');
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
