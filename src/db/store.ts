import { randomUUID } from 'node:crypto';
import { createArticleRepo, type ArticleRepo } from './article-repo.ts';
import { createChunkRepo, type ChunkRepo } from './chunk-repo.ts';
import { createMetaRepo, openDatabase, type MetaRepo } from './database.ts';
import { createKeywordRepo, type KeywordStore } from './keyword-repo.ts';
import { createSourceRepo, type SourceRepo } from './source-repo.ts';
import { createWatchRepo, type WatchRepo } from './watch-repo.ts';
import { createStoryRepo, type StoryRepo } from './story-repo.ts';
import { createDigestRepo, type DigestRepo } from './digest-repo.ts';
import { createQuestionLogRepo, type QuestionLogRepo } from './question-log-repo.ts';
import { createFeedbackRepo, type FeedbackRepo } from './feedback-repo.ts';
import { createChannelSettingsRepo, type ChannelSettingsRepo } from './channel-settings-repo.ts';
import { createChangeLogRepo, type ChangeLogRepo } from './change-log-repo.ts';

/**
 * The SQLite store as the rest of the code sees it: one repository per table or aggregate, and a
 * transaction helper. The connection itself never leaves `src/db/`.
 */
export interface Store {
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
   * Runs `fn` in one SQLite write transaction that takes the write lock first (BEGIN IMMEDIATE), so a
   * second process waits (busy timeout) instead of failing halfway; nested calls become savepoints.
   */
  transaction<T>(fn: () => T): T;
  /** Folds the write-ahead log into the database file (benchmarks measure the file size after it). */
  checkpointWal(): void;
  close(): void;
}

/** Opens (creating if needed) the store under `dataDir` and brings its schema up to date. */
export function openStore(dataDir: string, opts: { readonly?: boolean } = {}): Store {
  const db = openDatabase(dataDir, opts);
  try {
    const writer = `${process.pid}-${randomUUID().slice(0, 8)}`;
    const changes = createChangeLogRepo(db, writer);
    return {
      changes,
      writer,
      articles: createArticleRepo(db, changes),
      chunks: createChunkRepo(db),
      sources: createSourceRepo(db),
      keyword: createKeywordRepo(db),
      meta: createMetaRepo(db),
      watches: createWatchRepo(db),
      stories: createStoryRepo(db),
      digests: createDigestRepo(db),
      questions: createQuestionLogRepo(db),
      feedback: createFeedbackRepo(db),
      channelSettings: createChannelSettingsRepo(db),
      transaction: <T>(fn: () => T): T => db.transaction(fn).immediate(),
      checkpointWal: () => void db.pragma('wal_checkpoint(TRUNCATE)'),
      close: () => db.close(),
    };
  } catch (err) {
    db.close();
    throw err;
  }
}
