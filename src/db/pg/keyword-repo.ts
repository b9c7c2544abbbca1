import type { KeywordRows, KeywordStore } from '../keyword-repo.ts';
import { jsonIdList, type SqlDb } from '../sql.ts';

/**
 * The keyword rows on PostgreSQL: `chunk_keywords.tsv`, a tsvector written from our own analysed
 * tokens (no PostgreSQL parser or dictionary in between), so the in-memory BM25 built from it is the
 * one SQLite's FTS5 table gives, and PostgreSQL's full-text search (GIN index, ts_rank) reads the same
 * terms. Title tokens carry weight A, body tokens the default D.
 *
 * Limits of a tsvector that a chunk never reaches in practice: positions up to 16,383 and 256
 * positions per term per chunk (BM25's term frequency saturates long before).
 */

// FTS5's unicode61 tokenizer splits an analysed token like "o'brien" at the apostrophe; so does the
// in-memory BM25 (src/retrieval/bm25-index.ts), and so do we.
const SEPARATOR = /[^\p{L}\p{N}]+/u;
const MAX_POSITION = 16_383;
const MAX_POSITIONS_PER_TERM = 256;

function parts(tokens: string): string[] {
  return tokens.split(SEPARATOR).filter(Boolean);
}

/** A lexeme as tsvector/tsquery input: quoted, with ' doubled and \ escaped. */
function quote(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** The tsvector literal of a chunk: every token occurrence at its own position, title first. */
export function tsvectorLiteral(titleTokens: string, bodyTokens: string): string {
  const positions = new Map<string, string[]>();
  let pos = 0;
  const put = (tokens: string, weight: string) => {
    for (const t of parts(tokens)) {
      pos = Math.min(pos + 1, MAX_POSITION);
      let list = positions.get(t);
      if (!list) {
        list = [];
        positions.set(t, list);
      }
      if (list.length < MAX_POSITIONS_PER_TERM) list.push(`${pos}${weight}`);
    }
  };
  put(titleTokens, 'A');
  put(bodyTokens, '');
  return [...positions].map(([t, list]) => `${quote(t)}:${list.join(',')}`).join(' ');
}

/** A term as a tsquery: one lexeme, or a phrase of its parts when FTS5 would split it. */
function termQuery(term: string): string {
  const p = parts(term);
  return p.length === 0 ? quote(term) : p.map(quote).join(' <-> ');
}

export function createPgKeywordRows(db: SqlDb): KeywordRows {
  const insert = db.prepare('INSERT INTO chunk_keywords (chunk_id, tsv) VALUES (?, CAST(? AS tsvector))');
  const remove = db.prepare(`DELETE FROM chunk_keywords WHERE chunk_id IN ${jsonIdList(db, '?')}`);
  return {
    add: (chunkId, titleTokens, bodyTokens) => void insert.run(chunkId, tsvectorLiteral(titleTokens, bodyTokens)),
    remove(chunkIds) {
      if (chunkIds.length > 0) remove.run(JSON.stringify(chunkIds));
    },
  };
}

export function createPgKeywordRepo(db: SqlDb): KeywordStore {
  const ids = db.prepare('SELECT id FROM chunks ORDER BY id').pluck();
  // Per term, "chunk·2 + isTitle" for each occurrence, folded in the server (as SQLite folds FTS5's instances).
  const occurrences = db
    .prepare(
      `SELECT u.lexeme, string_agg(CAST(k.chunk_id * 2 + CASE WHEN w.w = 'A' THEN 1 ELSE 0 END AS text), ',' ORDER BY k.chunk_id)
       FROM chunk_keywords k CROSS JOIN LATERAL unnest(k.tsv) AS u CROSS JOIN LATERAL unnest(u.weights) AS w(w)
       GROUP BY u.lexeme`,
    )
    .raw();
  // Exact lexemes, as FTS5's vocabulary table looks them up (a split term like "o'brien" is not one: 0).
  const df = db.prepare(
    `SELECT t.term, (SELECT count(*) FROM chunk_keywords k WHERE k.tsv @@ CAST(t.q AS tsquery)) AS doc
     FROM json_to_recordset(CAST(? AS json)) AS t(term text, q text)`,
  );
  const search = db.prepare(
    `SELECT k.chunk_id AS id, ts_rank('{1.0, 0, 0, 0.6}', k.tsv, q.q) AS s
     FROM chunk_keywords k, (SELECT CAST(? AS tsquery) AS q) AS q
     WHERE k.tsv @@ q.q ORDER BY s DESC, k.chunk_id LIMIT ?`,
  );
  return {
    chunkIdsAscending: () => ids.all() as number[],
    termOccurrences: () => occurrences.all() as Array<[string, string]>,
    docFreq(terms) {
      if (terms.length === 0) return new Map();
      const rows = df.all(JSON.stringify(terms.map((t) => ({ term: t, q: quote(t) })))) as Array<{ term: string; doc: number }>;
      return new Map(rows.filter((r) => r.doc > 0).map((r) => [r.term, r.doc]));
    },
    /** PostgreSQL full-text search: ts_rank with title 0.6, body 1.0 (not BM25: the in-memory index is). */
    search(terms, limit) {
      if (terms.length === 0) return [];
      const rows = search.all(terms.map((t) => `(${termQuery(t)})`).join(' | '), limit) as Array<{ id: number; s: number }>;
      return rows.map((r) => ({ chunkId: r.id, score: r.s }));
    },
  };
}
