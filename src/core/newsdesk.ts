import path from 'node:path';
import type { Embeddings } from '@langchain/core/embeddings';
import type { Config } from '../config.ts';
import { UserError } from '../errors.ts';
import { silentLogger, type Logger } from '../logger.ts';
import { getMeta, openDatabase, setMeta, type Db } from '../db/database.ts';
import { blobToVector, createArticleRepo, vectorToBlob } from '../db/article-repo.ts';
import { createSourceRepo, type GuildScope } from '../db/source-repo.ts';
import { createChunkCatalog, type RetrievalScope } from '../retrieval/chunk-catalog.ts';
import { createKeywordSearch } from '../retrieval/keyword-search.ts';
import { createKeywordRepo } from '../db/keyword-repo.ts';
import { createRetriever, type RetrieverTuning } from '../retrieval/retriever.ts';
import { reconcileIndex } from '../retrieval/index-sync.ts';
import { openHnswIndex } from '../retrieval/hnsw-index.ts';
import type { VectorIndex } from '../retrieval/vector-index.ts';
import { createEmbeddings } from '../retrieval/embeddings-factory.ts';
import { createIngestPipeline, embeddingText } from '../ingest/pipeline.ts';
import { fetchUrlSource, type Fetcher, type RobotsChecker } from '../ingest/url-importer.ts';
import { createFetcher } from '../fetch/fetcher.ts';
import { limitFetcherPerHost } from '../fetch/host-limiter.ts';
import { createRobotsChecker } from '../fetch/robots.ts';
import { createExtractiveAnswerer, type ExtractiveOptions } from '../answer/extractive-answerer.ts';
import { createSourceService } from '../sources/source-service.ts';
import { ask, type Answerer, type AskOptions } from './ask.ts';

export interface NewsdeskOptions {
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
}

export interface ArticleSummary {
  id: number;
  title: string;
  url: string | null;
  outlet: string | null;
  published: string | null;
  score?: number;
}

/**
 * The composition root of the engine: store, index, embedder, ingestion, retrieval and answering,
 * wired once from a Config. Every front end (CLI, Discord, eval) calls this.
 */
export async function openNewsdesk(config: Config, opts: NewsdeskOptions = {}) {
  const logger = opts.logger ?? silentLogger;
  const db = openDatabase(config.dataDir);
  try {
    return await assemble(db, config, opts, logger);
  } catch (err) {
    db.close();
    throw err;
  }
}

