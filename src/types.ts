/** Shared shapes that cross module boundaries (sources → fetch → extract → chunk → … → answer). */

/** One article as produced by an extractor or importer, before it is stored. */
export interface ArticleInput {
  /** Canonical URL when known (file imports may have none). */
  url: string | null;
  title: string;
  /** Clean main text: paragraphs separated by blank lines, no markup, no boilerplate. */
  text: string;
  /** Outlet name, e.g. "MENAFN" or "cnn.com". */
  outlet: string | null;
  /** Publication date as YYYY-MM-DD. */
  published: string | null;
  author?: string | null;
  /** Stable id from the origin (feed guid, corpus id), used before URL for identity. */
  externalId?: string | null;
  /** Other URLs known to carry the same text. */
  aliases?: string[];
  /** Where the text really came from; decides whether it may replace a stored article (see `decideIdentity`). */
  provenance?: Provenance;
}

/** Where a text really came from: a page at `from`, an item of the feed at `from`, or the operator's file `from`. */
export interface Provenance {
  via: 'page' | 'feed' | 'file';
  from: string;
}

/** A stored article. */
export interface Article extends Required<Omit<ArticleInput, 'aliases' | 'provenance'>> {
  id: number;
  contentHash: string;
  fetchedAt: string;
}

/** A chunk of an article with its character span in the article text. */
export interface ChunkInput {
  ord: number;
  text: string;
  start: number;
  end: number;
}

/** A retrieved passage with everything a citation needs. */
export interface Passage {
  chunkId: number;
  articleId: number;
  text: string;
  start: number;
  end: number;
  title: string;
  url: string | null;
  outlet: string | null;
  published: string | null;
  score: number;
}

export interface Citation {
  n: number;
  articleId: number;
  title: string;
  url: string | null;
  source: string | null;
  published: string | null;
  /** A verbatim substring of the article text. */
  quote: string;
}

/**
 * Why an answer says the tracked news doesn't cover a question: nothing is stored yet, the filters
 * (sources, `since`, as-of date) left nothing to search, nothing relevant was found, or only old
 * reports were (a stale answer is flagged, not presented as current news).
 */
export type NotCoveredReason = 'empty-store' | 'filtered-out' | 'no-match' | 'stale';

export type AnswerResult =
  | {
      kind: 'answered';
      answer: string;
      citations: Citation[];
      grounded: true;
      /** The short thing asked for (a name, a number, a date), verbatim from a cited sentence; null when none is convincing. */
      directAnswer?: string | null;
    }
  | { kind: 'no-context'; answer: string; citations: Citation[]; grounded: false; reason?: NotCoveredReason; directAnswer?: null };

/** An article ready to store: normalised, with its content hash and (for longer texts) simhash. */
export interface PreparedArticle extends ArticleInput {
  contentHash: string;
  /** 64-bit simhash as hex; null for texts too short to fingerprint. */
  simhash: string | null;
  /** Where this text was fetched from (`provenance.from`), recorded with the article. */
  fetchedFrom: string | null;
  /** Set when the text claimed a URL it was not allowed to take: it is stored apart from it. */
  claimedUrl: string | null;
}

/** A chunk with its vector, ready to store. */
export interface EmbeddedChunk extends ChunkInput {
  embedding: Float32Array;
}
