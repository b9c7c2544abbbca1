import { Embeddings, type EmbeddingsParams } from '@langchain/core/embeddings';
import { FNV_BASIS, fmix32, fnv1a, tokenInfos } from './embedding-tokens.ts';

/**
 * An offline, deterministic embedder: hashed lexical features, no model, no download.
 *
 * A bag of stems projected into `dim` dimensions by signed feature hashing (Weinberger et al. 2009),
 * so cosine similarity approximates a weighted term-overlap score. It knows nothing of synonyms; its
 * job is to make the dense path work with no network and no API key.
 *
 * Per text (analysis in embedding-tokens.ts): Unicode-aware tokens, accents folded, "U.S." → "us"
 * kept as a country → English stopwords dropped → Porter steps 1 and 5 only → features:
 *   - unigram stems, weight w(t);
 *   - bigrams of adjacent content stems, weight 0.15 · √(w(a)·w(b));
 *   - character 4-grams of stems of 7+ letters, total weight 0.5 · w(t), for inflections and
 *     compounds the stemmer misses.
 * Each feature counts 1 + ln(tf) and lands in bucket `h mod dim`, its sign from a second hash, so
 * collisions cancel in expectation instead of piling up. Output is L2-normalised.
 *
 * No corpus IDF exists (vectors must be stable before any corpus exists and must not drift as it
 * grows), so w(t) is a fixed prior: longer tokens weigh more, bare numbers less (years a bit more),
 * and a short list of words frequent in news but not stopwords ("people", "year") is damped.
 *
 * Measured on RealTime QA dev (513 questions, 96k ~120-word passages, brute-force cosine, 384 dims;
 * answer-string recall @1/5/10/20): unigrams only 18.7/30.6/36.3/41.7; + 4-grams 18.5/32.6/37.6/42.7;
 * + bigrams at 0.6 lost ~1 point (collisions in 384 dims); this mix 18.1/32.0/37.6/42.3. At 768 dims
 * unigrams alone reach 19.3/33.9/38.4/44.2. (Plain BM25 on ~200-word passages: 26/41/46/50.)
 *
 * Speed (Node 20, one core, CPU time, 384 dims): ~9,000 chunks/s of 150 words (~11,000/s of the
 * 123-word passages above, cold cache ~10,000/s); the earlier regex + Map version did ~4,000/s.
 */

export { STOPWORDS, stem, tokenize } from './embedding-tokens.ts';

const BIGRAM_SALT = 0x9e3779b9;

function bigramHash(a: number, b: number): number {
  return fmix32(Math.imul(a ^ BIGRAM_SALT, 0x01000193) ^ ((b << 13) | (b >>> 19)));
}

const BIGRAM_WEIGHT = 0.15; // measured neutral at 384 dims (0.6 cost ~1 point: collisions); kept for phrases
const GRAMS_WEIGHT = 0.5; // shared by all of a token's 4-grams

const EMPTY_HASH = fnv1a('<empty>', 0, 7, FNV_BASIS);

/**
 * Feature hash → (summed weight, count), as an open-addressing table in typed arrays reused across
 * calls (two Maps cost ~40% of the embedding time). A feature's value is its mean weight × (1 + ln tf):
 * the mean matters only for a 4-gram shared by tokens of different weights.
 */
