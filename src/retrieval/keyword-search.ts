import type { Db } from '../db/database.ts';
import { loadBm25Index, type Bm25Index } from './bm25-index.ts';
import { analyze } from '../text/analyzer.ts';

export interface KeywordHit {
  chunkId: number;
  /** BM25, higher is better. */
  score: number;
}

/**
 * Keyword search. Until `preload()` has built the in-memory BM25 index (a long-running bot or eval
 * does that at start-up; it takes seconds on a large store), questions go to FTS5, which needs no
 * warm-up but scores every posting and is ~20x slower per question. Both rank identically.
 *
 * BM25 over the FTS5 table of analysed chunk tokens. Terms are quoted (raw user text in MATCH can be
 * a syntax error) and very common terms are dropped on large corpora: BM25 scores every row a term
 * matches, so one term present in most chunks costs more than the rest of the query together.
 */
export function createKeywordSearch(db: Db, totalDocs: () => number) {
  const dfStmt = db.prepare('SELECT term, doc FROM chunk_fts_vocab WHERE term IN (SELECT value FROM json_each(?))');

  function docFreq(terms: string[]): Map<string, number> {
    const rows = dfStmt.all(JSON.stringify(terms)) as Array<{ term: string; doc: number }>;
    return new Map(rows.map((r) => [r.term, r.doc]));
  }

  /** Inverse document frequency of each term (0 for unknown terms would hide rare names: use max). */
  function idf(terms: string[]): Map<string, number> {
    const n = Math.max(1, totalDocs());
    const df = docFreq(terms);
    return new Map(terms.map((t) => [t, Math.log(1 + (n - (df.get(t) ?? 0) + 0.5) / ((df.get(t) ?? 0) + 0.5))]));
  }

  function search(terms: string[], limit: number): KeywordHit[] {
    if (terms.length === 0) return [];
    const n = totalDocs();
    let use = terms;
    if (n > 2000) {
      const df = docFreq(terms);
      const rare = terms.filter((t) => (df.get(t) ?? 0) / n < 0.15);
      use = rare.length > 0 ? rare : terms.slice(0, 1);
      use = use.filter((t) => (df.get(t) ?? 0) > 0);
      if (use.length === 0) return [];
    }
    const match = use.map((t) => `"${t.replace(/"/g, '')}"`).join(' OR ');
    const rows = db
      .prepare('SELECT rowid AS id, bm25(chunk_fts, 0.6, 1.0) AS s FROM chunk_fts WHERE chunk_fts MATCH ? ORDER BY s LIMIT ?')
      .all(match, limit) as Array<{ id: number; s: number }>;
    return rows.map((r) => ({ chunkId: r.id, score: -r.s }));
  }

  let memory: Bm25Index | null = null;

  return {
    search: (terms: string[], limit: number): KeywordHit[] => (memory ? memory.search(terms, limit) : search(terms, limit)),
    idf: (terms: string[]) => (memory ? memory.idf(terms) : idf(terms)),
    totalDocs,
    /** Builds the in-memory index from the store; later writes keep it current. */
    preload(): void {
      if (!memory) memory = loadBm25Index(db);
    },
    get preloaded() {
      return memory !== null;
    },
    /** New chunks were committed to the store. */
    added(chunkIds: number[], title: string, texts: string[]): void {
      if (!memory) return;
      const titleTokens = analyze(title);
      chunkIds.forEach((id, i) => memory!.add(id, titleTokens, analyze(texts[i] ?? '')));
    },
    /** Chunks left the store. */
    removed(chunkIds: number[]): void {
      if (memory && chunkIds.length > 0) memory.remove(chunkIds);
    },
  };
}

export type KeywordSearch = ReturnType<typeof createKeywordSearch>;
