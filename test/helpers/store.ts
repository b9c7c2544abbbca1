import path from 'node:path';
import Database from 'better-sqlite3';
import { translatePlaceholders } from '../../src/db/pg/pg-db.ts';
import { openSyncPgClient } from '../../src/db/pg/sync-client.ts';

/**
 * Looks into an app's SQLite store from the side, on a connection of its own, as an operator with
 * the sqlite3 shell would (WAL lets a reader in while the app writes). Tests use it to check what was
 * stored; `run` is for set-ups no command offers (e.g. moving a source into a guild). The app's own
 * connection never leaves `src/db/`.
 */
export interface StoreProbe {
  /** The first column of the first row. */
  value<T = number>(sql: string, ...params: unknown[]): T;
  /** The first column of every row. */
  values<T = number>(sql: string, ...params: unknown[]): T[];
  rows<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  row<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T | undefined;
  run(sql: string, ...params: unknown[]): void;
  readonly dialect: 'sqlite' | 'postgres';
}

export function probeStore(target: string | { config: { dataDir: string; databaseUrl?: string | null } }): StoreProbe {
  const databaseUrl = typeof target === 'string' ? null : target.config.databaseUrl;
  if (databaseUrl) return probePg(databaseUrl);
  const file = path.join(typeof target === 'string' ? target : target.config.dataDir, 'newsdesk.db');
  function use<T>(readonly: boolean, fn: (db: Database.Database) => T): T {
    const db = new Database(file, { readonly, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      return fn(db);
    } finally {
      db.close();
    }
  }
  return {
    value: <T>(sql: string, ...params: unknown[]) =>
      use(
        true,
        (db) =>
          db
            .prepare(sql)
            .pluck()
            .get(...params) as T,
      ),
    values: <T>(sql: string, ...params: unknown[]) =>
      use(
        true,
        (db) =>
          db
            .prepare(sql)
            .pluck()
            .all(...params) as T[],
      ),
    rows: <T>(sql: string, ...params: unknown[]) => use(true, (db) => db.prepare(sql).all(...params) as T[]),
    row: <T>(sql: string, ...params: unknown[]) => use(true, (db) => db.prepare(sql).get(...params) as T | undefined),
    run: (sql: string, ...params: unknown[]) => void use(false, (db) => db.prepare(sql).run(...params)),
    dialect: 'sqlite',
  };
}

/** The same probe on a PostgreSQL store: a connection of its own, `?` placeholders as in SQLite. */
function probePg(url: string): StoreProbe {
  function use<T>(fn: (client: ReturnType<typeof openSyncPgClient>) => T): T {
    const client = openSyncPgClient(url);
    try {
      return fn(client);
    } finally {
      client.close();
    }
  }
  const rows = (sql: string, params: unknown[], rowMode?: 'array') =>
    use((c) => c.query(translatePlaceholders(sql).text, params, { rowMode }).rows as unknown[]);
  return {
    value: <T>(sql: string, ...params: unknown[]) => (rows(sql, params, 'array')[0] as unknown[] | undefined)?.[0] as T,
    values: <T>(sql: string, ...params: unknown[]) => rows(sql, params, 'array').map((r) => (r as unknown[])[0] as T),
    rows: <T>(sql: string, ...params: unknown[]) => rows(sql, params) as T[],
    row: <T>(sql: string, ...params: unknown[]) => rows(sql, params)[0] as T | undefined,
    run: (sql: string, ...params: unknown[]) => void rows(sql, params),
    dialect: 'postgres',
  };
}
