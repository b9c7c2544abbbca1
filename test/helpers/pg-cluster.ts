/**
 * PostgreSQL for tests: a real server on loopback, never a mock.
 *
 * - NEWSDESK_TEST_DATABASE_URL set (CI starts a cluster in `.ci/run`): that server is used.
 * - Else, when Debian's binaries exist (/usr/lib/postgresql/<v>/bin), the vitest global setup
 *   (`setupPgCluster`, listed in vitest.config.ts) starts a throwaway cluster once per run (initdb
 *   into a temp dir, a free loopback port, the socket in the same dir) and stops it at the end.
 * - Else PG tests skip with the reason, unless NEWSDESK_REQUIRE_PG=1: then the run fails.
 *   NEWSDESK_TEST_NO_PG=1 takes this path on purpose (to check the suite on a machine without PostgreSQL).
 *
 * Each test file takes a database of its own: `const db = await createTestDatabase()` (CREATE
 * DATABASE t_<random>), `db.url` to open a store, `await db.drop()` after.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { findPgBin, startThrowawayCluster as startCluster } from '../../src/bench/pg-cluster.ts';

export { findPgBin };

/** Set by the global setup for the test workers (and anything they spawn): the server's admin URL. */
const URL_ENV = 'NEWSDESK_TEST_DATABASE_URL';
/** Set by the global setup when no server is available: why PG tests skip. */
const SKIP_ENV = 'NEWSDESK_TEST_PG_SKIPPED';

/** The admin URL of the test server, or null when PG tests skip (see `pgSkipReason`). */
export function pgAdminUrl(): string | null {
  return process.env[URL_ENV] || null;
}

export function pgSkipReason(): string {
  return process.env[SKIP_ENV] || 'no PostgreSQL server for tests';
}

/** For `describe.skipIf(!hasPg)`: false when no server is available (and NEWSDESK_REQUIRE_PG is not 1). */
export const hasPg: boolean = pgAdminUrl() !== null;
if (!hasPg && process.env.VITEST_WORKER_ID !== undefined) {
  // Said once per test file that asks; the run's summary counts the skipped tests.
  process.stderr.write(`PostgreSQL tests skipped: ${pgSkipReason()}\n`);
}

export interface TestDatabase {
  /** postgres://… of a fresh, empty database. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh database on the test server (CREATE DATABASE t_<random>); drop it in afterAll. With
 * `template`, a copy of that database (no one may be connected to it): a migrated template makes a
 * fresh store per test cheap.
 */
export async function createTestDatabase(opts: { template?: string } = {}): Promise<TestDatabase> {
  const admin = pgAdminUrl();
  if (!admin) throw new Error(`PostgreSQL is not available for tests: ${pgSkipReason()}`);
  const name = `t_${randomBytes(6).toString('hex')}`;
  await withClient(admin, (c) => c.query(`CREATE DATABASE ${name}${opts.template ? ` TEMPLATE ${opts.template}` : ''}`));
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop: () => withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export interface Cluster {
  url: string;
  stop(): void;
}

/** The throwaway cluster of the bench's code (src/bench/pg-cluster.ts), with test settings (fsync off). */
export async function startThrowawayCluster(bin: string): Promise<Cluster> {
  const c = await startCluster(bin, { fast: true, prefix: 'newsdesk-pg-' });
  return { url: c.adminUrl, stop: c.stop };
}

/** Vitest global setup: a server for the whole run (see the header), stopped at the end. */
export async function setupPgCluster(): Promise<() => void> {
  const required = process.env.NEWSDESK_REQUIRE_PG === '1';
  if (process.env[URL_ENV]) return () => {};
  // NEWSDESK_TEST_NO_PG=1 runs the suite as on a machine without PostgreSQL (the skip path).
  const bin = process.env.NEWSDESK_TEST_NO_PG === '1' ? null : findPgBin();
  if (!bin) {
    const reason = 'set NEWSDESK_TEST_DATABASE_URL, or install PostgreSQL (apt-get install postgresql) for a throwaway cluster';
    if (required) throw new Error(`NEWSDESK_REQUIRE_PG=1 but no PostgreSQL: ${reason}`);
    process.env[SKIP_ENV] = reason;
    return () => {};
  }
  let cluster: Cluster;
  try {
    cluster = await startThrowawayCluster(bin);
  } catch (err) {
    if (required) throw err;
    process.env[SKIP_ENV] = (err as Error).message.split('\n')[0]!;
    return () => {};
  }
  process.env[URL_ENV] = cluster.url;
  return () => cluster.stop();
}
