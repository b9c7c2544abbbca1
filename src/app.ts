import path from 'node:path';
import type { Embeddings } from '@langchain/core/embeddings';
import type { Config } from './config.ts';
import { silentLogger, type Logger } from './logger.ts';
import type { ArticleReader } from './db/article-repo.ts';
import { openStore, type Store } from './db/store.ts';
import type { StoreTransfer } from './db/transfer/transfer.ts';
import type { Corpus } from './indexing/corpus.ts';
import { openCorpus } from './indexing/open-corpus.ts';
import { isVerified } from './indexing/identity-rule.ts';
import { createIngestPipeline } from './ingest/pipeline.ts';
import { fetchUrlSource } from './ingest/url-importer.ts';
import { createFetcher, type Fetcher } from './fetch/fetcher.ts';
import { limitFetcherPerHost } from './fetch/host-limiter.ts';
import { createRobotsChecker, type RobotsChecker } from './fetch/robots.ts';
import { createEmbeddings } from './retrieval/embeddings-factory.ts';
import type { KeywordSearch } from './retrieval/keyword-search.ts';
import { createRetriever, type Retriever, type RetrieverTuning } from './retrieval/retriever.ts';
import type { VectorSearch } from './retrieval/vector-index.ts';
import { createExtractiveAnswerer, type ExtractiveOptions } from './answer/extractive-answerer.ts';
import type { Answerer } from './core/ask.ts';
import { createQuestions, type Questions } from './core/questions.ts';
import { createSourceService, type SourceService } from './sources/source-service.ts';
import { createNewsFeatures, type NewsFeatures } from './news/news-features.ts';
import type { WatchServiceDeps } from './watches/watch-service.ts';
import type { StoryRepo } from './db/story-repo.ts';
import { createInsightsService, type InsightsService } from './core/insights.ts';
import { createChannelSettingsService, type ChannelSettingsService } from './core/channel-settings.ts';
import { openFileLeadership, type Leadership } from './db/leadership.ts';
import { openPgLeadership } from './db/pg-leadership.ts';
import { pgChangeSignal } from './db/pg-change-signal.ts';

export interface AppOptions {
  logger?: Logger;
  /** Replace the configured embedder (tests, eval baselines). */
  embeddings?: { embeddings: Embeddings; id: string; dim: number };
  fetcher?: Fetcher;
  robots?: RobotsChecker | null;
  tuning?: Partial<RetrieverTuning>;
  /** Extractive answerer options (eval experiments). */
  extractive?: Partial<ExtractiveOptions>;
  /** Open even when the index was built by another embedder (used by `reindex`). */
  allowEmbedderChange?: boolean;
  /** Topic-match tuning (the alert evaluation sweeps it). */
  watchTuning?: WatchServiceDeps['tuning'];
  /** A read-only command (ask, stats): never writes the index file or the store's meta. */
  readOnly?: boolean;
  /** How often a long-running process applies other processes' writes after `warmUp` (default 2 s). */
  followIntervalMs?: number;
}

/** The `stats --json` contract. */
export interface CorpusStats {
  sources: number;
  articles: number;
  chunks: number;
  /** vectors = live, searchable chunks. */
  index: { vectors: number; embedder: string; dim: number };
}

/** Operator tasks on the stored corpus. */
export interface CorpusAdmin {
  stats(): CorpusStats;
  /** Re-embeds every chunk with the configured embedder and rebuilds the index from scratch. */
  reindex(onProgress?: (done: number, total: number) => void): Promise<{ chunks: number }>;
  /** Builds the in-memory keyword index now (long-running processes call this at start-up). */
  warmUp(): void;
  /** Saves the vector index and folds the write-ahead log into the database file (benchmarks measure both). */
  flush(): Promise<void>;
}

/**
 * Everything a front end (CLI, Discord, eval, bench) may use. None of it reaches the database:
 * writes go through the sources service into the corpus, reads through declared views.
 */
