/**
 * The command line against PostgreSQL (NEWSDESK_DATABASE_URL) as an operator runs it: migrate,
 * ingest, ask, sources, stats — the real bin/newsdesk.js, a real server. `migrate` on SQLite too.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { hasPg } from '../helpers/pg-cluster.ts';
import { runCli } from '../helpers/run-cli.ts';
import { probeStore } from '../helpers/store.ts';
import { dropTemplate, freshStore, type StoreTarget } from '../helpers/store-adapters.ts';
import { SEED_QUESTION } from '../helpers/test-core.ts';

// Each step is a real CLI process (seconds each on a busy 2-core machine).
const SLOW = { timeout: 180_000 };

const targets: StoreTarget[] = [];
afterAll(async () => {
  for (const t of targets) await t.cleanup();
  await dropTemplate();
});

async function target(adapter: 'sqlite' | 'postgres', opts: { migrated?: boolean } = {}): Promise<StoreTarget> {
  const t = await freshStore(adapter, opts);
  targets.push(t);
  return t;
}

describe('newsdesk migrate', () => {
  it('brings a fresh SQLite store to the current version, then reports it up to date', SLOW, async () => {
    const t = await target('sqlite');
    const first = runCli(['migrate'], { env: t.env });
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/^SQLite .*newsdesk\.db: schema version 4 \(applied 4 migrations\)$/m);
    const again = runCli(['migrate', '--json'], { env: t.env });
    expect(JSON.parse(again.out)).toEqual({ backend: expect.stringMatching(/^SQLite /), version: 4, applied: 0 });
  });
});

describe.skipIf(!hasPg)('newsdesk on PostgreSQL', () => {
  it('migrates an empty database and names it without the password', SLOW, async () => {
    const t = await target('postgres', { migrated: false });
    const withPassword = { ...t.env, NEWSDESK_DATABASE_URL: t.databaseUrl!.replace('newsdesk@', 'newsdesk:pw-not-checked@') };
    const r = runCli(['migrate'], { env: withPassword });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^PostgreSQL postgres:\/\/newsdesk@127\.0\.0\.1:\d+\/t_[0-9a-f]+: schema version 4 \(applied 4 migrations\)$/m);
    expect(r.out + r.err).not.toContain('pw-not-checked');
    expect(probeStore({ config: { dataDir: t.dataDir, databaseUrl: t.databaseUrl } }).value('SELECT max(version) FROM schema_migrations')).toBe(4);
    const again = runCli(['migrate', '--json'], { env: t.env });
    expect(JSON.parse(again.out)).toMatchObject({ version: 4, applied: 0 });

    const doctor = runCli(['doctor', '--json'], { env: withPassword });
    expect(doctor.out).toMatch(/PostgreSQL postgres:\/\/newsdesk@127\.0\.0\.1:\d+\/t_/);
    expect(doctor.out + doctor.err).not.toContain('pw-not-checked');
  });

  it('ingests, answers with citations, lists and removes sources, all in the database', SLOW, async () => {
    const t = await target('postgres');
    const ingest = runCli(['ingest', 'data/seed/'], { env: t.env });
    expect(ingest.code, ingest.err).toBe(0);
    expect(ingest.out).toMatch(/1 added/);

    const ask = runCli(['ask', '--json', '--k', '3', SEED_QUESTION], { env: t.env });
    expect(ask.code, ask.err).toBe(0);
    const json = JSON.parse(ask.out);
    expect(json.grounded).toBe(true);
    expect(json.citations[0]).toMatchObject({ n: 1, title: expect.stringMatching(/Russia expresses openness/), source: 'MENAFN', published: '2024-11-07' });

    const probe = probeStore({ config: { dataDir: t.dataDir, databaseUrl: t.databaseUrl } });
    expect(probe.value('SELECT count(*) FROM articles')).toBe(1);
    expect(probe.value('SELECT count(*) FROM chunk_keywords')).toBe(probe.value('SELECT count(*) FROM chunks'));

    const list = runCli(['sources', 'list', '--json'], { env: t.env });
    expect(list.code, list.err).toBe(0);
    const sources = JSON.parse(list.out) as Array<{ id: number; kind: string; articles?: number }>;
    expect(sources).toHaveLength(1);
    expect(sources[0]).toMatchObject({ kind: 'file' });

    const stats = runCli(['stats', '--json'], { env: t.env });
    expect(JSON.parse(stats.out)).toMatchObject({ sources: 1, articles: 1 });

    const removed = runCli(['sources', 'remove', String(sources[0]!.id)], { env: t.env });
    expect(removed.code, removed.err).toBe(0);
    expect(probe.value('SELECT count(*) FROM articles')).toBe(0);
    expect(probe.value('SELECT count(*) FROM chunks')).toBe(0);
  });

  it('npm start without a Discord token seeds the empty database once and answers piped questions', SLOW, async () => {
    const t = await target('postgres');
    const r = runCli(['start'], { env: t.env, input: `${SEED_QUESTION}\n` });
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/demo source #1/);
    expect(r.out).toMatch(/\[1\] Russia expresses openness.*MENAFN, 2024-11-07/);
    // A second process with its own (empty) index cache dir on the same database: rebuilt from the store, not seeded again.
    const other = await target('sqlite');
    const again = runCli(['start'], { env: { ...t.env, NEWSDESK_DATA_DIR: other.dataDir }, input: `${SEED_QUESTION}\n` });
    expect(again.code, again.err).toBe(0);
    expect(again.err).not.toMatch(/demo source/);
    expect(again.err).toMatch(/\(1 article\)/);
    expect(again.out).toMatch(/\[1\] Russia expresses openness/);
  });

  it('says which server it could not reach and what to do, with exit code 2 and no password', SLOW, async () => {
    const t = await target('sqlite');
    const r = runCli(['stats'], { env: { ...t.env, NEWSDESK_DATABASE_URL: 'postgres://newsdesk:hunter2-secret@127.0.0.1:1/newsdesk' } });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Cannot connect to PostgreSQL at 127\.0\.0\.1:1, database "newsdesk", user "newsdesk"/);
    expect(r.err).toMatch(/npx newsdesk migrate/);
    expect(r.out + r.err).not.toContain('hunter2-secret');

    const bad = runCli(['stats'], { env: { ...t.env, NEWSDESK_DATABASE_URL: 'mysql://root:hunter2-secret@db/newsdesk' } });
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/NEWSDESK_DATABASE_URL=\(hidden\).*expected postgres:\/\//);
    expect(bad.out + bad.err).not.toContain('hunter2-secret');
  });
});
