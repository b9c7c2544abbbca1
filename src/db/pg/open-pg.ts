import { UserError } from '../../errors.ts';
import { MIGRATION_LOCK } from './locks.ts';
import { PG_MIGRATIONS } from './migrations.ts';
import { createPgDb, type PgDb } from './pg-db.ts';
import { openSyncPgClient, PgError } from './sync-client.ts';

/** Where a NEWSDESK_DATABASE_URL points, without its password: what messages and `doctor` may show. */
export interface PgTarget {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** Parses a postgres:// URL (a `?host=/socket/dir` query names a unix socket directory, as libpq does). */
export function pgTarget(url: string): PgTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError('config', 'NEWSDESK_DATABASE_URL is not a URL: expected postgres://user:password@host:5432/database.');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new UserError('config', `NEWSDESK_DATABASE_URL must start with postgres:// (got ${u.protocol}//…).`);
  }
  return {
    host: u.searchParams.get('host') ?? (decodeURIComponent(u.hostname) || 'localhost'),
    port: Number(u.searchParams.get('port') ?? u.port ?? 5432) || 5432,
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || decodeURIComponent(u.username) || 'postgres',
    user: decodeURIComponent(u.username) || 'postgres',
  };
}

/** `postgres://user@host:port/database`: the URL with its password left out. */
export function describePgTarget(t: PgTarget): string {
  return `postgres://${encodeURIComponent(t.user)}@${t.host.startsWith('/') ? `[${t.host}]` : t.host}:${t.port}/${t.database}`;
}

export interface OpenedPg {
  db: PgDb;
  target: PgTarget;
  /** Schema version after opening, and how many migrations this open applied. */
  version: number;
  applied: number;
}

/** Connects (blocking), then brings the schema up to date unless read-only. */
export function openPg(url: string, opts: { readonly?: boolean } = {}): OpenedPg {
  const target = pgTarget(url);
  let client: ReturnType<typeof openSyncPgClient>;
  try {
    client = openSyncPgClient(url, {
      // As SQLite's busy timeout: a writer waits this long for another process's write lock.
      session: ["SET lock_timeout = '15s'", ...(opts.readonly ? ['SET default_transaction_read_only = on'] : [])],
    });
  } catch (err) {
    throw connectError(err, target);
  }
  const db = createPgDb(client);
  try {
    const applied = opts.readonly ? 0 : migratePg(db);
    const version = pgSchemaVersion(db);
    if (opts.readonly && version < PG_MIGRATIONS.length) {
      throw new UserError(
        'store',
        `The PostgreSQL store ${describePgTarget(target)} is at schema version ${version} of ${PG_MIGRATIONS.length}. Run "npx newsdesk migrate" first.`,
      );
    }
    return { db, target, version, applied };
  } catch (err) {
    client.close();
    if (err instanceof UserError) throw err;
    throw new UserError('store', `Cannot prepare the PostgreSQL store ${describePgTarget(target)}: ${(err as Error).message}`, { cause: err });
  }
}

/** The number of migrations applied (0 on an empty database). */
export function pgSchemaVersion(db: PgDb): number {
  const exists = db.prepare("SELECT to_regclass('schema_migrations') IS NOT NULL AS e").pluck().get() as boolean;
  if (!exists) return 0;
  return db.prepare('SELECT coalesce(max(version), 0) FROM schema_migrations').pluck().get() as number;
}

/**
 * Applies the missing migrations, each in its own transaction under an advisory lock, reading the
 * version again inside it: two processes starting on a fresh database apply each migration once.
 * Returns how many this call applied.
 */
function migratePg(db: PgDb): number {
  for (let applied = 0; ; applied++) {
    const done = db.client;
    done.exec(`BEGIN; SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    done.inTransaction = true;
    try {
      done.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at text NOT NULL)');
      const v = pgSchemaVersion(db);
      if (v >= PG_MIGRATIONS.length) {
        done.exec('COMMIT');
        return applied;
      }
      done.exec(PG_MIGRATIONS[v]!);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(v + 1, new Date().toISOString());
      done.exec('COMMIT');
    } catch (err) {
      try {
        done.exec('ROLLBACK');
      } catch {
        // The connection is gone; the server rolled back.
      }
      throw err;
    } finally {
      done.inTransaction = false;
    }
  }
}

/** Names the server and what to check; never the password (the URL is not echoed). */
function connectError(err: unknown, t: PgTarget): UserError {
  const code = err instanceof PgError ? err.code : undefined;
  const where = `PostgreSQL at ${t.host}:${t.port}, database "${t.database}", user "${t.user}"`;
  const reason = (err as Error).message;
  const fix =
    code === '28P01' || code === '28000'
      ? 'Check the user and password in NEWSDESK_DATABASE_URL.'
      : code === '3D000'
        ? `Create the database (createdb ${t.database}) or fix the name in NEWSDESK_DATABASE_URL, then run "npx newsdesk migrate".`
        : 'Is PostgreSQL running and NEWSDESK_DATABASE_URL right? Then run "npx newsdesk migrate".';
  return new UserError('store', `Cannot connect to ${where}: ${reason}. ${fix}`, { cause: err });
}
