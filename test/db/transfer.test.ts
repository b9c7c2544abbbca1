import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openApp, openStoreTransfer } from '../../src/app.ts';
import type { Config } from '../../src/config.ts';
import { hasPg } from '../helpers/pg-cluster.ts';
import { probeStore } from '../helpers/store.ts';
import { dropTemplate, freshStore } from '../helpers/store-adapters.ts';
import { SEED_DIR, SEED_QUESTION, tempDir, testConfig } from '../helpers/test-core.ts';

/** Rows in every moved table, through the real ingest where it can, by hand (as an operator would) for the rest. */
async function richStore(): Promise<Config> {
  const config = testConfig();
  const core = await openApp(config);
  try {
    await core.sources.addPath(SEED_DIR);
    const extra = path.join(tempDir(), 'extra.txt');
    fs.writeFileSync(
      extra,
      `Harbour café reopens after the storm\n\nThe harbour café on Pier Nine — famous for its crème brûlée — reopened on Tuesday after the October storm.
The owner, Zoë Ångström, said repairs cost 42,500 euros and took eleven weeks. Fishermen were the first customers again.`,
    );
    await core.sources.addPath(extra);
  } finally {
    await core.close();
  }
  const db = probeStore(config.dataDir);
  const article = db.value('SELECT min(id) FROM articles');
  db.run(
    "INSERT INTO sources (guild_id, kind, url, name, enabled, poll_interval_min, created_at) VALUES ('g1', 'feed', 'https://example.org/feed', 'Ünïcode “feed”', 0, 7.5, '2024-11-01T00:00:00.000Z')",
  );
  db.run("INSERT INTO article_aliases (url, article_id) VALUES ('https://example.org/alias', ?)", article);
  db.run(
    "INSERT INTO article_versions (article_id, title, outlet, content_hash, text, fetched_from, stored_at, replaced_at) VALUES (?, 'Old title', NULL, 'h0', 'old text', NULL, '2024-11-01', '2024-11-02')",
    article,
  );
  db.run("INSERT INTO watches (guild_id, channel_id, topic, created_by, created_at, alerts_sent) VALUES ('g1', 'c1', 'ambassador', 'u1', '2024-11-03', 2)");
  db.run(
    "INSERT INTO watch_alerts (channel_id, story_id, watch_id, guild_id, article_id, message_id, collapsed, sent_at) VALUES ('c1', ?, 1, 'g1', ?, 'm1', 0, '2024-11-03')",
    article,
    article,
  );
  db.run("INSERT INTO muted_stories (guild_id, story_id, muted_by, muted_at) VALUES ('g1', ?, 'u2', '2024-11-04')", article);
  db.run(
    "INSERT INTO digest_schedules (guild_id, channel_id, time, time_zone, frequency, weekday, next_run_at, created_at) VALUES ('g1', 'c1', '08:30', 'Europe/Berlin', 'weekly', 1, '2024-11-11T07:30:00Z', '2024-11-04')",
  );
  db.run("INSERT INTO digest_runs (guild_id, ran_at, since, stories) VALUES ('g1', '2024-11-04', '2024-10-28', 3)");
  db.run("INSERT INTO answer_snapshots (guild_id, question, answered_at, article_ids) VALUES ('g1', 'who?', '2024-11-04', ?)", `[${article}]`);
  db.run(
    "INSERT INTO questions (guild_id, channel_id, thread_id, via, question, answer, grounded, not_covered_reason, asked_at) VALUES ('g1', 'c1', NULL, 'slash', 'Who spoke?', 'Lavrov [1]', 1, NULL, '2024-11-05')",
  );
  db.run("INSERT INTO question_citations (question_id, n, article_id, title, url, source) VALUES (1, 1, ?, 'Russia', NULL, 'MENAFN')", article);
  db.run("INSERT INTO feedback (question_id, user_id, vote, reason, comment, voted_at) VALUES (1, 'u3', -1, 'outdated', 'old news', '2024-11-06')");
  db.run("INSERT INTO channel_settings (guild_id, channel_id, ask_in_threads, updated_at) VALUES ('g1', 'c1', 1, '2024-11-06')");
  // Chunk ids handed out and deleted since: a new store must not hand them out again (HNSW labels).
  db.run("UPDATE sqlite_sequence SET seq = seq + 50 WHERE name = 'chunks'");
  return config;
}

