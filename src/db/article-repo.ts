import type { SqlDb as Db } from './sql.ts';
import { jsonIdList } from './sql.ts';
import type { KeywordRows } from './keyword-repo.ts';
import type { ChangeLogRepo } from './change-log-repo.ts';
import type { EmbeddedChunk, PreparedArticle } from '../types.ts';
import { analyze } from '../text/analyzer.ts';

export interface StoredArticleRef {
  id: number;
  url: string | null;
  contentHash: string;
  duplicateOf: number | null;
  /** Where the current text was fetched from (page URL, feed URL, file path). */
  fetchedFrom: string | null;
  /** The source that first stored it. */
  ownerSourceId: number | null;
}

/** An article ready to store (see `PreparedArticle`). */
export type NewArticle = PreparedArticle;
export type { EmbeddedChunk } from '../types.ts';

import { vectorToBlob } from './vectors.ts';

/** One row of a newest-first listing. */
export interface ArticleSummaryRow {
  id: number;
  title: string;
  url: string | null;
  outlet: string | null;
  published: string | null;
}

/** A story's other copy (a near-duplicate stored as an alternate). */
export interface AlternateRow {
  outlet: string | null;
  url: string | null;
  title: string;
}

/** An indexed (non-alternate) article with its text, for tools that read the corpus whole (eval). */
export interface CanonicalArticleRow extends ArticleSummaryRow {
  text: string;
}

/** Read-only article look-ups for tools outside the write path (the eval's scorer and baselines). */
export interface ArticleReader {
  articleText(id: number): string | undefined;
  externalId(id: number): string | null | undefined;
  /** The indexed article for a corpus id: an alternate maps to the copy that was indexed. */
  indexedIdOfExternal(externalId: string): number | undefined;
  /** Indexed articles (not alternates), by id; `withChunks` keeps only those that have chunks. */
  canonicalArticles(opts?: { withChunks?: boolean }): Iterable<CanonicalArticleRow>;
}

/** Table access for articles, their aliases, source links, chunks and keyword rows. Writers run inside transactions. */
export interface ArticleRepo extends ArticleReader {
  findByUrl(url: string): StoredArticleRef | undefined;
  findByHash(hash: string): StoredArticleRef | undefined;
  /** Links an article to a source; true when the link is new. */
  linkSource(articleId: number, sourceId: number): boolean;
  summary(id: number): ArticleSummaryRow | undefined;
  /** What a claim on `claimedUrl` stored apart by `sourceId` became (its own copy, updated on re-delivery). */
  findApart(claimedUrl: string, sourceId: number): StoredArticleRef | undefined;
  /** Guilds whose sources link to an article (null for a global source). */
  holders(articleId: number): Array<string | null>;
  /** The guild of a source (null: global); undefined when there is no such source. */
  guildOfSource(sourceId: number): string | null | undefined;
  /** Takes an article's URL away from it (it only claimed the URL): it keeps its text, stored apart. */
  detachUrl(articleId: number): void;
  /** Inserts an article with its chunks and keyword rows; returns the new ids. Call inside a transaction. */
  insert(a: NewArticle, chunks: EmbeddedChunk[], sourceId: number | null, duplicateOf?: number | null): { articleId: number; chunkIds: number[] };
  /**
   * Replaces an article's text and chunks in place (an update of the same story). The version it
   * replaces is kept in `article_versions` (hash, title, text, times), so a correction can be shown.
   */
  replace(id: number, a: NewArticle, chunks: EmbeddedChunk[], by?: { sourceId: number | null }): { removedChunkIds: number[]; chunkIds: number[] };
  /** Deletes articles no source links to any more; returns the chunk ids that left the store. */
  deleteOrphans(): number[];
  simhashes(): Array<{ id: number; simhash: string; published: string | null }>;
  /**
   * Outlets that carried the same story as `id` (near-duplicate alternates), for "also reported by".
   * With `guildId` (null: global sources only) only alternates a source visible there links to are
   * named, so a server never learns what another server's private sources carry.
   */
  alternates(id: number, guildId?: string | null): AlternateRow[];
  /** Newest indexed articles first (by publication day, else fetch day). */
  newest(limit: number): ArticleSummaryRow[];
  /** Publication day of every article, for the chunk catalog. */
  publishedDays(): Iterable<{ id: number; published: string | null }>;
  /**
   * Articles visible through the given sources (a guild's and the global ones, or listed ids);
   * alternates count as their indexed copy.
   */
  visibleThrough(scope: { guildId?: string | null; sourceIds?: number[] }): number[];
  count(): number;
}

