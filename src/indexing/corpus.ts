import type { Embeddings } from '@langchain/core/embeddings';
import type { StoredArticleRef } from '../db/article-repo.ts';
import type { ChunkReader } from '../db/chunk-repo.ts';
import type { ChunkCatalogView } from '../retrieval/chunk-catalog.ts';
import type { KeywordSearch } from '../retrieval/keyword-search.ts';
import type { VectorSearch } from '../retrieval/vector-index.ts';
import type { EmbeddedChunk, PreparedArticle } from '../types.ts';

/** What `put` did: a new story, or new text for a stored URL (its old chunks left store and indexes). */
export interface PutOutcome {
  kind: 'added' | 'updated';
  articleId: number;
  chunkIds: number[];
  /** Milliseconds in the SQLite transaction and in the derived indexes. */
  timings: { store: number; index: number };
}

/** Where `put` writes: a new article (default), or in place of a stored one the rule allows. */
export type PutTarget = { kind: 'insert' } | { kind: 'replace'; articleId: number } | { kind: 'reclaim'; articleId: number };

/** Sent to `onArticleAdded` listeners after the store and every derived index have the article. */
export interface ArticleAdded {
  /**
   * `alternate`: another outlet's copy of a stored story (`of`), stored but not indexed; `linked`: a
   * source (newly) carries an article already stored through another source — new to that source's guild.
   */
  kind: 'added' | 'updated' | 'alternate' | 'linked';
  articleId: number;
  of?: number;
  sourceId: number | null;
  /**
   * Set on articles another process stored (applied from the change log): the guild whose sources
   * hold it (null: a global source, every guild sees it); one event per such guild, `sourceId` null.
   */
  guildId?: string | null;
  title: string;
  url: string | null;
  outlet: string | null;
  published: string | null;
}

/** Read-only views of the derived indexes for the retriever and the question services. */
export interface CorpusViews {
  /** Follows the live index, also after `reembed` replaced it. */
  readonly index: VectorSearch;
  readonly keyword: KeywordSearch;
  readonly catalog: ChunkCatalogView;
  readonly chunks: ChunkReader;
}

export interface CorpusCounts {
  articles: number;
  chunks: number;
  /** Live, searchable vectors. */
  vectors: number;
}

/**
 * The one owner of every write to articles, chunks and the derived indexes (HNSW, in-memory BM25,
 * chunk catalog, near-duplicate index). SQLite is the truth: each write commits there first, then
 * every derived view follows; the HNSW index is saved atomically and reconciled from SQLite on open,
 * so a crash anywhere loses nothing and duplicates nothing.
 */
export interface Corpus {
  /** A stored article at this URL or one of its aliases. */
  findByUrl(url: string): StoredArticleRef | undefined;
  findByHash(contentHash: string): StoredArticleRef | undefined;
  /** An indexed article carrying the same story (simhash candidates confirmed by shared 3-grams). */
  findNearDuplicate(simhash: string, text: string): number | undefined;
  /** What a claim on `claimedUrl` that `sourceId` stored apart became (see `decideIdentity`). */
  findApart(claimedUrl: string, sourceId: number): StoredArticleRef | undefined;
  /** Guilds whose sources hold an article (null: a global source). */
  holders(articleId: number): Array<string | null>;
  /** The guild of a source (null: global, undefined: no such source). */
  guildOfSource(sourceId: number): string | null | undefined;

  /**
   * Stores an article with its embedded chunks. `target` is what the identity rule allowed (see
   * `decideIdentity`): a new article, an update of `replace` in place (the old version is kept), or
   * a new article at a URL taken back from `reclaim`, which only claimed it and keeps its text.
   */
  put(article: PreparedArticle, chunks: EmbeddedChunk[], sourceId: number | null, target?: PutTarget): PutOutcome;
  /** Stores another outlet's copy of article `of` (no chunks: the indexed copy answers for both). */
  addAlternate(article: PreparedArticle, of: number, sourceId: number | null): { articleId: number };
  /** Records that a source (also) carries an article. */
  linkSource(articleId: number, sourceId: number): void;
  /** Deletes a source; articles no other source carries leave the store and every index. */
  removeSource(sourceId: number): Promise<{ removedArticles: number }>;
  /** Re-embeds every chunk and rebuilds the vector index from scratch (after an embedder change). */
  reembed(embeddings: Embeddings, onProgress?: (done: number, total: number) => void): Promise<{ chunks: number }>;
  /** Makes the vector index agree with the store (done on open; cheap when nothing is missing). */
  reconcile(): { added: number; removed: number };
  /** Saves the vector index atomically. */
  save(): Promise<void>;
  /** Saves when enough chunks were added since the last save (long imports; recovery covers the rest). */
  checkpoint(): Promise<void>;

  /** Subscribes to new articles (watches, alerts, a change feed). Returns the unsubscribe function. */
  onArticleAdded(listener: (e: ArticleAdded) => void): () => void;

  /**
   * Builds the in-memory keyword index now and starts following other processes' writes to the same
   * data dir every `followIntervalMs` (long-running processes call this at start-up).
   */
  warmUp(): void;
  /** Applies what other processes wrote since the last call (the timer started by warmUp does this too). */
  catchUp(): number;
  readonly views: CorpusViews;
  readonly embedderId: string;
  counts(): CorpusCounts;
  /** Saves the index; the caller closes the store. */
  close(): Promise<void>;
}
