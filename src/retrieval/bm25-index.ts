import { grow, TF_MAX, type Bm25Base } from './bm25-postings.ts';

/** One keyword match: a chunk and its BM25 score (higher is better). */
export interface KeywordHit {
  chunkId: number;
  score: number;
}

/**
 * In-memory BM25 over the same analysed tokens as the FTS5 table `chunk_fts`, scored the way FTS5's
 * `bm25(chunk_fts, 0.6, 1.0)` scores: one weighted term frequency per document
 * (0.6 · tf(title) + 1.0 · tf(body)), the document length in tokens of both columns, the FTS5 IDF
 * `log((N − df + 0.5) / (df + 0.5))` floored at 1e-6. FTS5 walks every posting through its B-tree per
 * question; here postings are flat typed arrays and a question costs one pass over them.
 *
 * Layout: a frozen CSR "base" (one Int32Array of dense doc indices and one Uint32Array of packed tf
 * for all terms) built at load or compaction, plus a small per-term "delta" for chunks added since.
 * Removal sets a tombstone; document frequencies are recounted lazily for the terms a question uses.
 */
export interface Bm25Options {
  k1: number;
  b: number;
  titleWeight: number;
  bodyWeight: number;
  /**
   * Like the FTS5 search: on corpora above `commonTermMinDocs` chunks, terms in at least this share of
   * chunks are dropped when rarer ones exist. Set to 1 to score every term.
   */
  commonTermRatio: number;
  commonTermMinDocs: number;
}

export const BM25_DEFAULTS: Bm25Options = {
  k1: 1.2,
  b: 0.75,
  titleWeight: 0.6,
  bodyWeight: 1.0,
  commonTermRatio: 0.15,
  commonTermMinDocs: 2000,
};

const TOMBSTONE_COMPACT_RATIO = 0.2; // compact when > 20 % of dense slots are removed chunks
const DELTA_MERGE_MIN = 50_000; // postings: merge the delta into the base past max(this, 25 % of base)
// FTS5's unicode61 tokenizer splits an analysed token like "o'brien" at the apostrophe; so do we.
const SEPARATOR = /[^\p{L}\p{N}]+/u;

function splitToken(token: string): string[] {
  return SEPARATOR.test(token) ? token.split(SEPARATOR).filter(Boolean) : [token];
}

/** In-memory BM25 over analysed chunk tokens, scored like the FTS5 table. */
export interface Bm25Index {
  search(terms: string[], limit: number): KeywordHit[];
  idf(terms: string[]): Map<string, number>;
  totalDocs(): number;
  /** Adds a chunk, or replaces it when the id is indexed already. */
  add(chunkId: number, titleTokens: string[], bodyTokens: string[]): void;
  remove(chunkIds: number[]): void;
  has(chunkId: number): boolean;
  /** Sizes, for logs and benchmarks. */
  stats(): { docs: number; tombstones: number; terms: number; postings: number; deltaPostings: number };
  /** Raw postings for grouped scoring (see article-bm25.ts): read-only walks over live documents. */
  readonly postings: Bm25Postings;
}

/** A read-only walk over the index's live postings; `version` changes whenever a document is added or removed. */
export interface Bm25Postings {
  version(): number;
  /** Every live document: its chunk id and length in tokens. */
  forEachDoc(visit: (chunkId: number, len: number) => void): void;
  /** Live documents containing an analysed term (split like the index), with tf(title) and tf(body). */
  forEachPosting(term: string, visit: (chunkId: number, titleTf: number, bodyTf: number) => void): void;
  /** Live documents containing a term (its rarest part for a split term). */
  docFreq(term: string): number;
}