/**
 * The keyword row of a text as stored (analysed tokens joined by spaces): what every chunk's title
 * and body columns hold. An import rebuilds the rows with it, so they cannot differ from an ingest's.
 */
export function keywordTokens(text: string): string {
  return analyze(text).join(' ');
}

const REF = 'a.id, a.url, a.content_hash, a.duplicate_of, a.fetched_from, a.owner_source_id';

/**
 * Every change to chunks or source links is also appended to the change log (when one is given), in
 * the same transaction, so that other processes on the data dir can follow.
 */
export function createArticleRepo(db: Db, keywordRows: KeywordRows, changes?: ChangeLogRepo): ArticleRepo {
  const s = {
    byUrl: db.prepare(
      `SELECT ${REF} FROM articles a WHERE a.url = ?
       UNION ALL SELECT ${REF} FROM article_aliases x JOIN articles a ON a.id = x.article_id WHERE x.url = ?
       LIMIT 1`,
    ),
    byHash: db.prepare(`SELECT ${REF} FROM articles a WHERE a.content_hash = ? ORDER BY a.id LIMIT 1`),
    apart: db.prepare(`SELECT ${REF} FROM articles a WHERE a.claimed_url = ? AND a.owner_source_id = ? ORDER BY a.id LIMIT 1`),
    holders: db.prepare('SELECT s.guild_id FROM article_sources x JOIN sources s ON s.id = x.source_id WHERE x.article_id = ? ORDER BY s.id').pluck(),
    guildOf: db.prepare('SELECT guild_id FROM sources WHERE id = ?').pluck(),
    insertArticle: db
      .prepare(
        `INSERT INTO articles (external_id, url, title, outlet, author, published, text, content_hash, simhash, duplicate_of, fetched_at,
         fetched_from, claimed_url, owner_source_id)
       VALUES (@externalId, @url, @title, @outlet, @author, @published, @text, @contentHash, @simhash, @duplicateOf, @fetchedAt,
         @fetchedFrom, @claimedUrl, @ownerSourceId) RETURNING id`,
      )
      .pluck(),
    updateArticle: db.prepare(
      `UPDATE articles SET title = @title, outlet = @outlet, author = @author, published = @published, text = @text,
       content_hash = @contentHash, simhash = @simhash, updated_at = @fetchedAt, fetched_from = coalesce(@fetchedFrom, fetched_from) WHERE id = @id`,
    ),
    keepVersion: db.prepare(
      `INSERT INTO article_versions (article_id, title, outlet, content_hash, text, fetched_from, stored_at, replaced_at, replaced_by_source_id)
       SELECT id, title, outlet, content_hash, text, fetched_from, coalesce(updated_at, fetched_at), CAST(@now AS TEXT), CAST(@sourceId AS INTEGER)
       FROM articles WHERE id = @id`,
    ),
    detachUrl: db.prepare('UPDATE articles SET claimed_url = url, url = NULL WHERE id = ?'),
    dropAliasesOf: db.prepare('DELETE FROM article_aliases WHERE article_id = ?'),
    alias: db.prepare('INSERT INTO article_aliases (url, article_id) VALUES (?, ?) ON CONFLICT DO NOTHING'),
    link: db.prepare('INSERT INTO article_sources (article_id, source_id) VALUES (?, ?) ON CONFLICT DO NOTHING'),
    insertChunk: db.prepare('INSERT INTO chunks (article_id, ord, start, "end", embedding) VALUES (?, ?, ?, ?, ?) RETURNING id').pluck(),
    chunkIdsOf: db.prepare('SELECT id FROM chunks WHERE article_id = ? ORDER BY id'),
    deleteChunks: db.prepare('DELETE FROM chunks WHERE article_id = ?'),
    deleteArticle: db.prepare('DELETE FROM articles WHERE id = ?'),
    text: db.prepare('SELECT text FROM articles WHERE id = ?'),
    externalIdOf: db.prepare('SELECT external_id FROM articles WHERE id = ?'),
    byExternal: db.prepare('SELECT coalesce(duplicate_of, id) AS id FROM articles WHERE external_id = ? ORDER BY articles.id LIMIT 1'),
  };

  type RefRow = {
    id: number;
    url: string | null;
    content_hash: string;
    duplicate_of: number | null;
    fetched_from: string | null;
    owner_source_id: number | null;
  };
  function toRef(r: RefRow | undefined): StoredArticleRef | undefined {
    return (
      r && {
        id: r.id,
        url: r.url,
        contentHash: r.content_hash,
        duplicateOf: r.duplicate_of,
        fetchedFrom: r.fetched_from,
        ownerSourceId: r.owner_source_id,
      }
    );
  }

  function insertChunks(articleId: number, title: string, text: string, chunks: EmbeddedChunk[]): number[] {
    const titleTokens = keywordTokens(title);
    return chunks.map((c) => {
      const id = s.insertChunk.get(articleId, c.ord, c.start, c.end, vectorToBlob(c.embedding)) as number;
      keywordRows.add(id, titleTokens, keywordTokens(text.slice(c.start, c.end)));
      return id;
    });
  }

  function dropChunks(articleId: number): number[] {
    const ids = (s.chunkIdsOf.all(articleId) as Array<{ id: number }>).map((r) => r.id);
    keywordRows.remove(ids);
    s.deleteChunks.run(articleId);
    return ids;
  }

  const repo: ArticleRepo = {
    findByUrl(url: string): StoredArticleRef | undefined {
      return toRef(s.byUrl.get(url, url) as never);
    },
    findByHash(hash: string): StoredArticleRef | undefined {
      return toRef(s.byHash.get(hash) as never);
    },
    linkSource(articleId: number, sourceId: number): boolean {
      const added = s.link.run(articleId, sourceId).changes > 0;
      if (added) changes?.record('scope', { articleId });
      return added;
    },
    summary(id: number): ArticleSummaryRow | undefined {
      return db.prepare('SELECT id, title, url, outlet, published FROM articles WHERE id = ?').get(id) as ArticleSummaryRow | undefined;
    },
    findApart(claimedUrl: string, sourceId: number): StoredArticleRef | undefined {
      return toRef(s.apart.get(claimedUrl, sourceId) as never);
    },
    holders(articleId: number): Array<string | null> {
      return s.holders.all(articleId) as Array<string | null>;
    },
    guildOfSource(sourceId: number): string | null | undefined {
      return s.guildOf.get(sourceId) as string | null | undefined;
    },
    detachUrl(articleId: number): void {
      s.detachUrl.run(articleId);
      s.dropAliasesOf.run(articleId);
    },
    /** Inserts an article with its chunks and keyword rows; returns the new ids. Call inside a transaction. */
    insert(a: NewArticle, chunks: EmbeddedChunk[], sourceId: number | null, duplicateOf: number | null = null) {
      const id = s.insertArticle.get({
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
        fetchedFrom: a.fetchedFrom ?? null,
        claimedUrl: a.claimedUrl ?? null,
        ownerSourceId: sourceId,
      }) as number;
      for (const alias of a.aliases ?? []) if (alias !== a.url) s.alias.run(alias, id);
      if (sourceId !== null) s.link.run(id, sourceId);
      const chunkIds = insertChunks(id, a.title, a.text, chunks);
      changes?.record(chunkIds.length ? 'chunks' : 'scope', { articleId: id, added: chunkIds });
      return { articleId: id, chunkIds };
    },
    replace(id: number, a: NewArticle, chunks: EmbeddedChunk[], by = { sourceId: null as number | null }) {
      s.keepVersion.run({ id, now: new Date().toISOString(), sourceId: by.sourceId });
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
        fetchedFrom: a.fetchedFrom ?? null,
      });
      const chunkIds = insertChunks(id, a.title, a.text, chunks);
      changes?.record('chunks', { articleId: id, added: chunkIds, removed });
      return { removedChunkIds: removed, chunkIds };
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
      changes?.record('chunks', { removed });
      changes?.record('scope');
      return removed;
    },
    simhashes(): Array<{ id: number; simhash: string; published: string | null }> {
      return db.prepare('SELECT id, simhash, published FROM articles WHERE simhash IS NOT NULL AND duplicate_of IS NULL ORDER BY id').all() as Array<{
        id: number;
        simhash: string;
        published: string | null;
      }>;
    },
    articleText(id: number): string | undefined {
      return (s.text.get(id) as { text: string } | undefined)?.text;
    },
    alternates(id: number, guildId?: string | null): AlternateRow[] {
      if (guildId === undefined) return db.prepare('SELECT outlet, url, title FROM articles WHERE duplicate_of = ? ORDER BY id').all(id) as AlternateRow[];
      return db
        .prepare(
          `SELECT a.outlet, a.url, a.title FROM articles a WHERE a.duplicate_of = ? AND EXISTS (
             SELECT 1 FROM article_sources x JOIN sources s ON s.id = x.source_id
             WHERE x.article_id = a.id AND (s.guild_id IS NULL OR s.guild_id = ?)) ORDER BY a.id`,
        )
        .all(id, guildId) as AlternateRow[];
    },
    newest(limit: number): ArticleSummaryRow[] {
      return db
        .prepare(
          `SELECT id, title, url, outlet, published FROM articles WHERE duplicate_of IS NULL
           ORDER BY coalesce(published, substr(fetched_at, 1, 10)) DESC, id DESC LIMIT ?`,
        )
        .all(limit) as ArticleSummaryRow[];
    },
    publishedDays() {
      return db.prepare('SELECT id, published FROM articles ORDER BY id').iterate() as Iterable<{ id: number; published: string | null }>;
    },
    visibleThrough(scope) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (scope.guildId !== undefined) {
        if (scope.guildId === null) where.push('s.guild_id IS NULL');
        else {
          where.push('(s.guild_id = ? OR s.guild_id IS NULL)');
          params.push(scope.guildId);
        }
      }
      if (scope.sourceIds) {
        where.push(`s.id IN ${jsonIdList(db, '?')}`);
        params.push(JSON.stringify(scope.sourceIds));
      }
      const rows = db
        .prepare(
          `SELECT DISTINCT coalesce(a.duplicate_of, a.id) AS id FROM article_sources x
           JOIN sources s ON s.id = x.source_id JOIN articles a ON a.id = x.article_id${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY 1`,
        )
        .all(...params) as Array<{ id: number }>;
      return rows.map((r) => r.id);
    },
    count: () => db.prepare('SELECT count(*) FROM articles').pluck().get() as number,
    externalId(id: number) {
      return (s.externalIdOf.get(id) as { external_id: string | null } | undefined)?.external_id;
    },
    indexedIdOfExternal(externalId: string) {
      return (s.byExternal.get(externalId) as { id: number } | undefined)?.id;
    },
    canonicalArticles(opts = {}) {
      const withChunks = opts.withChunks ? ' AND EXISTS (SELECT 1 FROM chunks c WHERE c.article_id = a.id)' : '';
      return db
        .prepare(`SELECT id, title, url, outlet, published, text FROM articles a WHERE duplicate_of IS NULL${withChunks} ORDER BY id`)
        .iterate() as Iterable<CanonicalArticleRow>;
    },
  };
  return repo;
}
