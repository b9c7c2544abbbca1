import type { Db } from './database.ts';
import type { ArticleInput, ChunkInput, Passage } from '../types.ts';
import { analyze } from '../text/analyzer.ts';

export interface StoredArticleRef {
  id: number;
  url: string | null;
  contentHash: string;
  duplicateOf: number | null;
}

export interface NewArticle extends ArticleInput {
  contentHash: string;
  simhash: string | null;
}

export interface EmbeddedChunk extends ChunkInput {
  embedding: Float32Array;
}

/** Everything a citation or a retrieval filter needs to know about one chunk: a passage before scoring. */
export type ChunkRecord = Omit<Passage, 'score'>;

export function vectorToBlob(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

export function blobToVector(b: Buffer): Float32Array {
  // Copy: the Buffer may be a view into a pooled slab with an unaligned offset.
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Float32Array(copy.buffer);
}

/** Table access for articles, their chunks and the keyword index. Writers run inside transactions. */
export function createArticleRepo(db: Db) {
  const s = {
    byUrl: db.prepare(
      `SELECT id, url, content_hash, duplicate_of FROM articles WHERE url = ?
       UNION ALL SELECT a.id, a.url, a.content_hash, a.duplicate_of FROM article_aliases x JOIN articles a ON a.id = x.article_id WHERE x.url = ?
       LIMIT 1`,
    ),
    byHash: db.prepare('SELECT id, url, content_hash, duplicate_of FROM articles WHERE content_hash = ? LIMIT 1'),
    insertArticle: db.prepare(
      `INSERT INTO articles (external_id, url, title, outlet, author, published, text, content_hash, simhash, duplicate_of, fetched_at)
       VALUES (@externalId, @url, @title, @outlet, @author, @published, @text, @contentHash, @simhash, @duplicateOf, @fetchedAt)`,
    ),
    updateArticle: db.prepare(
      `UPDATE articles SET title = @title, outlet = @outlet, author = @author, published = @published, text = @text,
       content_hash = @contentHash, simhash = @simhash, updated_at = @fetchedAt WHERE id = @id`,
    ),
    alias: db.prepare('INSERT OR IGNORE INTO article_aliases (url, article_id) VALUES (?, ?)'),
    link: db.prepare('INSERT OR IGNORE INTO article_sources (article_id, source_id) VALUES (?, ?)'),
    insertChunk: db.prepare('INSERT INTO chunks (article_id, ord, start, end, embedding) VALUES (?, ?, ?, ?, ?)'),
    insertFts: db.prepare('INSERT INTO chunk_fts (rowid, title, body) VALUES (?, ?, ?)'),
    chunkIdsOf: db.prepare('SELECT id FROM chunks WHERE article_id = ?'),
    deleteFts: db.prepare('DELETE FROM chunk_fts WHERE rowid = ?'),
    deleteChunks: db.prepare('DELETE FROM chunks WHERE article_id = ?'),
    deleteArticle: db.prepare('DELETE FROM articles WHERE id = ?'),
  };

  function toRef(r: { id: number; url: string | null; content_hash: string; duplicate_of: number | null } | undefined) {
    return r && { id: r.id, url: r.url, contentHash: r.content_hash, duplicateOf: r.duplicate_of };
  }

  function insertChunks(articleId: number, title: string, text: string, chunks: EmbeddedChunk[]): number[] {
    const titleTokens = analyze(title).join(' ');
    return chunks.map((c) => {
      const id = Number(s.insertChunk.run(articleId, c.ord, c.start, c.end, vectorToBlob(c.embedding)).lastInsertRowid);
      s.insertFts.run(id, titleTokens, analyze(text.slice(c.start, c.end)).join(' '));
      return id;
    });
  }

  function dropChunks(articleId: number): number[] {
    const ids = (s.chunkIdsOf.all(articleId) as Array<{ id: number }>).map((r) => r.id);
    for (const id of ids) s.deleteFts.run(id);
    s.deleteChunks.run(articleId);
    return ids;
  }

  const repo = {
    findByUrl(url: string): StoredArticleRef | undefined {
      return toRef(s.byUrl.get(url, url) as never);
    },
    findByHash(hash: string): StoredArticleRef | undefined {
      return toRef(s.byHash.get(hash) as never);
    },
    linkSource(articleId: number, sourceId: number): void {
      s.link.run(articleId, sourceId);
    },
    /** Inserts an article with its chunks and keyword rows; returns the new ids. Call inside a transaction. */
    insert(a: NewArticle, chunks: EmbeddedChunk[], sourceId: number | null, duplicateOf: number | null = null) {
      const id = Number(
        s.insertArticle.run({
          externalId: a.externalId ?? null,
          url: a.url,
          title: a.title,
          outlet: a.outlet,
          author: a.author ?? null,
          published: a.published,
          text: a.text,
          contentHash: a.contentHash,
          simhash: a.simhash,
          duplicateOf,
          fetchedAt: new Date().toISOString(),
        }).lastInsertRowid,
      );
      for (const alias of a.aliases ?? []) if (alias !== a.url) s.alias.run(alias, id);
      if (sourceId !== null) s.link.run(id, sourceId);
      return { articleId: id, chunkIds: insertChunks(id, a.title, a.text, chunks) };
    },
    /** Replaces an article's text and chunks in place (an update of the same story). */
    replace(id: number, a: NewArticle, chunks: EmbeddedChunk[]) {
      const removed = dropChunks(id);
      s.updateArticle.run({
        id,
        title: a.title,
        outlet: a.outlet,
        author: a.author ?? null,
        published: a.published,
        text: a.text,
        contentHash: a.contentHash,
        simhash: a.simhash,
        fetchedAt: new Date().toISOString(),
      });
      return { removedChunkIds: removed, chunkIds: insertChunks(id, a.title, a.text, chunks) };
    },
    /** Deletes articles no source links to any more; returns the chunk ids that left the store. */
    deleteOrphans(): number[] {
      const orphans = db
        .prepare(
          `SELECT a.id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_sources x WHERE x.article_id = a.id)
           AND NOT EXISTS (SELECT 1 FROM articles d JOIN article_sources y ON y.article_id = d.id WHERE d.duplicate_of = a.id)`,
        )
        .all() as Array<{ id: number }>;
      const removed: number[] = [];
      for (const { id } of orphans) {
        removed.push(...dropChunks(id));
        s.deleteArticle.run(id);
      }
      return removed;
    },
    simhashes(): Array<{ id: number; simhash: string; published: string | null }> {
      return db
        .prepare('SELECT id, simhash, published FROM articles WHERE simhash IS NOT NULL AND duplicate_of IS NULL')
        .all() as Array<{ id: number; simhash: string; published: string | null }>;
    },
    /**
     * Chunks with their article metadata. With `window` > 0 the passage widens to the neighbouring
     * chunks on each side (still one contiguous, verbatim span of the article): small chunks rank
     * precisely, the wider span gives the answerer the surrounding sentences.
     */
    getChunks(ids: number[], window = 0): ChunkRecord[] {
      if (ids.length === 0) return [];
      const rows = db
        .prepare(
          `WITH span AS (
             SELECT c.id, c.article_id,
               (SELECT min(n.start) FROM chunks n WHERE n.article_id = c.article_id AND n.ord BETWEEN c.ord - @w AND c.ord + @w) AS s,
               (SELECT max(n.end) FROM chunks n WHERE n.article_id = c.article_id AND n.ord BETWEEN c.ord - @w AND c.ord + @w) AS e
             FROM chunks c WHERE c.id IN (SELECT value FROM json_each(@ids)))
           SELECT span.id AS chunkId, span.article_id AS articleId, substr(a.text, span.s + 1, span.e - span.s) AS text,
                  span.s AS start, span.e AS end, a.title, a.url, a.outlet, a.published
           FROM span JOIN articles a ON a.id = span.article_id`,
        )
        .all({ ids: JSON.stringify(ids), w: window }) as ChunkRecord[];
      const byId = new Map(rows.map((r) => [r.chunkId, r]));
      return ids.flatMap((id) => byId.get(id) ?? []);
    },
    articleText(id: number): string | undefined {
      return (db.prepare('SELECT text FROM articles WHERE id = ?').get(id) as { text: string } | undefined)?.text;
    },
    /** Outlets that carried the same story as `id` (near-duplicate alternates), for "also reported by". */
    alternates(id: number): Array<{ outlet: string | null; url: string | null; title: string }> {
      return db.prepare('SELECT outlet, url, title FROM articles WHERE duplicate_of = ?').all(id) as Array<{
        outlet: string | null;
        url: string | null;
        title: string;
      }>;
    },
  };
  return repo;
}

export type ArticleRepo = ReturnType<typeof createArticleRepo>;