/** Creates an empty index (or one over a prepared snapshot; see `loadBm25Index` in bm25-load.ts). */
export function createBm25Index(options: Partial<Bm25Options> = {}, base?: Bm25Base): Bm25Index {
  const o: Bm25Options = { ...BM25_DEFAULTS, ...options };

  // Documents, by dense index.
  let chunkOf: Int32Array = new Int32Array(16);
  let docLen: Int32Array = new Int32Array(16);
  let dead: Uint8Array = new Uint8Array(16);
  let docCount = 0;
  let liveDocs = 0;
  let deadDocs = 0;
  let totalLen = 0;
  const docOf = new Map<number, number>();

  // Terms.
  let termOf = new Map<string, number>();
  let nTerms = 0;
  let baseTerms = 0;
  let bOff: Int32Array = new Int32Array(1);
  let bDoc: Int32Array = new Int32Array(0);
  let bTf: Uint32Array = new Uint32Array(0);
  /** Delta postings per term: interleaved [doc, tf, doc, tf, …]. */
  let dPost: Array<Int32Array | undefined> = [];
  let dLen: Int32Array = new Int32Array(16);
  let deltaPostings = 0;
  /** Live document frequency per term, valid when dfEpoch[t] === epoch. */
  let liveDf: Int32Array = new Int32Array(16);
  let dfEpoch: Int32Array = new Int32Array(16).fill(-1);
  let epoch = 0;

  // Query scratch, reused.
  let scores: Float64Array = new Float64Array(16);
  let touched: Int32Array = new Int32Array(16);

  function install(s: Bm25Base): void {
    chunkOf = s.chunkIds;
    docLen = s.docLen;
    docCount = s.docCount;
    dead = new Uint8Array(Math.max(16, chunkOf.length));
    docOf.clear();
    totalLen = 0;
    for (let d = 0; d < docCount; d++) {
      docOf.set(chunkOf[d]!, d);
      totalLen += docLen[d]!;
    }
    liveDocs = docCount;
    deadDocs = 0;
    termOf = new Map(s.terms.map((t, i) => [t, i]));
    nTerms = baseTerms = s.terms.length;
    bOff = s.off;
    bDoc = s.doc;
    bTf = s.tf;
    dPost = [];
    dLen = new Int32Array(Math.max(16, nTerms));
    deltaPostings = 0;
    liveDf = new Int32Array(Math.max(16, nTerms));
    for (let t = 0; t < nTerms; t++) liveDf[t] = bOff[t + 1]! - bOff[t]!;
    dfEpoch = new Int32Array(Math.max(16, nTerms)).fill(++epoch);
    scores = new Float64Array(Math.max(16, chunkOf.length));
    touched = new Int32Array(Math.max(16, chunkOf.length));
  }

  function termIdFor(term: string): number {
    let t = termOf.get(term);
    if (t === undefined) {
      t = nTerms++;
      termOf.set(term, t);
      dLen = grow(dLen, nTerms);
      liveDf = grow(liveDf, nTerms);
      if (dfEpoch.length < nTerms) {
        const old = dfEpoch.length;
        dfEpoch = grow(dfEpoch, nTerms);
        dfEpoch.fill(-1, old);
      }
      liveDf[t] = 0;
      dfEpoch[t] = epoch;
    }
    return t;
  }

  /** Live documents containing term t (recounted after removals, once per removal epoch). */
  function df(t: number): number {
    if (dfEpoch[t] === epoch) return liveDf[t]!;
    let n = 0;
    if (t < baseTerms) for (let i = bOff[t]!, e = bOff[t + 1]!; i < e; i++) if (!dead[bDoc[i]!]) n++;
    const p = dPost[t];
    if (p) for (let i = 0, e = dLen[t]!; i < e; i += 2) if (!dead[p[i]!]) n++;
    liveDf[t] = n;
    dfEpoch[t] = epoch;
    return n;
  }

  /** Document frequency of an analysed term; a split term ("o'brien") counts as its rarest part. */
  function termDf(term: string): number {
    let best = Infinity;
    for (const part of splitToken(term)) {
      const t = termOf.get(part);
      best = Math.min(best, t === undefined ? 0 : df(t));
    }
    return best === Infinity ? 0 : best;
  }

  let version = 0;

  function forEachPosting(term: string, visit: (chunkId: number, titleTf: number, bodyTf: number) => void): void {
    for (const part of splitToken(term)) {
      const t = termOf.get(part);
      if (t === undefined) continue;
      if (t < baseTerms) {
        for (let i = bOff[t]!, e = bOff[t + 1]!; i < e; i++) {
          const d = bDoc[i]!;
          if (!dead[d]) visit(chunkOf[d]!, bTf[i]! >>> 16, bTf[i]! & TF_MAX);
        }
      }
      const p = dPost[t];
      if (p) {
        for (let i = 0, e = dLen[t]!; i < e; i += 2) {
          const d = p[i]!;
          const packed = p[i + 1]! >>> 0;
          if (!dead[d]) visit(chunkOf[d]!, packed >>> 16, packed & TF_MAX);
        }
      }
    }
  }

  /** Indexes a chunk's analysed title and body tokens (replacing the chunk if already present). */
  function add(chunkId: number, titleTokens: string[], bodyTokens: string[]): void {
    if (docOf.has(chunkId)) remove([chunkId]);
    version++;
    const counts = new Map<string, number>();
    let len = 0;
    for (const [tokens, shift] of [
      [titleTokens, 16],
      [bodyTokens, 0],
    ] as const) {
      for (const token of tokens) {
        for (const part of splitToken(token)) {
          const c = counts.get(part) ?? 0;
          if (((c >>> shift) & TF_MAX) < TF_MAX) counts.set(part, c + (1 << shift));
          len++;
        }
      }
    }
    const d = docCount++;
    chunkOf = grow(chunkOf, docCount);
    docLen = grow(docLen, docCount);
    dead = grow(dead, docCount);
    chunkOf[d] = chunkId;
    docLen[d] = len;
    dead[d] = 0;
    docOf.set(chunkId, d);
    liveDocs++;
    totalLen += len;
    for (const [term, packed] of counts) {
      const t = termIdFor(term);
      const n = dLen[t]!;
      const p = grow(dPost[t] ?? new Int32Array(4), n + 2);
      dPost[t] = p;
      p[n] = d;
      p[n + 1] = packed | 0;
      dLen[t] = n + 2;
      if (dfEpoch[t] === epoch) liveDf[t]!++;
      deltaPostings++;
    }
    if (deltaPostings > Math.max(DELTA_MERGE_MIN, bDoc.length / 4)) compact();
  }

  /** Drops chunks (unknown ids are ignored); compacts when tombstones exceed 20 % of the slots. */
  function remove(chunkIds: number[]): void {
    let removed = 0;
    for (const id of chunkIds) {
      const d = docOf.get(id);
      if (d === undefined) continue;
      docOf.delete(id);
      dead[d] = 1;
      liveDocs--;
      deadDocs++;
      totalLen -= docLen[d]!;
      removed++;
    }
    if (removed === 0) return;
    version++;
    epoch++;
    if (deadDocs > TOMBSTONE_COMPACT_RATIO * docCount) compact();
  }

  /** Rebuilds the base from live postings (base + delta), renumbering documents and dropping empty terms. */
  function compact(): void {
    const remap = new Int32Array(docCount);
    const ids = new Int32Array(Math.max(16, liveDocs));
    const lens = new Int32Array(Math.max(16, liveDocs));
    let nd = 0;
    for (let d = 0; d < docCount; d++) {
      if (dead[d]) {
        remap[d] = -1;
        continue;
      }
      remap[d] = nd;
      ids[nd] = chunkOf[d]!;
      lens[nd] = docLen[d]!;
      nd++;
    }
    const terms: string[] = [];
    const off: number[] = [0];
    let doc: Int32Array = new Int32Array(Math.max(16, bDoc.length + deltaPostings));
    let tf: Uint32Array = new Uint32Array(doc.length);
    let n = 0;
    for (const [term, t] of termOf) {
      const start = n;
      // Base postings precede delta postings of the same term in dense order, so the output stays ascending.
      if (t < baseTerms) {
        for (let i = bOff[t]!, e = bOff[t + 1]!; i < e; i++) {
          const r = remap[bDoc[i]!]!;
          if (r >= 0) {
            doc[n] = r;
            tf[n++] = bTf[i]!;
          }
        }
      }
      const p = dPost[t];
      if (p) {
        for (let i = 0, e = dLen[t]!; i < e; i += 2) {
          const r = remap[p[i]!]!;
          if (r >= 0) {
            doc[n] = r;
            tf[n++] = p[i + 1]! >>> 0;
          }
        }
      }
      if (n > start) {
        terms.push(term);
        off.push(n);
      }
    }
    doc = doc.slice(0, n);
    tf = tf.slice(0, n);
    install({ terms, off: Int32Array.from(off), doc, tf, chunkIds: ids, docLen: lens, docCount: nd });
  }

  /** Same contract as the FTS5 keyword search: BM25 (higher is better), ties by chunk id. */
  function search(terms: string[], limit: number): KeywordHit[] {
    if (terms.length === 0 || limit <= 0 || liveDocs === 0) return [];
    const n = liveDocs;
    // Split terms and resolve ids; unknown terms contribute nothing (as in FTS5).
    let use = terms.flatMap(splitToken);
    if (n > o.commonTermMinDocs) {
      const rare = use.filter((t) => termDf(t) / n < o.commonTermRatio);
      use = rare.length > 0 ? rare : use.slice(0, 1);
    }
    const ids: number[] = [];
    for (const term of use) {
      const t = termOf.get(term);
      if (t !== undefined && df(t) > 0) ids.push(t);
    }
    if (ids.length === 0) return [];

    if (scores.length < docCount) {
      scores = new Float64Array(chunkOf.length);
      touched = new Int32Array(chunkOf.length);
    }
    const { k1, b, titleWeight: tw, bodyWeight: bw } = o;
    const avgdl = totalLen / n || 1;
    const c0 = k1 * (1 - b);
    const c1 = (k1 * b) / avgdl;
    let nTouched = 0;
    const score = (d: number, packed: number, idf: number): void => {
      if (dead[d]) return;
      const f = tw * (packed >>> 16) + bw * (packed & TF_MAX);
      const s = (idf * (f * (k1 + 1))) / (f + c0 + c1 * docLen[d]!);
      if (!(s > 0)) return; // a zero weight must not mark the document as touched
      if (scores[d] === 0) touched[nTouched++] = d;
      scores[d]! += s;
    };
    for (const t of ids) {
      const f = df(t);
      let idf = Math.log((n - f + 0.5) / (f + 0.5));
      if (idf <= 0) idf = 1e-6;
      if (t < baseTerms) for (let i = bOff[t]!, e = bOff[t + 1]!; i < e; i++) score(bDoc[i]!, bTf[i]!, idf);
      const p = dPost[t];
      if (p) for (let i = 0, e = dLen[t]!; i < e; i += 2) score(p[i]!, p[i + 1]! >>> 0, idf);
    }
    const top = selectTop(nTouched, limit);
    for (let i = 0; i < nTouched; i++) scores[touched[i]!] = 0;
    return top;
  }

  /** a ranks before b: higher score, then lower chunk id. */
  function before(a: number, b: number): boolean {
    const sa = scores[a]!;
    const sb = scores[b]!;
    return sa > sb || (sa === sb && chunkOf[a]! < chunkOf[b]!);
  }

  /** Partial selection: a size-`limit` heap whose root is the worst kept document. */
  function selectTop(nTouched: number, limit: number): KeywordHit[] {
    const k = Math.min(limit, nTouched);
    const heap = new Int32Array(k);
    let size = 0;
    const down = (i: number): void => {
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) return;
        let w = l;
        if (l + 1 < size && before(heap[w]!, heap[l + 1]!)) w = l + 1;
        if (!before(heap[i]!, heap[w]!)) return;
        [heap[i], heap[w]] = [heap[w]!, heap[i]!];
        i = w;
      }
    };
    for (let i = 0; i < nTouched; i++) {
      const d = touched[i]!;
      if (size < k) {
        let j = size++;
        heap[j] = d;
        while (j > 0) {
          const p = (j - 1) >> 1;
          if (!before(heap[p]!, heap[j]!)) break;
          [heap[p], heap[j]] = [heap[j]!, heap[p]!];
          j = p;
        }
      } else if (before(d, heap[0]!)) {
        heap[0] = d;
        down(0);
      }
    }
    return Array.from(heap)
      .sort((x, y) => (before(x, y) ? -1 : 1))
      .map((d) => ({ chunkId: chunkOf[d]!, score: scores[d]! }));
  }

  /** IDF as the FTS5 keyword search reports it: log(1 + (N − df + 0.5) / (df + 0.5)). */
  function idf(terms: string[]): Map<string, number> {
    const n = Math.max(1, liveDocs);
    return new Map(
      terms.map((t) => {
        const f = termDf(t);
        return [t, Math.log(1 + (n - f + 0.5) / (f + 0.5))];
      }),
    );
  }

  if (base) install(base);

  return {
    search,
    idf,
    totalDocs: () => liveDocs,
    add,
    remove,
    has: (chunkId: number) => docOf.has(chunkId),
    postings: {
      version: () => version,
      forEachDoc(visit) {
        for (let d = 0; d < docCount; d++) if (!dead[d]) visit(chunkOf[d]!, docLen[d]!);
      },
      forEachPosting,
      docFreq: termDf,
    },
    stats: () => ({
      docs: liveDocs,
      tombstones: deadDocs,
      terms: termOf.size,
      postings: bDoc.length + deltaPostings,
      deltaPostings,
    }),
  };
}
