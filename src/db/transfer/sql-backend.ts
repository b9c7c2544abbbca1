import { keywordTokens } from '../article-repo.ts';
import { openDatabase, schemaVersion, sqliteDb } from '../database.ts';
import { createFtsRows, createKeywordRepo, type KeywordRows, type KeywordStore } from '../keyword-repo.ts';
import { createPgKeywordRepo, createPgKeywordRows } from '../pg/keyword-repo.ts';
import { WRITE_LOCK } from '../pg/locks.ts';
import { describePgTarget, openPg, pgSchemaVersion } from '../pg/open-pg.ts';
import type { SqlDb } from '../sql.ts';
import type { TransferBackend } from './backend.ts';
import { kindOfDeclaredType, type CanonicalValue, type ColumnSpec } from './canonical.ts';

const BATCH = 2000;
/** Values bound per multi-row INSERT (SQLite allows 32,766 parameters, PostgreSQL 65,535). */
const MAX_PARAMS = 30_000;

/** Export/import over the configured store: PostgreSQL at `databaseUrl`, else SQLite under `dataDir` (schema brought up to date). */
export function openTransferBackend(dataDir: string, databaseUrl: string | null): TransferBackend {
  if (databaseUrl) {
    const pg = openPg(databaseUrl);
    return createSqlTransfer({
      db: pg.db,
      location: describePgTarget(pg.target),
      version: () => pgSchemaVersion(pg.db),
      keywordRows: createPgKeywordRows(pg.db),
      keyword: createPgKeywordRepo(pg.db),
      close: () => pg.db.client.close(),
    });
  }
  const raw = openDatabase(dataDir);
  return createSqlTransfer({
    db: sqliteDb(raw),
    location: dataDir,
    version: () => schemaVersion(raw),
    keywordRows: createFtsRows(raw),
    keyword: createKeywordRepo(raw),
    close: () => raw.close(),
  });
}

interface SqlTransferDeps {
  db: SqlDb;
  location: string;
  version(): number;
  keywordRows: KeywordRows;
  keyword: KeywordStore;
  close(): void;
}

