/** The read side of the vector index: what the retriever and tools see. */
export interface VectorSearch {
  readonly dim: number;
  /** Live (searchable) vectors. */
  size(): number;
  has(id: number): boolean;
  /** Nearest neighbours by cosine similarity (higher is closer), optionally filtered by id. */
  search(query: ArrayLike<number>, k: number, filter?: (id: number) => boolean): Array<{ id: number; score: number }>;
  /** Live ids. */
  ids(): number[];
}

/** The port the corpus (src/indexing/) writes through; `HnswVectorIndex` is the implementation. */
export interface VectorIndex extends VectorSearch {
  readonly dim: number;
  /** Live (searchable) vectors. */
  size(): number;
  /** Adds or replaces vectors under integer ids (chunk ids). */
  add(ids: number[], vectors: ArrayLike<number>[]): void;
  /** Removes ids; unknown ids are ignored. */
  remove(ids: number[]): void;
  has(id: number): boolean;
  /** Nearest neighbours by cosine similarity (higher is closer), optionally filtered by id. */
  search(query: ArrayLike<number>, k: number, filter?: (id: number) => boolean): Array<{ id: number; score: number }>;
  /** Live ids. */
  ids(): number[];
  /** Persists atomically: a crash mid-save leaves the previous complete index. */
  save(): Promise<void>;
}