class FeatureTable {
  private keys = new Int32Array(1024);
  private weights = new Float32Array(1024);
  private counts = new Uint32Array(1024); // 0 = empty slot
  private used: number[] = [];
  get size(): number {
    return this.used.length;
  }
  reset(expected: number): void {
    for (const slot of this.used) this.counts[slot] = 0;
    this.used.length = 0;
    if (expected * 2 > this.keys.length) {
      let cap = this.keys.length;
      while (cap < expected * 2) cap *= 2;
      this.keys = new Int32Array(cap);
      this.weights = new Float32Array(cap);
      this.counts = new Uint32Array(cap);
    }
  }
  add(h: number, w: number): void {
    const mask = this.keys.length - 1;
    let slot = fmix32(h) & mask;
    for (;;) {
      const c = this.counts[slot]!;
      if (c === 0) {
        this.keys[slot] = h;
        this.weights[slot] = w;
        this.counts[slot] = 1;
        this.used.push(slot);
        return;
      }
      if (this.keys[slot] === h) {
        this.counts[slot] = c + 1;
        this.weights[slot] = this.weights[slot]! + w;
        return;
      }
      slot = (slot + 1) & mask;
    }
  }
  /** Signed projection into `dim` buckets with sublinear tf, L2-normalised; null if it is all zeros. */
  project(dim: number): Float32Array | null {
    const v = new Float32Array(dim);
    for (const slot of this.used) {
      const h = this.keys[slot]!;
      const c = this.counts[slot]!;
      const value = (this.weights[slot]! / c) * (1 + Math.log(c));
      const bucket = (h >>> 0) % dim;
      v[bucket] = v[bucket]! + (fmix32(h ^ SIGN_SALT) < 0 ? -value : value);
    }
    let norm = 0;
    for (let i = 0; i < dim; i++) norm += v[i]! * v[i]!;
    if (norm === 0) return null;
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < dim; i++) v[i] = v[i]! * inv;
    return v;
  }
}

const SIGN_SALT = 0x5bd1e995;
const featureTable = new FeatureTable(); // embedding is synchronous, so one shared table is safe

// ---------------------------------------------------------------------------------------------------

export interface LocalHashEmbeddingsOptions extends EmbeddingsParams {
  /** Output dimension (default 384). Changes `id`. */
  dim?: number;
}

/** Bump when the features, weights, hashing or tokenisation change: vectors of another version differ. */
const ALGORITHM_VERSION = 'local-hash-v1';
const YIELD_EVERY = 256; // texts embedded between yields to the event loop in embedDocuments

/** Offline deterministic embeddings (see the module comment). Vectors are L2-normalised. */
export class LocalHashEmbeddings extends Embeddings {
  readonly dim: number;

  constructor(options: LocalHashEmbeddingsOptions = {}) {
    const { dim = 384, ...params } = options;
    super(params);
    if (!Number.isInteger(dim) || dim < 16 || dim > 8192) {
      throw new RangeError(`LocalHashEmbeddings: dim must be an integer in 16..8192, got ${dim}`);
    }
    this.dim = dim;
  }

  /** Identifies the vector space, e.g. `local-hash-v1:384`; an index built under another id is stale. */
  get id(): string {
    return `${ALGORITHM_VERSION}:${this.dim}`;
  }

  /** Embed one text synchronously. Empty or all-stopword text gets a fixed unit vector, never zeros. */
  embedText(text: string): Float32Array {
    const tokens = tokenInfos(text);
    const table = featureTable;
    table.reset(tokens.length * 8);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      table.add(t.hash, t.weight);
      if (i > 0) {
        const p = tokens[i - 1]!;
        table.add(bigramHash(p.hash, t.hash), BIGRAM_WEIGHT * Math.sqrt(p.weight * t.weight));
      }
      const grams = t.grams;
      if (grams) {
        const gw = (GRAMS_WEIGHT * t.weight) / Math.sqrt(grams.length);
        for (let g = 0; g < grams.length; g++) table.add(grams[g]!, gw);
      }
    }
    if (table.size === 0) table.add(EMPTY_HASH, 1);
    const v = table.project(this.dim);
    // All features cancelling out is vanishingly rare; fall back to the empty-text vector.
    return v ?? this.embedText('');
  }

  /** Embed many texts synchronously (for batch ingestion straight into Float32 BLOBs). */
  embedTexts(texts: readonly string[]): Float32Array[] {
    return texts.map((t) => this.embedText(t));
  }

  override async embedDocuments(documents: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < documents.length; i++) {
      if (i > 0 && i % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      out.push(Array.from(this.embedText(documents[i]!)));
    }
    return out;
  }

  override async embedQuery(document: string): Promise<number[]> {
    return Array.from(this.embedText(document));
  }
}