const LIGHTHOUSE =
  'Lighthouse keepers vote\n\nThe lighthouse keepers of the northern coast voted on Monday to keep the lamps lit by hand. ' +
  'They said the old lenses still work better than the new automatic lights, and the harbour master agreed to pay for the oil.';

const TABLES = [
  'meta',
  'sources',
  'articles',
  'article_sources',
  'article_aliases',
  'article_versions',
  'chunks',
  'watches',
  'watch_alerts',
  'muted_stories',
  'digest_schedules',
  'digest_runs',
  'answer_snapshots',
  'questions',
  'question_citations',
  'feedback',
  'channel_settings',
];

function dumpOf(config: Config) {
  const db = probeStore(config.dataDir);
  return Object.fromEntries(TABLES.map((t) => [t, db.rows(`SELECT * FROM ${t} ORDER BY 1, 2`)]));
}

async function exportTo(config: Config, file: string) {
  const t = await openStoreTransfer(config);
  try {
    return await t.exportTo(file);
  } finally {
    await t.close();
  }
}

async function importInto(config: Config, file: string) {
  const t = await openStoreTransfer(config);
  try {
    return await t.importFrom(file);
  } finally {
    await t.close();
  }
}

async function answer(config: Config) {
  const core = await openApp(config);
  try {
    const r = await core.ask(SEED_QUESTION, { k: 3 });
    return { answer: r.answer, citations: r.citations, vectors: core.stats().index.vectors };
  } finally {
    await core.close();
  }
}

function rewrite(file: string, out: string, edit: (lines: string[]) => string[]) {
  const lines = gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n').filter(Boolean);
  fs.writeFileSync(out, gzipSync(edit(lines).join('\n') + '\n'));
}

