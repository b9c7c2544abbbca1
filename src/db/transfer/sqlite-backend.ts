import { keywordTokens } from '../article-repo.ts';
import { openDatabase } from '../database.ts';
import { createKeywordRepo } from '../keyword-repo.ts';
import type { TransferBackend } from './backend.ts';
import { kindOfDeclaredType, type CanonicalValue, type ColumnSpec } from './canonical.ts';

const BATCH = 2000;

/** Export/import over the SQLite store under `dataDir` (opened with its migrations applied). */
export function openSqliteTransfer(dataDir: string): TransferBackend {
  const db = openDatabase(dataDir);
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

  const backend: TransferBackend = {
    backend: 'sqlite',
    location: dataDir,
    schemaVersion: async () => db.pragma('user_version', { simple: true }) as number,
    tableNames: async () =>
      db
        .prepare(
          "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'chunk_fts_%' AND name <> 'chunk_fts_vocab' ORDER BY name",
        )
        .pluck()
        .all() as string[],
    async columns(table) {
      const rows = db.prepare(`SELECT name, type FROM pragma_table_info(?) ORDER BY cid`).all(table) as Array<{ name: string; type: string }>;
      return rows.map((r) => ({ name: r.name, kind: kindOfDeclaredType(r.type) }));
    },
    async *rows(table, columns) {
      // Keyset pages, not one open iterator: the connection stays free between batches.
      const cols = columns.map((c) => quote(c.name)).join(', ');
      const keys = table.key.map(quote);
      const keyIdx = table.key.map((k) => columns.findIndex((c) => c.name === k));
      const order = keys.join(', ');
      const first = db.prepare(`SELECT ${cols} FROM ${quote(table.name)} ORDER BY ${order} LIMIT ${BATCH}`).raw();
      const next = db
        .prepare(`SELECT ${cols} FROM ${quote(table.name)} WHERE (${order}) > (${keys.map(() => '?').join(', ')}) ORDER BY ${order} LIMIT ${BATCH}`)
        .raw();
      let page = first.all() as unknown[][];
      while (page.length > 0) {
        yield page.map((r) => r.map((v, i) => canonical(v, columns[i]!)));
        if (page.length < BATCH) return;
        const last = page[page.length - 1]!;
        page = next.all(...keyIdx.map((i) => last[i])) as unknown[][];
      }
    },
    count: async (table) =>
      db
        .prepare(`SELECT count(*) FROM ${quote(table)}`)
        .pluck()
        .get() as number,
    async idHighWater() {
      const marks: Record<string, number> = {};
      const seq = new Map((db.prepare('SELECT name, seq FROM sqlite_sequence').all() as Array<{ name: string; seq: number }>).map((r) => [r.name, r.seq]));
      for (const name of await backend.tableNames()) {
        const cols = await backend.columns(name);
        if (!cols.some((c) => c.name === 'id' && c.kind === 'integer')) continue;
        const max =
          (db
            .prepare(`SELECT max(id) FROM ${quote(name)}`)
            .pluck()
            .get() as number | null) ?? 0;
        marks[name] = Math.max(max, seq.get(name) ?? 0);
      }
      return marks;
    },
    keywordOccurrences: async () => createKeywordRepo(db).termOccurrences(),
    async beginRead() {
      db.exec('BEGIN');
      // A deferred transaction takes its snapshot at the first read: take it now.
      db.prepare('SELECT count(*) FROM meta').get();
    },
    async endRead() {
      if (db.inTransaction) db.exec('COMMIT');
    },
    async beginWrite() {
      db.exec('BEGIN IMMEDIATE');
      // Rows arrive parents first, but an article's duplicate_of may name a later one.
      db.pragma('defer_foreign_keys = ON');
    },
    async clear(table) {
      db.prepare(`DELETE FROM ${quote(table)}`).run();
    },
    async insert(table, columns, rows) {
      const stmt = db.prepare(`INSERT INTO ${quote(table)} (${columns.map((c) => quote(c.name)).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      for (const r of rows) stmt.run(...r.map((v, i) => (columns[i]!.kind === 'blob' && typeof v === 'string' ? Buffer.from(v, 'base64') : v)));
    },
    async rebuildKeywords() {
      const insert = db.prepare('INSERT INTO chunk_fts (rowid, title, body) VALUES (?, ?, ?)');
      const rows = db
        .prepare('SELECT c.id, c.start, c."end", a.title, a.text FROM chunks c JOIN articles a ON a.id = c.article_id ORDER BY a.id, c.id')
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
        insert.run(r.id, titleTokens, keywordTokens(r.text.slice(r.start, r.end)));
      }
      return rows.length;
    },
    async setIdHighWater(marks) {
      // Only AUTOINCREMENT tables keep a mark past max(id) (chunks: their ids are HNSW labels).
      const auto = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%'").pluck().all() as string[];
      for (const name of auto) {
        const mark = marks[name];
        if (mark === undefined) continue;
        const updated = db.prepare('UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?').run(mark, name).changes;
        if (updated === 0 && mark > 0) db.prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)').run(name, mark);
      }
    },
    async commit() {
      db.exec('COMMIT');
    },
    async rollback() {
      if (db.inTransaction) db.exec('ROLLBACK');
    },
    async close() {
      if (db.inTransaction) db.exec('ROLLBACK');
      db.close();
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
