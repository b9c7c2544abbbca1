import type { KeywordStore } from '../db/keyword-repo.ts';
import { analyze } from '../text/analyzer.ts';
import type { Bm25Index, KeywordHit } from './bm25-index.ts';
import { loadBm25Index } from './bm25-load.ts';
import { createArticleBm25, type ArticleHit } from './article-bm25.ts';

export type { KeywordHit } from './bm25-index.ts';
export type { ArticleHit } from './article-bm25.ts';

/** Keyword search as the retriever and the answerer see it (read-only). */
export interface KeywordSearch {
  search(terms: string[], limit: number): KeywordHit[];
  /**
   * Whole articles ranked by BM25 over all their text (the story), best first, only those `accept`
   * lets through. Before the in-memory index is built, articles are ranked by the summed scores of
   * their best-matching chunks instead (a one-shot CLI question does not pay for the warm-up).
   */
  searchArticles(terms: string[], limit: number, accept?: ((articleId: number) => boolean) | null): ArticleHit[];
  /** Inverse document frequency of each term. */
  idf(terms: string[]): Map<string, number>;
  totalDocs(): number;
  /** Builds the in-memory index from the store; later writes keep it current. */
  preload(): void;
  readonly preloaded: boolean;
}

/** The write side, used only by the corpus (src/indexing/) after each commit. */
export interface KeywordIndexWriter {
  /** New chunks were committed to the store. */
  added(chunkIds: number[], title: string, texts: string[]): void;
  /** Chunks left the store. */
  removed(chunkIds: number[]): void;
  /** Rebuilds the in-memory index from the store (after another process changed much of it). */
  reload(): void;
}

/**
 * Keyword search. Until `preload()` has built the in-memory BM25 index (a long-running bot or eval
 * does that at start-up; it takes seconds on a large store), questions go to FTS5, which needs no
 * warm-up but scores every posting and is ~20x slower per question. Both rank identically.
 *
 * BM25 over the FTS5 table of analysed chunk tokens. Very common terms are dropped on large corpora:
 * BM25 scores every row a term matches, so one term present in most chunks costs more than the rest
 * of the query together.
 */
export function createKeywordSearch(
  store: KeywordStore,
  totalDocs: () => number,
  articleOf: (chunkId: number) => number | undefined = () => undefined,
): KeywordSearch & KeywordIndexWriter {
  /** Inverse document frequency of each term (0 for unknown terms would hide rare names: use max). */
  function idf(terms: string[]): Map<string, number> {
    const n = Math.max(1, totalDocs());
    const df = store.docFreq(terms);
    return new Map(terms.map((t) => [t, Math.log(1 + (n - (df.get(t) ?? 0) + 0.5) / ((df.get(t) ?? 0) + 0.5))]));
  }

  function search(terms: string[], limit: number): KeywordHit[] {
    if (terms.length === 0) return [];
    const n = totalDocs();
    let use = terms;
    if (n > 2000) {
      const df = store.docFreq(terms);
      const rare = terms.filter((t) => (df.get(t) ?? 0) / n < 0.15);
      use = rare.length > 0 ? rare : terms.slice(0, 1);
      use = use.filter((t) => (df.get(t) ?? 0) > 0);
      if (use.length === 0) return [];
    }
    return store.search(use, limit);
  }

  let memory: Bm25Index | null = null;
  let articles: ReturnType<typeof createArticleBm25> | null = null;

  /** The FTS5 fallback: an article's score is the sum of its chunks' scores among the top hits. */
  function articlesFromChunks(terms: string[], limit: number, accept?: ((articleId: number) => boolean) | null): ArticleHit[] {
    const sums = new Map<number, number>();
    for (const h of search(terms, 2000)) {
      const a = articleOf(h.chunkId);
      if (a === undefined || (accept && !accept(a))) continue;
      sums.set(a, (sums.get(a) ?? 0) + h.score);
    }
    return [...sums.entries()]
      .map(([articleId, score]) => ({ articleId, score }))
      .sort((x, y) => y.score - x.score || x.articleId - y.articleId)
      .slice(0, limit);
  }

  return {
    search: (terms: string[], limit: number): KeywordHit[] => (memory ? memory.search(terms, limit) : search(terms, limit)),
    searchArticles(terms, limit, accept) {
      if (!memory) return articlesFromChunks(terms, limit, accept);
      articles ??= createArticleBm25(memory.postings, articleOf);
      return articles.search(terms, limit, accept);
    },
    idf: (terms: string[]) => (memory ? memory.idf(terms) : idf(terms)),
    totalDocs,
    preload(): void {
      if (!memory) {
        memory = loadBm25Index(store);
        articles = null;
      }
    },
    get preloaded() {
      return memory !== null;
    },
    /** Rebuilds the in-memory index from the store (after another process changed much of it). */
    reload(): void {
      if (memory) {
        memory = loadBm25Index(store);
        articles = null;
      }
    },
    added(chunkIds: number[], title: string, texts: string[]): void {
      if (!memory) return;
      const titleTokens = analyze(title);
      chunkIds.forEach((id, i) => {
        memory!.add(id, titleTokens, analyze(texts[i] ?? ''));
      });
    },
    removed(chunkIds: number[]): void {
      if (memory && chunkIds.length > 0) memory.remove(chunkIds);
    },
  };
}
