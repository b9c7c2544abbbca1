import type { Db } from './database.ts';

/** The FTS5 keyword table `chunk_fts` (analysed chunk tokens), read side. Rows are written with their chunks (article-repo). */
export interface KeywordStore {
  /** Every chunk id, ascending (chunks without tokens still count towards N, as in FTS5). */
  chunkIdsAscending(): number[];
  /** Per term, its occurrences as "doc·2 + isTitle" joined by commas (the FTS5 'instance' vocabulary folded in SQLite). */
  termOccurrences(): Iterable<[term: string, occurrences: string]>;
  /** Chunks containing each term. */
  docFreq(terms: string[]): Map<string, number>;
  /** FTS5 BM25 (title 0.6, body 1.0) for chunks matching any of the terms, best first; higher is better. */
  search(terms: string[], limit: number): Array<{ chunkId: number; score: number }>;
}

/** The write side of the keyword rows, used by the article repository in the same transaction as the chunks. */
export interface KeywordRows {
  /** Stores a chunk's analysed title and body tokens (space-separated). */
  add(chunkId: number, titleTokens: string, bodyTokens: string): void;
  remove(chunkIds: number[]): void;
}

export function createFtsRows(db: Db): KeywordRows {
  const insert = db.prepare('INSERT INTO chunk_fts (rowid, title, body) VALUES (?, ?, ?)');
  const remove = db.prepare('DELETE FROM chunk_fts WHERE rowid = ?');
  return {
    add: (chunkId, titleTokens, bodyTokens) => void insert.run(chunkId, titleTokens, bodyTokens),
    remove(chunkIds) {
      for (const id of chunkIds) remove.run(id);
    },
  };
}

export function createKeywordRepo(db: Db): KeywordStore {
  const dfStmt = db.prepare('SELECT term, doc FROM chunk_fts_vocab WHERE term IN (SELECT value FROM json_each(?))');
  return {
    chunkIdsAscending: () => db.prepare('SELECT id FROM chunks ORDER BY id').pluck().all() as number[],
    termOccurrences() {
      // temp.: creating the vocabulary table must not write to the store (it may be opened read-only).
      db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.chunk_fts_inst USING fts5vocab(main, chunk_fts, 'instance')");
      return db.prepare("SELECT term, group_concat(doc * 2 + (col = 'title'), ',') FROM temp.chunk_fts_inst GROUP BY term").raw().iterate() as Iterable<
        [string, string]
      >;
    },
    docFreq(terms) {
      const rows = dfStmt.all(JSON.stringify(terms)) as Array<{ term: string; doc: number }>;
      return new Map(rows.map((r) => [r.term, r.doc]));
    },
    search(terms, limit) {
      // Terms are quoted: raw user text in MATCH can be a syntax error.
      const match = terms.map((t) => `"${t.replace(/"/g, '')}"`).join(' OR ');
      const rows = db
        .prepare('SELECT rowid AS id, bm25(chunk_fts, 0.6, 1.0) AS s FROM chunk_fts WHERE chunk_fts MATCH ? ORDER BY s LIMIT ?')
        .all(match, limit) as Array<{ id: number; s: number }>;
      return rows.map((r) => ({ chunkId: r.id, score: -r.s }));
    },
  };
}
