/**
 * The two store adapters as test parameters: `describe.each(STORE_ADAPTERS)` runs one suite against
 * SQLite (a temp data dir) and PostgreSQL (a fresh database on the run's test server, see
 * pg-cluster.ts; skipped with the reason when there is none, failed when NEWSDESK_REQUIRE_PG=1).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, type Store } from '../../src/db/store.ts';
import { createTestDatabase, hasPg, type TestDatabase } from './pg-cluster.ts';

export type AdapterName = 'sqlite' | 'postgres';

export interface AdapterCase {
  name: AdapterName;
  /** False: skip (no PostgreSQL for tests). */
  available: boolean;
}

export const STORE_ADAPTERS: AdapterCase[] = [
  { name: 'sqlite', available: true },
  { name: 'postgres', available: hasPg },
];

/** Where a fresh store lives: what `openStore` and the CLI (NEWSDESK_DATA_DIR / NEWSDESK_DATABASE_URL) take. */
export interface StoreTarget {
  /** The data dir (SQLite's file, and every per-process cache such as the HNSW index). */
  dataDir: string;
  /** postgres://… on the PostgreSQL adapter, else null. */
  databaseUrl: string | null;
  open(opts?: { readonly?: boolean }): Store;
  /** Environment for a CLI child process on this store. */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

let template: Promise<TestDatabase> | null = null;

/** A migrated database to copy from (once per test file): CREATE DATABASE … TEMPLATE costs far less than migrating. */
function migratedTemplate(): Promise<TestDatabase> {
  template ??= createTestDatabase().then((db) => {
    openStore(os.tmpdir(), { databaseUrl: db.url }).close();
    return db;
  });
  return template;
}

/** Drops this file's template database (call in afterAll when `freshStore(…, { migrated: true })` was used). */
export async function dropTemplate(): Promise<void> {
  const t = template;
  template = null;
  if (t) await (await t).drop();
}

/** A fresh, empty store on `adapter`; `migrated: false` gives an empty PostgreSQL database (migration tests). */
export async function freshStore(adapter: AdapterName, opts: { migrated?: boolean } = {}): Promise<StoreTarget> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `store-${adapter}-`));
  let db: TestDatabase | null = null;
  if (adapter === 'postgres')
    db = opts.migrated === false ? await createTestDatabase() : await createTestDatabase({ template: (await migratedTemplate()).name });
  const databaseUrl = db?.url ?? null;
  return {
    dataDir,
    databaseUrl,
    open: (o = {}) => openStore(dataDir, { ...o, databaseUrl }),
    env: { NEWSDESK_DATA_DIR: dataDir, ...(databaseUrl ? { NEWSDESK_DATABASE_URL: databaseUrl } : {}) },
    async cleanup() {
      await db?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