export interface App extends Questions, CorpusAdmin, NewsFeatures {
  readonly config: Config;
  readonly logger: Logger;
  readonly embedderId: string;
  readonly sources: SourceService;
  /** The questions/feedback log (retention NEWSDESK_QUESTION_LOG_DAYS) and the /insights figures. */
  readonly insights: InsightsService;
  /** Per-channel choices of server admins. */
  readonly settings: ChannelSettingsService;
  readonly retriever: Retriever;
  /** Read-only views for tools that measure or compare (eval, bench, tests). */
  readonly index: VectorSearch;
  readonly keyword: KeywordSearch;
  readonly articles: ArticleReader;
  /** Stored stories by corpus id (the alert evaluation). */
  readonly stories: Pick<StoryRepo, 'byExternalId'>;
  /** Small operator flags kept in the store (e.g. that the demo source was seeded once). */
  readonly meta: Pick<Store['meta'], 'get' | 'set'>;
  /** New articles as they are stored (watches, alerts, a change feed). */
  onArticleAdded: Corpus['onArticleAdded'];
  /**
   * Starts competing for the leader lock of this store (long-running processes only: the bot, `poll`,
   * the console chat). The leader alone polls sources and posts digests and alerts.
   */
  openLeadership(opts?: { retryMs?: number }): Leadership;
  /** Saves the index and closes the store. */
  close(): Promise<void>;
}

/** What `newsdesk migrate` reports: the store it opened (no password) and its schema version. */
export interface MigrationReport {
  backend: string;
  version: number;
  applied: number;
}

/** Opens the configured store, which brings its schema up to date, and closes it again. */
export function migrateStore(config: Pick<Config, 'dataDir' | 'databaseUrl'>): MigrationReport {
  const store = openStore(config.dataDir, { databaseUrl: config.databaseUrl });
  try {
    const b = store.backend;
    return { backend: b.kind === 'sqlite' ? `SQLite ${b.file}` : `PostgreSQL ${b.target}`, ...store.schema };
  } finally {
    store.close();
  }
}

/**
 * The composition root, wiring only: config → store → embedder → corpus → retriever → answerer →
 * fetcher → ingest pipeline → sources service.
 */
export async function openApp(config: Config, opts: AppOptions = {}): Promise<App> {
  const logger = opts.logger ?? silentLogger;
  const store = openStore(config.dataDir, { databaseUrl: config.databaseUrl });
  try {
    return await assemble(store, config, opts, logger);
  } catch (err) {
    store.close();
    throw err;
  }
}

