import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasPg } from '../helpers/pg-cluster.ts';
import { runCli } from '../helpers/run-cli.ts';
import { dropTemplate, freshStore } from '../helpers/store-adapters.ts';
import { SEED_QUESTION, tempDir } from '../helpers/test-core.ts';

/** `ask --json` without its timings: what a user sees. */
function answerOf(dataDir: string, env: Record<string, string> = {}) {
  const r = runCli(['ask', '--json', '--k', '3', SEED_QUESTION], { dataDir, env });
  expect(r.code, r.err).toBe(0);
  const { timings_ms: _, ...rest } = JSON.parse(r.out) as Record<string, unknown>;
  return rest;
}

describe('newsdesk export / import', () => {
  it('moves a store to a new data dir, prints per-table counts and hashes, and the copy answers the same', () => {
    const a = tempDir();
    const b = tempDir();
    const file = path.join(tempDir(), 'newsdesk.dump.jsonl.gz');
    expect(runCli(['ingest', 'data/seed/'], { dataDir: a }).code).toBe(0);

    const exp = runCli(['export', '--out', file, '--json'], { dataDir: a });
    expect(exp.code, exp.err).toBe(0);
    const out = JSON.parse(exp.out);
    expect(out).toMatchObject({ backend: 'sqlite', location: a, schemaVersion: 4, embedderId: expect.stringMatching(/^local/) });

    const imp = runCli(['import', file], { dataDir: b });
    expect(imp.code, imp.err).toBe(0);
    for (const t of out.tables) expect(imp.out).toContain(`${t.rows}  ${t.hash}`);
    expect(imp.out).toMatch(/Every table matches the dump/);
    expect(imp.err).toMatch(/Vector index rebuilt from the stored vectors: 4 vectors/);

    expect(answerOf(b)).toEqual(answerOf(a));

    // Again into the same store: refused with what to do, exit 1.
    const again = runCli(['import', file], { dataDir: b });
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/is not empty \(sources: 1, articles: 1, article_sources: 1, chunks: 4\).*NEWSDESK_DATA_DIR/);

    const usage = runCli(['export'], { dataDir: a });
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/needs --out FILE/);
  }, 180_000); // nine CLI runs, each a fresh Node process opening the engine

  it.skipIf(!hasPg)(
    'moves a store from SQLite to PostgreSQL and back, with the same hashes and the same answer',
    async () => {
      const pg = await freshStore('postgres');
      try {
        const a = tempDir();
        const dir = tempDir();
        expect(runCli(['ingest', 'data/seed/'], { dataDir: a }).code).toBe(0);
        const exp = runCli(['export', '--out', path.join(dir, 'sqlite.jsonl.gz'), '--json'], { dataDir: a });
        expect(exp.code, exp.err).toBe(0);

        const imp = runCli(['import', path.join(dir, 'sqlite.jsonl.gz'), '--json'], { dataDir: pg.dataDir, env: pg.env });
        expect(imp.code, imp.err).toBe(0);
        const intoPg = JSON.parse(imp.out);
        expect(intoPg.backend).toBe('postgres');
        expect(intoPg.location).not.toContain(new URL(pg.databaseUrl!).password || '\u0000');
        expect(intoPg.tables).toEqual(JSON.parse(exp.out).tables);
        expect(answerOf(pg.dataDir, pg.env)).toEqual(answerOf(a));

        const back = runCli(['export', '--out', path.join(dir, 'pg.jsonl.gz'), '--json'], { dataDir: pg.dataDir, env: pg.env });
        expect(back.code, back.err).toBe(0);
        expect(JSON.parse(back.out).tables).toEqual(intoPg.tables);
        const c = tempDir();
        const again = runCli(['import', path.join(dir, 'pg.jsonl.gz')], { dataDir: c });
        expect(again.code, again.err).toBe(0);
        expect(answerOf(c)).toEqual(answerOf(a));

        const refused = runCli(['import', path.join(dir, 'pg.jsonl.gz')], { dataDir: pg.dataDir, env: pg.env });
        expect(refused.code).toBe(1);
        expect(refused.err).toMatch(/is not empty .*NEWSDESK_DATABASE_URL at a new, empty database/);
      } finally {
        await pg.cleanup();
        await dropTemplate();
      }
    },
    240_000,
  );
});
