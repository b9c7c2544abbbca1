import type { SqlDb as Db } from './sql.ts';
import { jsonIdList } from './sql.ts';
import type { Passage } from '../types.ts';
import { blobToVector, vectorToBlob } from './vectors.ts';

/** Everything a citation or a retrieval filter needs to know about one chunk: a passage before scoring. */
export type ChunkRecord = Omit<Passage, 'score'>;

/** Chunk text as passages: what the retriever reads. */
export interface ChunkReader {
  /**
   * Chunks with their article metadata, in the order of `ids`. With `window` > 0 the passage widens to
   * the neighbouring chunks on each side (still one contiguous, verbatim span of the article): small
   * chunks rank precisely, the wider span gives the answerer the surrounding sentences.
   */
  getChunks(ids: number[], window?: number): ChunkRecord[];
}

/** The chunks table beyond passages: ids, stored vectors and spans, for the corpus and its derived indexes. */
export interface ChunkRepo extends ChunkReader {
  ids(): Iterable<number>;
  /** chunk → article, for the chunk catalog. */
  articlePairs(): Iterable<{ id: number; articleId: number }>;
  /** Stored vectors of the given chunks (unknown ids are left out). */
  vectors(ids: number[]): Array<{ id: number; vector: Float32Array }>;
  vector(id: number): Float32Array | undefined;
  /** Every chunk's span with its article's title and text, by id, for re-embedding. */
  spans(): Array<{ id: number; start: number; end: number; title: string; text: string }>;
  /** Overwrites stored vectors. Call inside a transaction. */
  setVectors(rows: Array<{ id: number; vector: Float32Array }>): void;
  count(): number;
}

export function createChunkRepo(db: Db): ChunkRepo {
  const byIds = db.prepare(`SELECT id, embedding FROM chunks WHERE id IN ${jsonIdList(db, '?')} ORDER BY id`);
  const one = db.prepare('SELECT embedding FROM chunks WHERE id = ?');
  const update = db.prepare('UPDATE chunks SET embedding = ? WHERE id = ?');
  return {
    getChunks(ids, window = 0) {
      if (ids.length === 0) return [];
      const rows = db
        .prepare(
          `WITH span AS (
             SELECT c.id, c.article_id,
               (SELECT min(n.start) FROM chunks n WHERE n.article_id = c.article_id AND n.ord BETWEEN c.ord - @w AND c.ord + @w) AS s,
               (SELECT max(n.end) FROM chunks n WHERE n.article_id = c.article_id AND n.ord BETWEEN c.ord - @w AND c.ord + @w) AS e
             FROM chunks c WHERE c.id IN ${jsonIdList(db, '@ids')})
           SELECT span.id AS "chunkId", span.article_id AS "articleId", substr(a.text, span.s + 1, span.e - span.s) AS text,
                  span.s AS start, span.e AS "end", a.title, a.url, a.outlet, a.published
           FROM span JOIN articles a ON a.id = span.article_id`,
        )
        .all({ ids: JSON.stringify(ids), w: window }) as ChunkRecord[];
      const byId = new Map(rows.map((r) => [r.chunkId, r]));
      return ids.flatMap((id) => byId.get(id) ?? []);
    },
    ids: () => db.prepare('SELECT id FROM chunks ORDER BY id').pluck().iterate() as Iterable<number>,
    articlePairs: () => db.prepare('SELECT id, article_id AS "articleId" FROM chunks ORDER BY id').iterate() as Iterable<{ id: number; articleId: number }>,
    vectors(ids) {
      const rows = byIds.all(JSON.stringify(ids)) as Array<{ id: number; embedding: Buffer }>;
      return rows.map((r) => ({ id: r.id, vector: blobToVector(r.embedding) }));
    },
    vector(id) {
      const r = one.get(id) as { embedding: Buffer } | undefined;
      return r && blobToVector(r.embedding);
    },
    spans: () =>
      db.prepare('SELECT c.id, c.start, c."end", a.title, a.text FROM chunks c JOIN articles a ON a.id = c.article_id ORDER BY c.id').all() as Array<{
        id: number;
        start: number;
        end: number;
        title: string;
        text: string;
      }>,
    setVectors(rows) {
      for (const r of rows) update.run(vectorToBlob(r.vector), r.id);
    },
    count: () => db.prepare('SELECT count(*) FROM chunks').pluck().get() as number,
  };
}
