import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { UserError } from '../errors.ts';
import { MIGRATIONS } from './migrations.ts';
import type { SqlDb } from './sql.ts';

export type Db = Database.Database;

/** Opens (creating if needed) the store under `dataDir` and brings its schema up to date. */
export function openDatabase(dataDir: string, opts: { readonly?: boolean } = {}): Db {
  return openMigratedDatabase(dataDir, opts).db;
}

/** `openDatabase`, also saying how many migrations this open applied (`newsdesk migrate` prints it). */
export function openMigratedDatabase(dataDir: string, opts: { readonly?: boolean } = {}): { db: Db; applied: number } {
  const file = path.join(dataDir, 'newsdesk.db');
  let db: Db;
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    db = new Database(file, { readonly: opts.readonly ?? false });
    // First, so that everything after (even switching a fresh file to WAL) waits for another
    // process's lock instead of failing with "database is locked".
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    switchToWal(db);
  } catch (err) {
    throw storeError(err, dataDir, file);
  }
  // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commit.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  const applied = opts.readonly ? 0 : migrate(db);
  return { db, applied };
}

/**
 * Switching a fresh file to WAL needs an exclusive lock, and when two processes open it at the same
 * moment SQLite answers one of them SQLITE_BUSY at once, without calling the busy handler (waiting
 * could deadlock). Once one has switched, the mode is stored in the file and the other's switch is a
 * no-op, so retrying for as long as any other lock is waited for is enough.
 */
function switchToWal(db: Db): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw err;
      Atomics.wait(pause, 0, 0, 10 + Math.floor(Math.random() * 20));
    }
  }
}

/** Names the path and the fix; the raw "EEXIST" or "file is not a database" says neither. */
function storeError(err: unknown, dataDir: string, file: string): UserError {
  const code = (err as { code?: string }).code;
  const fix = 'Set NEWSDESK_DATA_DIR to another directory (or move the file away).';
  if (code === 'EEXIST' || code === 'ENOTDIR') {
    return new UserError('store', `The data dir ${dataDir} (or a folder above it) is a file, not a directory. ${fix}`, { cause: err });
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new UserError('store', `${file} is not a Newsdesk store (SQLite says: ${(err as Error).message}). ${fix}`, { cause: err });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY') {
    return new UserError(
      'store',
      `Cannot open the store ${file}: ${(err as Error).message}. Check the permissions, or ${fix.charAt(0).toLowerCase()}${fix.slice(1)}`,
      { cause: err },
    );
  }
  return new UserError('store', `Cannot open the store ${file}: ${(err as Error).message}`, { cause: err });
}

/** How long a writer waits for another process's write lock (an ingest holds it per article only). */
export const BUSY_TIMEOUT_MS = 15_000;

/**
 * Brings the schema up to date; returns how many migrations it applied. Each step runs in a write transaction that takes the lock first
 * (BEGIN IMMEDIATE) and reads the version again inside it, so two processes opening a fresh data dir
 * at once apply each migration exactly once instead of racing ("table meta already exists").
 */
function migrate(db: Db): number {
  let applied = 0;
  while (schemaVersion(db) < MIGRATIONS.length) {
    db.transaction(() => {
      const v = schemaVersion(db);
      if (v >= MIGRATIONS.length) return;
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
      applied++;
    }).immediate();
  }
  return applied;
}

/** The number of migrations applied (SQLite keeps it in `user_version`). */
export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** The repositories' driver interface (src/db/sql.ts) over better-sqlite3: its statements as they are. */
export function sqliteDb(db: Db): SqlDb {
  return {
    dialect: 'sqlite',
    prepare: (sql) => db.prepare(sql),
    exec: (sql) => void db.exec(sql),
    // BEGIN IMMEDIATE takes the write lock first; a nested call becomes a savepoint.
    transaction: <T>(fn: () => T): T => db.transaction(fn).immediate(),
  };
}

/** Small key/value settings (e.g. which embedder built the stored vectors). */
export interface MetaRepo {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

export function createMetaRepo(db: SqlDb): MetaRepo {
  const get = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
  const set = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  return { get: (key) => get.get(key) as string | undefined, set: (key, value) => void set.run(key, value) };
}