async function assemble(store: Store, config: Config, opts: AppOptions, logger: Logger): Promise<App> {
  const emb = opts.embeddings ?? (await createEmbeddings(config));
  const corpus = await openCorpus({
    store,
    indexDir: path.join(config.dataDir, 'index'),
    dataDir: config.dataDir,
    embedder: { id: emb.id, dim: emb.dim },
    allowEmbedderChange: opts.allowEmbedderChange,
    readOnly: opts.readOnly,
    followIntervalMs: opts.followIntervalMs,
    // PostgreSQL: LISTEN for other processes' commits (connects only when a long-running process warms up).
    changeSignal: config.databaseUrl ? pgChangeSignal(config.databaseUrl, { logger }) : undefined,
    logger,
  });
  const { views } = corpus;
  // Measured on the dev split (`newsdesk-bm25only` against `newsdesk`): the offline hashing embedder's
  // votes add nothing to BM25 there (R@5 44.8 vs 44.9, containment 26.8 vs 25.6), so with it the dense
  // path is off; a neural embedder (NEWSDESK_EMBEDDER=openai) votes at the tuned half weight.
  const denseDefault: Partial<RetrieverTuning> = config.embedder.kind === 'local' && !opts.embeddings ? { denseWeight: 0 } : {};
  const retriever = createRetriever({ embeddings: emb.embeddings, ...views, tuning: { ...denseDefault, ...opts.tuning } });
  const extractive = createExtractiveAnswerer({ idf: (t) => views.keyword.idf(t), options: opts.extractive });
  // The OpenAI client code is loaded only when configured: it costs start-up time otherwise.
  const answerer: Answerer = config.answerer.kind === 'openai' ? (await import('./answer/llm-answerer.ts')).createLlmAnswerer(config) : extractive;
  const questions = createQuestions({
    retriever,
    answerer,
    extractive,
    catalog: views.catalog,
    articles: store.articles,
    storyCopiesSeenBy: (storyId, guildId) => store.stories.storyMembers(storyId, guildId),
  });
  const news = createNewsFeatures({
    store,
    corpus,
    idf: (t) => views.keyword.idf(t),
    retriever,
    answerer,
    config,
    watchTuning: opts.watchTuning,
    logger,
  });

  // One request at a time per host, whoever asks (polls, article pages, robots.txt).
  const fetcher = opts.fetcher ?? limitFetcherPerHost(createFetcher(config.fetch));
  const robots =
    opts.robots === null ? undefined : (opts.robots ?? (config.fetch.respectRobots ? createRobotsChecker(fetcher, config.fetch.userAgent) : undefined));
  const pipeline = createIngestPipeline({ corpus, embeddings: emb.embeddings });
  const sources = createSourceService({
    sources: store.sources,
    corpus,
    pipeline,
    fetchUrl: (url, conditional, budgetMs) =>
      fetchUrlSource(
        url,
        {
          fetcher,
          robots,
          // Only a story fetched from its own origin counts as known: a claim does not stop the page being fetched.
          isKnownUrl: (u) => {
            const stored = corpus.findByUrl(u);
            return stored !== undefined && isVerified(stored);
          },
          maxItems: config.polling.maxItemsPerPoll,
          deadline: Date.now() + budgetMs,
        },
        conditional,
      ),
    polling: config.polling,
    maxFileBytes: config.ingest.maxFileBytes,
    budgets: config.budgets,
    logger,
  });

  // Source health in /insights covers a server's own sources (every source for the CLI).
  const insights = createInsightsService({
    questions: store.questions,
    feedback: store.feedback,
    retentionDays: config.insights.retentionDays,
    sources: (scope) => sources.list(scope).filter((s) => scope.kind === 'all' || s.guildId === scope.guildId),
  });

  return {
    ...questions,
    ...news,
    insights,
    settings: createChannelSettingsService(store.channelSettings),
    config,
    logger,
    embedderId: emb.id,
    sources,
    retriever,
    index: views.index,
    keyword: views.keyword,
    articles: store.articles,
    stories: store.stories,
    meta: store.meta,
    onArticleAdded: (listener) => corpus.onArticleAdded(listener),
    openLeadership: (o = {}) =>
      config.databaseUrl ? openPgLeadership(config.databaseUrl, { logger, ...o }) : openFileLeadership(config.dataDir, { logger, ...o }),
    warmUp: () => corpus.warmUp(),
    stats() {
      const c = corpus.counts();
      return { sources: store.sources.count(), articles: c.articles, chunks: c.chunks, index: { vectors: c.vectors, embedder: emb.id, dim: emb.dim } };
    },
    reindex: (onProgress) => corpus.reembed(emb.embeddings, onProgress),
    async flush() {
      await corpus.save();
      store.checkpointWal();
    },
    async close() {
      await corpus.close();
      store.close();
    },
  };
}

/**
 * Export/import over the configured store (`newsdesk export` / `import`): its own connection, no
 * indexes opened. Reopen the App afterwards to rebuild the vector index from the imported store.
 */
export async function openStoreTransfer(config: Config): Promise<StoreTransfer> {
  const { openTransferBackend } = await import('./db/transfer/sql-backend.ts');
  const { createStoreTransfer } = await import('./db/transfer/transfer.ts');
  return createStoreTransfer(openTransferBackend(config.dataDir, config.databaseUrl));
}
