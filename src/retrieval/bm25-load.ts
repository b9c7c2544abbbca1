import type { KeywordStore } from '../db/keyword-repo.ts';
import { createBm25Index, type Bm25Index, type Bm25Options } from './bm25-index.ts';
import { grow, TF_MAX } from './bm25-postings.ts';

/**
 * Builds the index from the store without re-tokenising text: the FTS5 'instance' vocabulary lists
 * every token occurrence, and SQLite folds them per term into one string ("doc·2 + isTitle", …), which
 * is far cheaper than crossing into JavaScript once per occurrence. Chunks come from `chunks`, so
 * chunks without tokens still count towards N, as they do in FTS5.
 */
export function loadBm25Index(store: KeywordStore, options: Partial<Bm25Options> = {}): Bm25Index {
  const chunkRows = store.chunkIdsAscending();
  let chunkIds = Int32Array.from(chunkRows);
  let docCount = chunkIds.length;
  const docOf = new Map<number, number>();
  for (let d = 0; d < docCount; d++) docOf.set(chunkIds[d]!, d);
  let docLen: Int32Array = new Int32Array(Math.max(16, docCount));
  // Chunk ids are AUTOINCREMENT, so usually dense enough for a direct table (a Map look-up per posting costs ~1 s here).
  const maxId = chunkRows.length > 0 ? chunkRows[chunkRows.length - 1]! : 0;
  const direct = maxId < 4 * chunkRows.length + 1024 ? new Int32Array(maxId + 1).fill(-1) : undefined;
  if (direct) for (let d = 0; d < docCount; d++) direct[chunkIds[d]!] = d;
  const denseOf = (chunkId: number): number => {
    if (direct && chunkId <= maxId && direct[chunkId]! >= 0) return direct[chunkId]!;
    let d = docOf.get(chunkId);
    if (d === undefined) {
      // In the keyword table but not in `chunks`: keep it, as FTS5 would.
      d = docCount++;
      chunkIds = grow(chunkIds, docCount);
      docLen = grow(docLen, docCount);
      chunkIds[d] = chunkId;
      docOf.set(chunkId, d);
    }
    return d;
  };

  const rows = store.termOccurrences();

  const terms: string[] = [];
  const off: number[] = [0];
  let doc: Int32Array = new Int32Array(1 << 20);
  let tf: Uint32Array = new Uint32Array(1 << 20);
  let n = 0;
  let codes: Float64Array = new Float64Array(1024);
  for (const [term, occ] of rows) {
    // Parse "v,v,v" into codes; the scan order is doc, column, offset, but do not rely on it.
    let m = 0;
    let v = 0;
    let sorted = true;
    for (let i = 0, e = occ.length; i <= e; i++) {
      const c = i < e ? occ.charCodeAt(i) : 44;
      if (c === 44) {
        codes = grow(codes, m + 1);
        if (m > 0 && v < codes[m - 1]!) sorted = false;
        codes[m++] = v;
        v = 0;
      } else v = v * 10 + (c - 48);
    }
    const list = sorted ? codes.subarray(0, m) : codes.slice(0, m).sort();
    const start = n;
    let prevChunk = -1;
    for (let i = 0; i < m; i++) {
      const code = list[i]!;
      const chunkId = Math.floor(code / 2);
      const shift = code % 2 === 1 ? 16 : 0;
      if (chunkId !== prevChunk) {
        doc = grow(doc, n + 1);
        tf = grow(tf, n + 1);
        doc[n] = denseOf(chunkId);
        tf[n++] = 0;
        prevChunk = chunkId;
      }
      const cur = tf[n - 1]!;
      if (((cur >>> shift) & TF_MAX) < TF_MAX) tf[n - 1] = cur + (1 << shift);
      docLen[doc[n - 1]!]!++;
    }
    if (n > start) {
      terms.push(term);
      off.push(n);
    }
  }
  // Dense order must be ascending within each term for the merge in compact(); chunks missing from
  // `chunks` were numbered as met, so restore the order per term when any exist.
  if (docCount > chunkRows.length) {
    for (let t = 0; t < terms.length; t++) {
      const s = off[t]!;
      const e = off[t + 1]!;
      const order = Array.from({ length: e - s }, (_, i) => s + i).sort((x, y) => doc[x]! - doc[y]!);
      const d2 = order.map((i) => doc[i]!);
      const t2 = order.map((i) => tf[i]!);
      doc.set(d2, s);
      tf.set(t2, s);
    }
  }
  return createBm25Index(options, {
    terms,
    off: Int32Array.from(off),
    doc: doc.slice(0, n),
    tf: tf.slice(0, n),
    chunkIds: chunkIds.slice(0, Math.max(16, docCount)),
    docLen: docLen.slice(0, Math.max(16, docCount)),
    docCount,
  });
}
