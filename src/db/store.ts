import { randomUUID } from 'node:crypto';
import { createArticleRepo, type ArticleRepo } from './article-repo.ts';
import { createChunkRepo, type ChunkRepo } from './chunk-repo.ts';
import path from 'node:path';
import { createMetaRepo, openMigratedDatabase, schemaVersion, sqliteDb, type MetaRepo } from './database.ts';
import { createFtsRows, createKeywordRepo, type KeywordRows, type KeywordStore } from './keyword-repo.ts';
import { createPgKeywordRepo, createPgKeywordRows } from './pg/keyword-repo.ts';
import { describePgTarget, openPg } from './pg/open-pg.ts';
import type { SqlDb } from './sql.ts';
import { createSourceRepo, type SourceRepo } from './source-repo.ts';
import { createWatchRepo, type WatchRepo } from './watch-repo.ts';
import { createStoryRepo, type StoryRepo } from './story-repo.ts';
import { createDigestRepo, type DigestRepo } from './digest-repo.ts';
import { createQuestionLogRepo, type QuestionLogRepo } from './question-log-repo.ts';
import { createFeedbackRepo, type FeedbackRepo } from './feedback-repo.ts';
import { createChannelSettingsRepo, type ChannelSettingsRepo } from './channel-settings-repo.ts';
import { createChangeLogRepo, type ChangeLogRepo } from './change-log-repo.ts';

/** Which adapter a store runs on, for messages (`migrate`, `doctor`): never a password. */
export type StoreBackend = { kind: 'sqlite'; file: string } | { kind: 'postgres'; target: string };

/**
 * The store as the rest of the code sees it (the storage port): one repository per table or
 * aggregate, and a transaction helper. Two adapters implement it with the same repositories: SQLite
 * (better-sqlite3, the embedded default) and PostgreSQL (NEWSDESK_DATABASE_URL, through a
 * synchronous client: docs/adr/0007-postgres-sync-store.md). The connection never leaves `src/db/`.
 */
export interface Store {
  readonly backend: StoreBackend;
  /** Schema version after opening, and how many migrations this open applied. */
  readonly schema: { version: number; applied: number };
  readonly articles: ArticleRepo;
  readonly chunks: ChunkRepo;
  readonly sources: SourceRepo;
  readonly keyword: KeywordStore;
  readonly meta: MetaRepo;
  /** Topic watches, their alerts and muted stories. */
  readonly watches: WatchRepo;
  /** Stories as one guild sees them (read-only): alerts, digests, freshness. */
  readonly stories: StoryRepo;
  /** Digest schedules and runs, answer snapshots. */
  readonly digests: DigestRepo;
  /** The questions/feedback log: questions with their citations, and votes. */
  readonly questions: QuestionLogRepo;
  readonly feedback: FeedbackRepo;
  readonly channelSettings: ChannelSettingsRepo;
  /** Every write to chunks and source links, for other processes on the same data dir to follow. */
  readonly changes: ChangeLogRepo;
  /** Names this process in the change log. */
  readonly writer: string;
  /**
   * Runs `fn` in one write transaction that takes the store's write lock first (SQLite: BEGIN
   * IMMEDIATE; PostgreSQL: an advisory transaction lock), so a second process waits instead of
   * failing halfway; nested calls become savepoints. On an error nothing of it is kept.
   */
  transaction<T>(fn: () => T): T;
  /** Folds SQLite's write-ahead log into the database file (benchmarks measure the file size after it); a no-op on PostgreSQL. */
  checkpointWal(): void;
  close(): void;
}

export interface OpenStoreOptions {
  readonly?: boolean;
  /** postgres://… (NEWSDESK_DATABASE_URL): the PostgreSQL adapter; unset: SQLite under `dataDir`. */
  databaseUrl?: string | null;
}

/**
 * Opens (creating if needed) the store, SQLite under `dataDir` or the PostgreSQL database at
 * `databaseUrl`, and brings its schema up to date (not when read-only).
 */
export function openStore(dataDir: string, opts: OpenStoreOptions = {}): Store {
  if (opts.databaseUrl) {
    const pg = openPg(opts.databaseUrl, { readonly: opts.readonly });
    return assemble(pg.db, createPgKeywordRows(pg.db), createPgKeywordRepo(pg.db), {
      backend: { kind: 'postgres', target: describePgTarget(pg.target) },
      schema: { version: pg.version, applied: pg.applied },
      checkpointWal: () => {},
      close: () => pg.db.client.close(),
    });
  }
  const { db: raw, applied } = openMigratedDatabase(dataDir, opts);
  try {
    const db = sqliteDb(raw);
    const version = schemaVersion(raw);
    return assemble(db, createFtsRows(raw), createKeywordRepo(raw), {
      backend: { kind: 'sqlite', file: path.join(dataDir, 'newsdesk.db') },
      schema: { version, applied },
      checkpointWal: () => void raw.pragma('wal_checkpoint(TRUNCATE)'),
      close: () => raw.close(),
    });
  } catch (err) {
    raw.close();
    throw err;
  }
}

type AdapterParts = Pick<Store, 'backend' | 'schema' | 'checkpointWal' | 'close'>;

/** The same repositories over either adapter's driver. */
function assemble(db: SqlDb, keywordRows: KeywordRows, keyword: KeywordStore, parts: AdapterParts): Store {
  try {
    const writer = `${process.pid}-${randomUUID().slice(0, 8)}`;
    const changes = createChangeLogRepo(db, writer);
    return {
      ...parts,
      changes,
      writer,
      articles: createArticleRepo(db, keywordRows, changes),
      chunks: createChunkRepo(db),
      sources: createSourceRepo(db),
      keyword,
      meta: createMetaRepo(db),
      watches: createWatchRepo(db),
      stories: createStoryRepo(db),
      digests: createDigestRepo(db),
      questions: createQuestionLogRepo(db),
      feedback: createFeedbackRepo(db),
      channelSettings: createChannelSettingsRepo(db),
      transaction: <T>(fn: () => T): T => db.transaction(fn),
    };
  } catch (err) {
    parts.close();
    throw err;
  }
}
