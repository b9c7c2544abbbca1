import type { ArticleRepo } from '../db/article-repo.ts';
import type { ChunkRepo } from '../db/chunk-repo.ts';
import { dayNumber } from '../text/dates.ts';

/** What a question may see: every source (CLI), or one guild's plus global ones; optional source and date limits. */
export interface RetrievalScope {
  /** undefined: all sources; null: global sources only (DMs); a string: that guild's and global sources. */
  guildId?: string | null;
  sourceIds?: number[];
  /** Articles published after this day (YYYY-MM-DD) are invisible: they did not exist yet. */
  asOf?: string;
  /** Only articles published on or after this day. */
  since?: string;
}

/** What the retriever and the question services read: chunk → article, publication days, scope filters. */
export interface ChunkCatalogView {
  articleOf(chunkId: number): number | undefined;
  dayOf(articleId: number): number | null;
  size(): number;
  /** A predicate over article ids for the whole scope, or null when nothing is filtered. */
  articleFilter(scope: RetrievalScope): ((articleId: number) => boolean) | null;
  chunkFilter(scope: RetrievalScope): ((chunkId: number) => boolean) | null;
  /** Chunks a scope lets a question see (all of them without filters). */
  countVisible(scope: RetrievalScope): number;
}

/** The catalog with its write side, used only by the corpus (src/indexing/). */
export interface ChunkCatalog extends ChunkCatalogView {
  /** Rebuilds everything from the store. */
  load(): void;
  addArticle(articleId: number, published: string | null, chunkIds: number[]): void;
  removeChunks(chunkIds: number[]): void;
  /** Source links changed (a source added to or removed from a scope). */
  invalidateScopes(): void;
}

/**
 * In-memory map from chunk to article and publication day, so filters inside the vector search
 * (scope, as-of date) cost a hash look-up instead of a query. Rebuilt from SQLite at start-up.
 */
export function createChunkCatalog(store: {
  chunks: Pick<ChunkRepo, 'articlePairs'>;
  articles: Pick<ArticleRepo, 'publishedDays' | 'visibleThrough'>;
}): ChunkCatalog {
  const articleOf = new Map<number, number>();
  const dayOf = new Map<number, number | null>();
  const scopeCache = new Map<string, Set<number>>();

  function load(): void {
    articleOf.clear();
    dayOf.clear();
    scopeCache.clear();
    for (const r of store.chunks.articlePairs()) articleOf.set(r.id, r.articleId);
    for (const r of store.articles.publishedDays()) dayOf.set(r.id, dayNumber(r.published));
  }

  /** Articles visible in a guild/source scope (null: no restriction). Alternates map to their indexed copy. */
  function scopeArticles(scope: RetrievalScope): Set<number> | null {
    if (scope.guildId === undefined && !scope.sourceIds) return null;
    const key = JSON.stringify([scope.guildId ?? '*', scope.sourceIds ?? []]);
    const cached = scopeCache.get(key);
    if (cached) return cached;
    const set = new Set(store.articles.visibleThrough({ guildId: scope.guildId, sourceIds: scope.sourceIds }));
    scopeCache.set(key, set);
    return set;
  }

  /** A predicate over article ids for the whole scope, or null when nothing is filtered. */
  function articleFilter(scope: RetrievalScope): ((articleId: number) => boolean) | null {
    const allowed = scopeArticles(scope);
    const asOf = dayNumber(scope.asOf);
    const since = dayNumber(scope.since);
    if (!allowed && asOf === null && since === null) return null;
    return (articleId) => {
      if (allowed && !allowed.has(articleId)) return false;
      if (asOf === null && since === null) return true;
      const day = dayOf.get(articleId);
      // Undated articles stay visible to "as of" questions (we cannot prove they are from the future)
      // but not to "since" filters, which ask for something recent.
      if (day === null || day === undefined) return since === null;
      if (asOf !== null && day > asOf) return false;
      if (since !== null && day < since) return false;
      return true;
    };
  }

  return {
    load,
    articleOf: (chunkId: number) => articleOf.get(chunkId),
    dayOf: (articleId: number) => dayOf.get(articleId) ?? null,
    size: () => articleOf.size,
    addArticle(articleId: number, published: string | null, chunkIds: number[]) {
      dayOf.set(articleId, dayNumber(published));
      for (const id of chunkIds) articleOf.set(id, articleId);
      scopeCache.clear();
    },
    removeChunks(chunkIds: number[]) {
      for (const id of chunkIds) articleOf.delete(id);
      scopeCache.clear();
    },
    /** Source links changed (a source added to or removed from a scope). */
    invalidateScopes() {
      scopeCache.clear();
    },
    articleFilter,
    /** Chunks a scope lets a question see (all of them without filters). */
    countVisible(scope: RetrievalScope): number {
      const f = articleFilter(scope);
      if (!f) return articleOf.size;
      let n = 0;
      for (const a of articleOf.values()) if (f(a)) n++;
      return n;
    },
    chunkFilter(scope: RetrievalScope): ((chunkId: number) => boolean) | null {
      const f = articleFilter(scope);
      if (!f) return null;
      return (chunkId) => {
        const a = articleOf.get(chunkId);
        return a !== undefined && f(a);
      };
    },
  };
}
