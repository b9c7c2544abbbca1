import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { UserError } from '../errors.ts';
import { MIGRATIONS } from './migrations.ts';

export type Db = Database.Database;

/** Opens (creating if needed) the store under `dataDir` and brings its schema up to date. */
export function openDatabase(dataDir: string, opts: { readonly?: boolean } = {}): Db {
  const file = path.join(dataDir, 'newsdesk.db');
  let db: Db;
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    db = new Database(file, { readonly: opts.readonly ?? false });
    // First, so that everything after (even switching a fresh file to WAL) waits for another
    // process's lock instead of failing with "database is locked".
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
  } catch (err) {
    throw storeError(err, dataDir, file);
  }
  // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commit.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  if (!opts.readonly) migrate(db);
  return db;
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
 * Brings the schema up to date. Each step runs in a write transaction that takes the lock first
 * (BEGIN IMMEDIATE) and reads the version again inside it, so two processes opening a fresh data dir
 * at once apply each migration exactly once instead of racing ("table meta already exists").
 */
function migrate(db: Db): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  while (version() < MIGRATIONS.length) {
    db.transaction(() => {
      const v = version();
      if (v >= MIGRATIONS.length) return;
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

export function getMeta(db: Db, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

/** Small key/value settings (e.g. which embedder built the stored vectors). */
export interface MetaRepo {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

export function createMetaRepo(db: Db): MetaRepo {
  return { get: (key) => getMeta(db, key), set: (key, value) => setMeta(db, key, value) };
}