/** One implementation for both dialects; the few statements that differ ask `db.dialect`. */
function createSqlTransfer(d: SqlTransferDeps): TransferBackend {
  const { db } = d;
  const pg = db.dialect === 'postgres';
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  let inTransaction = false;
  const begin = (sql: string) => {
    db.exec(sql);
    inTransaction = true;
  };
  const end = (sql: string) => {
    if (!inTransaction) return;
    inTransaction = false;
    db.exec(sql);
  };
  const inserts = new Map<string, ReturnType<SqlDb['prepare']>>();

  async function tableNames(): Promise<string[]> {
    const sql = pg
      ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
      : "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'chunk_fts_%' AND name <> 'chunk_fts_vocab' ORDER BY 1";
    return db.prepare(sql).pluck().all() as string[];
  }

  async function columns(table: string): Promise<ColumnSpec[]> {
    const rows = (
      pg
        ? db
            .prepare('SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?')
            .all(table)
        : db.prepare('SELECT name, type FROM pragma_table_info(?)').all(table)
    ) as Array<{ name: string; type: string }>;
    // By name: a column added by a later migration sits at a different place in each dialect's table.
    return rows.map((r) => ({ name: r.name, kind: kindOfDeclaredType(r.type) })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Per identity/AUTOINCREMENT table, its sequence's last value (PostgreSQL) or sqlite_sequence's mark. */
  function sequenceMarks(): Map<string, { seq: string | null; last: number }> {
    const out = new Map<string, { seq: string | null; last: number }>();
    if (pg) {
      const rows = db
        .prepare(
          `SELECT c.table_name AS t, pg_get_serial_sequence(quote_ident(c.table_name), 'id') AS seq FROM information_schema.columns c
           WHERE c.table_schema = current_schema() AND c.column_name = 'id' AND pg_get_serial_sequence(quote_ident(c.table_name), 'id') IS NOT NULL`,
        )
        .all() as Array<{ t: string; seq: string }>;
      for (const r of rows) {
        const s = db.prepare(`SELECT last_value, is_called FROM ${r.seq}`).get() as { last_value: number; is_called: boolean };
        out.set(r.t, { seq: r.seq, last: s.is_called ? Number(s.last_value) : Number(s.last_value) - 1 });
      }
    } else {
      for (const r of db.prepare('SELECT name, seq FROM sqlite_sequence').all() as Array<{ name: string; seq: number }>)
        out.set(r.name, { seq: null, last: r.seq });
    }
    return out;
  }

  const backend: TransferBackend = {
    backend: pg ? 'postgres' : 'sqlite',
    location: d.location,
    schemaVersion: async () => d.version(),
    tableNames,
    columns,
    async *rows(table, cols) {
      // Keyset pages, not one open cursor: the connection stays free between batches.
      const list = cols.map((c) => quote(c.name)).join(', ');
      const keys = table.key.map(quote);
      const keyIdx = table.key.map((k) => cols.findIndex((c) => c.name === k));
      const order = keys.join(', ');
      const first = db.prepare(`SELECT ${list} FROM ${quote(table.name)} ORDER BY ${order} LIMIT ${BATCH}`).raw();
      const next = db
        .prepare(`SELECT ${list} FROM ${quote(table.name)} WHERE (${order}) > (${keys.map(() => '?').join(', ')}) ORDER BY ${order} LIMIT ${BATCH}`)
        .raw();
      let page = first.all() as unknown[][];
      while (page.length > 0) {
        yield page.map((r) => r.map((v, i) => canonical(v, cols[i]!)));
        if (page.length < BATCH) return;
        const last = page[page.length - 1]!;
        page = next.all(...keyIdx.map((i) => last[i])) as unknown[][];
      }
    },
    count: async (table) =>
      Number(
        db
          .prepare(`SELECT count(*) FROM ${quote(table)}`)
          .pluck()
          .get(),
      ),
    async idHighWater() {
      const marks: Record<string, number> = {};
      const seqs = sequenceMarks();
      for (const name of await tableNames()) {
        if (!(await columns(name)).some((c) => c.name === 'id' && c.kind === 'integer')) continue;
        const max = Number(
          db
            .prepare(`SELECT coalesce(max(id), 0) FROM ${quote(name)}`)
            .pluck()
            .get(),
        );
        marks[name] = Math.max(max, seqs.get(name)?.last ?? 0);
      }
      return marks;
    },
    keywordOccurrences: async () => d.keyword.termOccurrences(),
    async beginRead() {
      if (pg) begin('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      else {
        begin('BEGIN');
        // A deferred transaction takes its snapshot at the first read: take it now.
        db.prepare('SELECT count(*) FROM meta').get();
      }
    },
    endRead: async () => end('COMMIT'),
    async beginWrite() {
      // The store's write lock, as every writer takes it. SQLite: rows arrive parents first, but
      // FTS5 and foreign keys are checked at commit.
      if (pg) begin(`BEGIN; SELECT pg_advisory_xact_lock(${WRITE_LOCK})`);
      else {
        begin('BEGIN IMMEDIATE');
        db.exec('PRAGMA defer_foreign_keys = ON');
      }
    },
    async clear(table) {
      db.prepare(`DELETE FROM ${quote(table)}`).run();
    },
    async insert(table, cols, rows) {
      const per = Math.max(1, Math.floor(MAX_PARAMS / cols.length));
      const values = (r: readonly CanonicalValue[]) => r.map((v, i) => (cols[i]!.kind === 'blob' && typeof v === 'string' ? Buffer.from(v, 'base64') : v));
      for (let i = 0; i < rows.length; i += per) {
        const slice = rows.slice(i, i + per);
        const key = `${table}:${slice.length}`;
        let stmt = inserts.get(key);
        if (!stmt) {
          const one = `(${cols.map(() => '?').join(', ')})`;
          stmt = db.prepare(`INSERT INTO ${quote(table)} (${cols.map((c) => quote(c.name)).join(', ')}) VALUES ${Array(slice.length).fill(one).join(', ')}`);
          inserts.set(key, stmt);
        }
        stmt.run(...slice.flatMap(values));
      }
    },
    async rebuildKeywords() {
      const rows = db
        .prepare('SELECT c.id, c.start, c."end" AS "end", a.title, a.text FROM chunks c JOIN articles a ON a.id = c.article_id ORDER BY a.id, c.id')
        .all() as Array<{
        id: number;
        start: number;
        end: number;
        title: string;
        text: string;
      }>;
      let title: string | null = null;
      let titleTokens = '';
      for (const r of rows) {
        if (r.title !== title) {
          title = r.title;
          titleTokens = keywordTokens(r.title);
        }
        d.keywordRows.add(r.id, titleTokens, keywordTokens(r.text.slice(r.start, r.end)));
      }
      return rows.length;
    },
    async setIdHighWater(marks) {
      for (const [name, s] of sequenceMarks()) {
        if (pg) {
          // Explicit ids do not move an identity sequence: without this, the next insert collides.
          const max = Number(
            db
              .prepare(`SELECT coalesce(max(id), 0) FROM ${quote(name)}`)
              .pluck()
              .get(),
          );
          const mark = Math.max(max, marks[name] ?? 0);
          db.prepare(mark > 0 ? 'SELECT setval(?, ?, true)' : 'SELECT setval(?, 1, false)').get(...(mark > 0 ? [s.seq, mark] : [s.seq]));
        } else if ((marks[name] ?? 0) > s.last) db.prepare('UPDATE sqlite_sequence SET seq = ? WHERE name = ?').run(marks[name], name);
      }
      if (!pg) {
        // An AUTOINCREMENT table that had no rows in the dump has no sqlite_sequence row yet.
        const auto = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%'").pluck().all() as string[];
        const have = sequenceMarks();
        for (const name of auto)
          if (!have.has(name) && (marks[name] ?? 0) > 0) db.prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)').run(name, marks[name]);
      }
    },
    commit: async () => end('COMMIT'),
    rollback: async () => end('ROLLBACK'),
    async close() {
      try {
        end('ROLLBACK');
      } finally {
        d.close();
      }
    },
  };
  return backend;
}

function canonical(v: unknown, col: ColumnSpec): CanonicalValue {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' || typeof v === 'string') return v;
  throw new Error(`unexpected ${typeof v} in column ${col.name}`);
}
