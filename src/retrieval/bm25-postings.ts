// Shared by the in-memory BM25 index and its loader.

/** Term frequencies are capped at 16 bits each (title, body). */
export const TF_MAX = 0xffff;

/** Postings snapshot in CSR form: term i owns entries off[i] .. off[i+1] of doc/tf, doc-ascending. */
export interface Bm25Base {
  terms: string[];
  off: Int32Array;
  doc: Int32Array;
  /** tf(title) << 16 | tf(body) */
  tf: Uint32Array;
  chunkIds: Int32Array;
  docLen: Int32Array;
  docCount: number;
}

export function grow<T extends Int32Array | Uint32Array | Uint8Array | Float64Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const next = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2, 16));
  next.set(a);
  return next;
}
