import type { Embeddings } from '@langchain/core/embeddings';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../db/store.ts';
import type { ChangeSignal } from '../db/change-signal.ts';
import { createChunkCatalog } from '../retrieval/chunk-catalog.ts';
import { createKeywordSearch } from '../retrieval/keyword-search.ts';
import { openHnswIndex } from '../retrieval/hnsw-index.ts';
import type { VectorIndex, VectorSearch } from '../retrieval/vector-index.ts';
import type { EmbeddedChunk, PreparedArticle } from '../types.ts';
import type { ArticleAdded, Corpus, PutTarget } from './corpus.ts';
import { embeddingText } from './embedding-text.ts';
import { createNearDuplicateIndex } from './near-duplicate-index.ts';
import { reconcileIndex } from './reconcile.ts';
import { shareIndex } from './shared-index.ts';

export interface OpenCorpusOptions {
  store: Store;
  /** Where the HNSW index lives (a folder beside the store). */
  indexDir: string;
  /** Named in the embedder-mismatch message. */
  dataDir: string;
  /** The configured embedder: its id is recorded with the vectors, its dimension sizes the index. */
  embedder: { id: string; dim: number };
  /** Open even when the store was embedded by another embedder (used by `reindex`). */
  allowEmbedderChange?: boolean;
  logger: Logger;
  /** Save the index after this many new chunks during a long import (crash recovery covers the rest). */
  saveEvery?: number;
  /** A read-only command (ask, stats): never writes the index file or the store's meta. */
  readOnly?: boolean;
  /** How often a long-running process applies other processes' writes after `warmUp` (default 2 s). */
  followIntervalMs?: number;
  /** Catch up as soon as another process signals a commit (PostgreSQL LISTEN/NOTIFY), besides the timer. */
  changeSignal?: ChangeSignal;
}

const REEMBED_BATCH = 256;

/**
 * Opens the corpus over a store: checks which embedder built the stored vectors, opens (or, after an
 * embedder change, recreates) the HNSW index, reconciles it with SQLite and loads the chunk catalog.
 */
