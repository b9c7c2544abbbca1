import type { KeywordStore } from '../db/keyword-repo.ts';
import { analyze } from '../text/analyzer.ts';
import type { Bm25Index, KeywordHit } from './bm25-index.ts';
import { loadBm25Index } from './bm25-load.ts';

export type { KeywordHit } from './bm25-index.ts';

/** Keyword search as the retriever and the answerer see it (read-only). */
export interface KeywordSearch {
  search(terms: string[], limit: number): KeywordHit[];
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
export function createKeywordSearch(store: KeywordStore, totalDocs: () => number): KeywordSearch & KeywordIndexWriter {
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

  return {
    search: (terms: string[], limit: number): KeywordHit[] => (memory ? memory.search(terms, limit) : search(terms, limit)),
    idf: (terms: string[]) => (memory ? memory.idf(terms) : idf(terms)),
    totalDocs,
    preload(): void {
      if (!memory) memory = loadBm25Index(store);
    },
    get preloaded() {
      return memory !== null;
    },
    /** Rebuilds the in-memory index from the store (after another process changed much of it). */
    reload(): void {
      if (memory) memory = loadBm25Index(store);
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