async function assemble(db: Db, config: Config, opts: NewsdeskOptions, logger: Logger) {
  const emb = opts.embeddings ?? (await createEmbeddings(config));
  const storedId = getMeta(db, 'embedder_id');
  const chunkCount = (db.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n;
  const mismatch = storedId !== undefined && storedId !== emb.id && chunkCount > 0;
  if (mismatch && !opts.allowEmbedderChange) {
    throw new UserError(
      'embedder-mismatch',
      `The store under ${config.dataDir} was embedded with "${storedId}" but the configured embedder is "${emb.id}". Run \`npx newsdesk reindex\` to re-embed it (or switch the configuration back).`,
    );
  }
  if (!mismatch) setMeta(db, 'embedder_id', emb.id);

  const articles = createArticleRepo(db);
  const sources = createSourceRepo(db);
  const catalog = createChunkCatalog(db);
  catalog.load();
  const indexDir = path.join(config.dataDir, 'index');
  let index: VectorIndex = await openHnswIndex({ dir: indexDir, dim: emb.dim, embedderId: emb.id, recreate: mismatch });
  if (!mismatch) {
    const fixed = reconcileIndex(db, index);
    if (fixed.added || fixed.removed) {
      logger.info('index reconciled with the store', fixed);
      await index.save();
    }
  }

  const keyword = createKeywordSearch(createKeywordRepo(db), () => catalog.size());
  const pipeline = createIngestPipeline({ db, articles, embeddings: emb.embeddings, index, catalog, keyword, logger });
  const retriever = createRetriever({ embeddings: emb.embeddings, index, keyword, catalog, articles, tuning: opts.tuning });
  const extractive = createExtractiveAnswerer({ idf: (t) => keyword.idf(t), options: opts.extractive });
  // The OpenAI client code is loaded only when configured: it costs start-up time otherwise.
  const answerer: Answerer =
    config.answerer.kind === 'openai' ? (await import('../answer/llm-answerer.ts')).createLlmAnswerer(config) : extractive;

  // One request at a time per host, whoever asks (polls, article pages, robots.txt).
  const fetcher = opts.fetcher ?? limitFetcherPerHost(createFetcher(config.fetch));
  const robots =
    opts.robots === null ? undefined : (opts.robots ?? (config.fetch.respectRobots ? createRobotsChecker(fetcher, config.fetch.userAgent) : undefined));
  const sourceService = createSourceService({
    db,
    sources,
    articles,
    catalog,
    keyword,
    index,
    pipeline,
    fetchUrl: (url, conditional) =>
      fetchUrlSource(
        url,
        {
          fetcher,
          robots,
          isKnownUrl: (u) => articles.findByUrl(u) !== undefined,
          maxItems: config.polling.maxItemsPerPoll,
        },
        conditional,
      ),
    polling: config.polling,
    logger,
  });

  function withAlternates<T extends Awaited<ReturnType<typeof ask>>>(r: T): T {
    r.citations.forEach((c, i) => {
      const id = r.articleIds[i];
      if (id === undefined) return;
      const outlets = [...new Set(articles.alternates(id).map((a) => a.outlet).filter((x): x is string => !!x && x !== c.source))];
      if (outlets.length > 0) c.also_reported_by = outlets;
    });
    return r;
  }

  function scopeOf(guild: GuildScope): RetrievalScope {
    return guild.kind === 'all' ? {} : { guildId: guild.guildId };
  }

  const core = {
    config,
    db,
    logger,
    embedderId: emb.id,
    sources: sourceService,
    retriever,
    /** Builds the in-memory keyword index now (long-running processes call this at start-up). */
    warmUp(): void {
      keyword.preload();
    },
    get index() {
      return index;
    },
    /** retrieve → answer with the configured answerer; citations name the other outlets of a story. */
    ask: async (question: string, o: AskOptions = {}) => withAlternates(await ask({ retriever, answerer }, question, o)),
    /** The same with the offline answerer, whatever is configured (eval baselines). */
    askExtractive: (question: string, o: AskOptions = {}) => ask({ retriever, answerer: extractive }, question, o),
    /** Matching articles, best first, one entry per article. */
    async search(query: string, scope: GuildScope, o: { k?: number; since?: string } = {}): Promise<ArticleSummary[]> {
      const passages = await retriever.retrieve(query, { ...scopeOf(scope), since: o.since, k: o.k ?? 10, perArticle: 1 });
      return passages.map((p) => ({ id: p.articleId, title: p.title, url: p.url, outlet: p.outlet, published: p.published, score: p.score }));
    },
    /** Newest articles in scope (optionally of one source). */
    latest(scope: GuildScope, o: { sourceId?: number; limit?: number } = {}): ArticleSummary[] {
      const filter = catalog.articleFilter({ ...scopeOf(scope), sourceIds: o.sourceId ? [o.sourceId] : undefined });
      const rows = db
        .prepare(
          `SELECT id, title, url, outlet, published FROM articles WHERE duplicate_of IS NULL
           ORDER BY coalesce(published, substr(fetched_at, 1, 10)) DESC, id DESC LIMIT ?`,
        )
        .all(filter ? 5000 : (o.limit ?? 10)) as ArticleSummary[];
      return rows.filter((r) => !filter || filter(r.id)).slice(0, o.limit ?? 10);
    },
    alternates: (articleId: number) => articles.alternates(articleId),
    stats() {
      const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      return {
        sources: count('SELECT count(*) AS n FROM sources'),
        articles: count('SELECT count(*) AS n FROM articles'),
        chunks: count('SELECT count(*) AS n FROM chunks'),
        index: { vectors: index.size(), embedder: emb.id, dim: emb.dim },
      };
    },
    /** Re-embeds every chunk with the configured embedder and rebuilds the index from scratch. */
    async reindex(onProgress?: (done: number, total: number) => void): Promise<{ chunks: number }> {
      const rows = db
        .prepare('SELECT c.id, c.start, c.end, a.title, a.text FROM chunks c JOIN articles a ON a.id = c.article_id ORDER BY c.id')
        .all() as Array<{ id: number; start: number; end: number; title: string; text: string }>;
      const update = db.prepare('UPDATE chunks SET embedding = ? WHERE id = ?');
      const fresh = await openHnswIndex({ dir: indexDir, dim: emb.dim, embedderId: emb.id, recreate: true });
      for (let i = 0; i < rows.length; i += 256) {
        const batch = rows.slice(i, i + 256);
        const vectors = await emb.embeddings.embedDocuments(batch.map((r) => embeddingText(r.title, r.text.slice(r.start, r.end))));
        const f32 = vectors.map((v) => Float32Array.from(v));
        db.transaction(() => batch.forEach((r, j) => update.run(vectorToBlob(f32[j]!), r.id)))();
        fresh.add(
          batch.map((r) => r.id),
          f32,
        );
        onProgress?.(Math.min(i + 256, rows.length), rows.length);
      }
      await fresh.save();
      setMeta(db, 'embedder_id', emb.id);
      index = fresh;
      return { chunks: rows.length };
    },
    /** Vectors of chunks, for tools that build their own index over the same data (eval baselines). */
    storedVector(chunkId: number): Float32Array | undefined {
      const r = db.prepare('SELECT embedding FROM chunks WHERE id = ?').get(chunkId) as { embedding: Buffer } | undefined;
      return r && blobToVector(r.embedding);
    },
    async close(): Promise<void> {
      await index.save();
      db.close();
    },
  };
  return core;
}

export type Newsdesk = Awaited<ReturnType<typeof openNewsdesk>>;
