import type { SqlDb, SqlStatement } from '../sql.ts';
import { WRITE_LOCK } from './locks.ts';
import type { SyncPgClient } from './sync-client.ts';

/**
 * The repositories' driver interface (src/db/sql.ts) over the synchronous PostgreSQL client.
 * Statements keep better-sqlite3's placeholders (`?` in order, or `@name` bound from one object);
 * they are rewritten to `$n` once, at prepare time.
 */
export interface PgDb extends SqlDb {
  readonly client: SyncPgClient;
}

export function createPgDb(client: SyncPgClient): PgDb {
  let depth = 0;
  return {
    dialect: 'postgres',
    client,
    prepare: (sql) => createStatement(client, sql),
    exec: (sql) => client.exec(sql),
    transaction<T>(fn: () => T): T {
      if (depth === 0) {
        // The store's write lock, as BEGIN IMMEDIATE takes SQLite's: writers queue instead of
        // interleaving, so a check-then-insert inside a transaction stays correct across processes.
        client.exec(`BEGIN; SELECT pg_advisory_xact_lock(${WRITE_LOCK})`);
        client.inTransaction = true;
      } else client.exec(`SAVEPOINT nd_${depth}`);
      depth++;
      let result: T;
      try {
        result = fn();
      } catch (err) {
        depth--;
        rollback(depth);
        throw err;
      }
      depth--;
      if (depth === 0) {
        try {
          client.exec('COMMIT');
        } finally {
          client.inTransaction = false;
        }
      } else client.exec(`RELEASE SAVEPOINT nd_${depth}`);
      return result;
    },
  };

  function rollback(level: number): void {
    try {
      if (level === 0) client.exec('ROLLBACK');
      else client.exec(`ROLLBACK TO SAVEPOINT nd_${level}; RELEASE SAVEPOINT nd_${level}`);
    } catch {
      // The connection broke: the server has rolled back already; the original error is the one to report.
    } finally {
      if (level === 0) client.inTransaction = false;
    }
  }
}

interface Translated {
  text: string;
  /** Named parameters in `$n` order, or null for positional `?`. */
  names: string[] | null;
}

/**
 * `?` → `$1, $2, …` and `@name` → `$n` (the same name, the same number), outside string literals,
 * quoted identifiers and comments.
 */
export function translatePlaceholders(sql: string): Translated {
  let out = '';
  let positional = 0;
  const names: string[] = [];
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop + 1);
      i = stop;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === '?') {
      out += `$${++positional}`;
    } else if (c === '@' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))!;
      let n = names.indexOf(m[0]);
      if (n < 0) n = names.push(m[0]) - 1;
      out += `$${n + 1}`;
      i += m[0].length;
    } else out += c;
  }
  if (positional > 0 && names.length > 0) throw new Error(`mixed ? and @name placeholders in: ${sql}`);
  return { text: out, names: names.length > 0 ? names : null };
}

function bindValue(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Uint8Array && !Buffer.isBuffer(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return v;
}

function createStatement(client: SyncPgClient, sql: string): SqlStatement {
  const { text, names } = translatePlaceholders(sql);
  let pluck = false;
  let raw = false;
  const values = (params: unknown[]): unknown[] => {
    if (!names) return params.map(bindValue);
    const bag = (params[0] ?? {}) as Record<string, unknown>;
    return names.map((n) => {
      if (!(n in bag)) throw new RangeError(`Missing named parameter "${n}"`);
      return bindValue(bag[n]);
    });
  };
  const rows = (params: unknown[]): unknown[] => {
    const r = client.query(text, values(params), { rowMode: pluck || raw ? 'array' : undefined });
    return pluck ? r.rows.map((row) => (row as unknown as unknown[])[0]) : r.rows;
  };
  const stmt: SqlStatement = {
    get: (...params) => rows(params)[0],
    all: (...params) => rows(params),
    run: (...params) => ({ changes: client.query(text, values(params)).rowCount }),
    iterate: (...params) => rows(params)[Symbol.iterator](),
    pluck(toggle = true) {
      pluck = toggle;
      return stmt;
    },
    raw(toggle = true) {
      raw = toggle;
      return stmt;
    },
  };
  return stmt;
}