export async function openCorpus(o: OpenCorpusOptions): Promise<Corpus> {
  const { store, logger } = o;
  const { articles, chunks } = store;
  const storedId = store.meta.get('embedder_id');
  const mismatch = storedId !== undefined && storedId !== o.embedder.id && chunks.count() > 0;
  if (mismatch && !o.allowEmbedderChange) {
    throw new UserError(
      'embedder-mismatch',
      `The store under ${o.dataDir} was embedded with "${storedId}" but the configured embedder is "${o.embedder.id}". Run \`npx newsdesk reindex\` to re-embed it (or switch the configuration back).`,
    );
  }
  if (!mismatch && storedId !== o.embedder.id && !o.readOnly) store.meta.set('embedder_id', o.embedder.id);

  // Read before loading anything: later writes by other processes are applied again (idempotently).
  const from = store.changes.head();
  const catalog = createChunkCatalog(store);
  catalog.load();
  let index: VectorIndex = await openHnswIndex({ dir: o.indexDir, dim: o.embedder.dim, embedderId: o.embedder.id, recreate: mismatch });
  const keyword = createKeywordSearch(
    store.keyword,
    () => catalog.size(),
    (chunkId) => catalog.articleOf(chunkId),
  );
  const listeners = new Set<(e: ArticleAdded) => void>();
  // Other processes on the same data dir: follow their writes; write the index file under a lock.
  const shared = shareIndex({
    indexDir: o.indexDir,
    index: () => index,
    chunks,
    catalog,
    keyword,
    changes: store.changes,
    writer: store.writer,
    readOnly: o.readOnly ?? false,
    logger,
    from,
    // What another process stored is news here too (the leader may not be the process that polled).
    articlesArrived(arrived) {
      for (const { articleId, kind } of arrived) {
        const row = articles.summary(articleId);
        if (!row) continue; // gone again
        for (const guildId of new Set(articles.holders(articleId))) {
          emit({ kind, articleId, sourceId: null, guildId, title: row.title, url: row.url, outlet: row.outlet, published: row.published });
        }
      }
    },
  });
  if (!mismatch) {
    const fixed = reconcileIndex(chunks, index);
    if (fixed.added || fixed.removed) {
      logger.info('index reconciled with the store', fixed);
      await shared.index.save();
    }
  }
  const nearDup = createNearDuplicateIndex({ loadAll: () => articles.simhashes(), textOf: (id) => articles.articleText(id) });
  const saveEvery = o.saveEvery ?? 20_000;
  let unsaved = 0;

  function emit(e: ArticleAdded): void {
    for (const listener of listeners) {
      try {
        listener(e);
      } catch (err) {
        // A subscriber's bug must not undo or interrupt an ingest that is already committed.
        logger.warn('article listener failed', { articleId: e.articleId, err });
      }
    }
  }

  function event(kind: ArticleAdded['kind'], articleId: number, a: PreparedArticle, sourceId: number | null, of?: number): ArticleAdded {
    return { kind, articleId, ...(of === undefined ? {} : { of }), sourceId, title: a.title, url: a.url, outlet: a.outlet, published: a.published };
  }

  async function save(): Promise<void> {
    await shared.index.save();
    unsaved = 0;
  }

  /** Follows `index`, which `reembed` replaces. */
  const indexView: VectorSearch = {
    get dim() {
      return index.dim;
    },
    size: () => index.size(),
    has: (id) => index.has(id),
    search: (q, k, filter) => index.search(q, k, filter),
    ids: () => index.ids(),
  };

  return {
    findByUrl: (url) => articles.findByUrl(url),
    findByHash: (hash) => articles.findByHash(hash),
    findNearDuplicate: (simhash, text) => nearDup.find(simhash, text),
    findApart: (claimedUrl, sourceId) => articles.findApart(claimedUrl, sourceId),
    holders: (articleId) => articles.holders(articleId),
    guildOfSource: (sourceId) => articles.guildOfSource(sourceId),

    put(a: PreparedArticle, embedded: EmbeddedChunk[], sourceId: number | null, target = { kind: 'insert' } as PutTarget) {
      let t = performance.now();
      const r = store.transaction(() => {
        if (target.kind === 'replace') {
          // An update the identity rule allows: its old chunks go, the old version is kept.
          const replaced = articles.replace(target.articleId, a, embedded, { sourceId });
          if (sourceId !== null) articles.linkSource(target.articleId, sourceId);
          return { kind: 'updated' as const, articleId: target.articleId, chunkIds: replaced.chunkIds, removed: replaced.removedChunkIds };
        }
        // Text fetched from the URL itself takes it back from an article that only claimed it.
        if (target.kind === 'reclaim') articles.detachUrl(target.articleId);
        const inserted = articles.insert(a, embedded, sourceId);
        return { kind: 'added' as const, articleId: inserted.articleId, chunkIds: inserted.chunkIds, removed: [] as number[] };
      });
      catalog.removeChunks(r.removed);
      catalog.addArticle(r.articleId, a.published, r.chunkIds);
      keyword.removed(r.removed);
      keyword.added(
        r.chunkIds,
        a.title,
        embedded.map((c) => c.text),
      );
      if (a.simhash) nearDup.add(r.articleId, a.simhash);
      const storeMs = performance.now() - t;
      t = performance.now();
      index.remove(r.removed);
      index.add(
        r.chunkIds,
        embedded.map((c) => c.embedding),
      );
      unsaved += r.chunkIds.length;
      const indexMs = performance.now() - t;
      emit(event(r.kind, r.articleId, a, sourceId));
      return { kind: r.kind, articleId: r.articleId, chunkIds: r.chunkIds, timings: { store: storeMs, index: indexMs } };
    },

    addAlternate(a, of, sourceId) {
      const { articleId } = store.transaction(() => articles.insert(a, [], sourceId, of));
      catalog.invalidateScopes();
      emit(event('alternate', articleId, a, sourceId, of));
      return { articleId };
    },

    linkSource(articleId, sourceId) {
      const fresh = articles.linkSource(articleId, sourceId);
      catalog.invalidateScopes();
      const row = fresh ? articles.summary(articleId) : undefined;
      if (row) emit({ kind: 'linked', articleId, sourceId, title: row.title, url: row.url, outlet: row.outlet, published: row.published });
    },

    async removeSource(sourceId) {
      const before = articles.count();
      const removedChunks = store.transaction(() => {
        store.sources.remove(sourceId);
        return articles.deleteOrphans();
      });
      const after = articles.count();
      catalog.removeChunks(removedChunks);
      keyword.removed(removedChunks);
      index.remove(removedChunks);
      await save();
      return { removedArticles: before - after };
    },

    async reembed(embeddings: Embeddings, onProgress) {
      const rows = chunks.spans();
      const fresh = await openHnswIndex({ dir: o.indexDir, dim: o.embedder.dim, embedderId: o.embedder.id, recreate: true });
      for (let i = 0; i < rows.length; i += REEMBED_BATCH) {
        const batch = rows.slice(i, i + REEMBED_BATCH);
        const vectors = await embeddings.embedDocuments(batch.map((r) => embeddingText(r.title, r.text.slice(r.start, r.end))));
        const f32 = vectors.map((v) => Float32Array.from(v));
        store.transaction(() => chunks.setVectors(batch.map((r, j) => ({ id: r.id, vector: f32[j]! }))));
        fresh.add(
          batch.map((r) => r.id),
          f32,
        );
        onProgress?.(Math.min(i + REEMBED_BATCH, rows.length), rows.length);
      }
      index = fresh;
      // Other processes rebuild their indexes from the store rather than replay every vector.
      store.transaction(() => store.changes.record('reload'));
      await save();
      store.meta.set('embedder_id', o.embedder.id);
      return { chunks: rows.length };
    },

    reconcile: () => reconcileIndex(chunks, index),
    save,
    async checkpoint() {
      if (unsaved >= saveEvery) await save();
    },
    onArticleAdded(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    warmUp() {
      keyword.preload();
      shared.follower.catchUp();
      shared.follower.start(o.followIntervalMs ?? 2000, (err) => logger.warn("could not apply other processes' writes", { err }));
      o.changeSignal?.start(() => {
        try {
          shared.follower.catchUp();
        } catch (err) {
          logger.warn("could not apply other processes' writes", { err });
        }
      });
    },
    catchUp: () => shared.follower.catchUp(),
    views: { index: indexView, keyword, catalog, chunks },
    embedderId: o.embedder.id,
    counts: () => ({ articles: articles.count(), chunks: chunks.count(), vectors: index.size() }),
    async close() {
      shared.follower.stop();
      await o.changeSignal?.stop();
      await save();
    },
  };
}