describe('export / import (SQLite)', () => {
  it('moves every table, rebuilt keyword tokens and id marks, and the copy answers the same', async () => {
    const a = await richStore();
    const file = path.join(tempDir(), 'a.jsonl.gz');
    const out = await exportTo(a, file);
    expect(out.tables.map((t) => t.name)).toEqual(TABLES);
    for (const t of out.tables) expect(t.rows, t.name).toBeGreaterThan(0);
    expect(out.embedderId).toMatch(/^local/);
    expect(out.keyword.tokens).toBeGreaterThan(100);

    const b = testConfig();
    const imported = await importInto(b, file);
    expect(imported.tables).toEqual(out.tables);
    expect(imported.keyword).toEqual(out.keyword);
    expect(dumpOf(b)).toEqual(dumpOf(a));
    const seq = (c: Config) => probeStore(c.dataDir).value("SELECT seq FROM sqlite_sequence WHERE name = 'chunks'");
    expect(seq(b)).toBe(seq(a));

    // A dump of the copy carries the same content hashes.
    const again = await exportTo(b, path.join(tempDir(), 'b.jsonl.gz'));
    expect(again.tables).toEqual(out.tables);
    expect(again.keyword).toEqual(out.keyword);

    const [fromA, fromB] = [await answer(a), await answer(b)];
    expect(fromB.vectors).toBe(probeStore(b.dataDir).value('SELECT count(*) FROM chunks'));
    expect(fromB).toEqual(fromA);
    expect(fromA.citations[0]?.title).toMatch(/Russia/);

    // New chunks continue after the dump's high-water mark, not after max(id).
    const core = await openApp(b);
    try {
      const more = path.join(tempDir(), 'more.txt');
      fs.writeFileSync(more, LIGHTHOUSE);
      const [r] = await core.sources.addPath(more);
      expect(r?.report.added).toBe(1);
    } finally {
      await core.close();
    }
    const newIds = probeStore(b.dataDir).values("SELECT c.id FROM chunks c JOIN articles a ON a.id = c.article_id WHERE a.title LIKE 'Lighthouse%'");
    expect(newIds.length).toBeGreaterThan(0);
    expect(Math.min(...newIds)).toBeGreaterThan(seq(a));
  });

  it('refuses a damaged, cut-off or foreign dump and leaves the store empty', async () => {
    const a = await richStore();
    const dir = tempDir();
    const file = path.join(dir, 'a.jsonl.gz');
    await exportTo(a, file);
    const bytes = fs.readFileSync(file);
    const cases: Array<[string, (f: string) => void, RegExp]> = [
      ['cut', (f) => fs.writeFileSync(f, bytes.subarray(0, Math.floor(bytes.length * 0.6))), /damaged: it is cut off or corrupt/],
      ['no-end', (f) => rewrite(file, f, (l) => l.slice(0, -1)), /damaged: it has no end line/],
      [
        'edited',
        (f) => rewrite(file, f, (l) => l.map((x) => (x.includes('"t":"questions"') ? x.replace('Who spoke?', 'Who spoke!') : x))),
        /damaged: table questions holds 1 rows \(hash \w+\) but its header says 1/,
      ],
      ['dropped-row', (f) => rewrite(file, f, (l) => l.filter((x) => !x.includes('"t":"feedback"'))), /end line counts \d+ rows but it holds \d+/],
      ['bad-json', (f) => rewrite(file, f, (l) => [l[0]!, '{"t":"meta",', ...l.slice(1)]), /damaged: line 2 is not valid JSON/],
      [
        'bad-value',
        (f) => rewrite(file, f, (l) => l.map((x) => (x.includes('"t":"digest_runs"') ? x.replace(',3]', ',"three"]') : x))),
        /column stories holds "three", not integer/,
      ],
      ['not-gzip', (f) => fs.writeFileSync(f, 'hello\n'), /not a Newsdesk dump \(not gzip-compressed\)/],
      ['not-a-dump', (f) => fs.writeFileSync(f, gzipSync('{"hello":1}\n')), /is not a Newsdesk dump/],
      [
        'newer-schema',
        (f) => rewrite(file, f, (l) => [l[0]!.replace('"schema_version":4', '"schema_version":99'), ...l.slice(1)]),
        /exported at schema version 99, this store is at version 4/,
      ],
    ];
    for (const [name, make, message] of cases) {
      const f = path.join(dir, `${name}.jsonl.gz`);
      make(f);
      const b = testConfig();
      await expect(importInto(b, f), name).rejects.toThrow(message);
      const db = probeStore(b.dataDir);
      for (const t of TABLES.filter((x) => x !== 'meta')) expect(db.value(`SELECT count(*) FROM ${t}`), `${name}: ${t}`).toBe(0);
      expect(db.value('SELECT count(*) FROM chunk_fts'), name).toBe(0);
    }
  });

  it('imports a dump embedded with another embedder, and opening it then asks for a reindex', async () => {
    const a = await richStore();
    const file = path.join(tempDir(), 'a.jsonl.gz');
    await exportTo(a, file);
    const b = testConfig({ NEWSDESK_LOCAL_DIM: '256' });
    await importInto(b, file);
    await expect(openApp(b)).rejects.toThrow(/was embedded with "local-hash-v1:384" but the configured embedder is ".*256".*npx newsdesk reindex/);
  });

  it('refuses a non-empty store, naming what is in it and what to do', async () => {
    const a = await richStore();
    const file = path.join(tempDir(), 'a.jsonl.gz');
    await exportTo(a, file);
    const before = dumpOf(a);
    await expect(importInto(a, file)).rejects.toThrow(/is not empty \(sources: 3, articles: 2, .*Set NEWSDESK_DATA_DIR to a new, empty directory/);
    expect(dumpOf(a)).toEqual(before);
  });

  it('will not export a table it does not know (a migration added it without adding it to the dump)', async () => {
    const a = await richStore();
    probeStore(a.dataDir).run('CREATE TABLE shiny_new (id INTEGER PRIMARY KEY)');
    await expect(exportTo(a, path.join(tempDir(), 'x.jsonl.gz'))).rejects.toThrow(/does not know the table\(s\) shiny_new/);
  });
});

describe.skipIf(!hasPg)('export / import between SQLite and PostgreSQL', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
    await dropTemplate();
  });
  async function pgConfig(): Promise<Config> {
    const s = await freshStore('postgres');
    cleanups.push(() => s.cleanup());
    return testConfig({ NEWSDESK_DATA_DIR: s.dataDir, NEWSDESK_DATABASE_URL: s.databaseUrl! });
  }

  it('SQLite → dump → PostgreSQL → dump → SQLite keeps every count and hash, and all three answer alike', async () => {
    const a = await richStore();
    const dir = tempDir();
    const fromSqlite = await exportTo(a, path.join(dir, 'sqlite.jsonl.gz'));

    const p = await pgConfig();
    const intoPg = await importInto(p, path.join(dir, 'sqlite.jsonl.gz'));
    expect(intoPg.backend).toBe('postgres');
    expect(intoPg.location).toMatch(/^postgres:\/\/[^:@/]+@/); // no password
    expect(intoPg.tables).toEqual(fromSqlite.tables);
    expect(intoPg.keyword).toEqual(fromSqlite.keyword);

    const fromPg = await exportTo(p, path.join(dir, 'pg.jsonl.gz'));
    expect(fromPg.tables).toEqual(fromSqlite.tables);
    expect(fromPg.keyword).toEqual(fromSqlite.keyword);

    const c = testConfig();
    await importInto(c, path.join(dir, 'pg.jsonl.gz'));
    expect(dumpOf(c)).toEqual(dumpOf(a));
    const seq = (x: Config) => probeStore(x.dataDir).value("SELECT seq FROM sqlite_sequence WHERE name = 'chunks'");
    expect(seq(c)).toBe(seq(a));

    const [fromA, fromP, fromC] = [await answer(a), await answer(p), await answer(c)];
    expect(fromP).toEqual(fromA);
    expect(fromC).toEqual(fromA);

    // New rows on PostgreSQL continue after the dump's ids (identity sequences set by the import).
    const core = await openApp(p);
    try {
      const more = path.join(tempDir(), 'more.txt');
      fs.writeFileSync(more, LIGHTHOUSE);
      const before = new Set(core.index.ids());
      const [r] = await core.sources.addPath(more);
      expect(r?.report.added).toBe(1);
      const added = [...core.index.ids()].filter((id) => !before.has(id));
      expect(added.length).toBeGreaterThan(0);
      expect(Math.min(...added)).toBeGreaterThan(seq(a));
    } finally {
      await core.close();
    }
    const again = await exportTo(p, path.join(dir, 'pg2.jsonl.gz'));
    expect(again.tables.find((t) => t.name === 'chunks')!.rows).toBeGreaterThan(fromSqlite.tables.find((t) => t.name === 'chunks')!.rows);
  });

  it('on PostgreSQL too: a damaged dump or a non-empty database is refused and nothing changes', async () => {
    const a = await richStore();
    const dir = tempDir();
    const file = path.join(dir, 'a.jsonl.gz');
    await exportTo(a, file);
    const edited = path.join(dir, 'edited.jsonl.gz');
    // The last row is damaged: everything before it was inserted, and must be rolled back.
    rewrite(file, edited, (l) => [...l.slice(0, -2), l[l.length - 2]!.replace(/"r":\[/, '"r":[1,'), l[l.length - 1]!]);
    const p = await pgConfig();
    await expect(importInto(p, edited)).rejects.toThrow(/damaged: line \d+ has \d+ values for \d+ columns/);
    const empty = await exportTo(p, path.join(dir, 'empty.jsonl.gz'));
    for (const t of empty.tables.filter((x) => x.name !== 'meta')) expect(t.rows, t.name).toBe(0);
    expect(empty.keyword.tokens).toBe(0);

    await importInto(p, file);
    await expect(importInto(p, file)).rejects.toThrow(/is not empty \(sources: 3, .*NEWSDESK_DATABASE_URL at a new, empty database/);
  });
});
