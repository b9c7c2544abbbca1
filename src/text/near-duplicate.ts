import { createHash } from 'node:crypto';

/**
 * Largest Hamming distance between two `simhash64` fingerprints still treated as the same story.
 * Measured on our ~450-word fixtures: a syndicated copy (new dateline, a few words changed, one
 * clause dropped) is 10 bits away; one paragraph of eight replaced gives a median of 11, 90th
 * percentile 15, and ~2% above 18; two different stories on the same topic sit at 37–40 (unrelated
 * fingerprints average 32, spread ~4). SimHash is coarse on short texts, so a caller that must not
 * merge distinct stories should confirm a hit by shingle overlap.
 */
export const NEAR_DUPLICATE_MAX_DISTANCE = 18;

const MASK64 = (1n << 64n) - 1n;

/**
 * Text reduced to what a reader would call "the same words": Unicode-compatible forms folded,
 * lower case, punctuation and symbols removed, whitespace collapsed.
 */
export function normalizeForComparison(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** SHA-256 (hex) of the normalised text: equal for a re-ingest that only changed markup or spacing. */
export function contentHash(text: string): string {
  return createHash('sha256').update(normalizeForComparison(text)).digest('hex');
}

/** Two independent 32-bit FNV-1a style hashes; together they are one 64-bit feature hash. */
function hash64(s: string): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  // Final avalanche so short shingles still spread over all bits.
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h2 ^= h2 >>> 16;
  h2 = Math.imul(h2, 0xc2b2ae35);
  h2 ^= h2 >>> 13;
  return [h1 >>> 0, h2 >>> 0];
}

/**
 * 64-bit SimHash over word 3-gram shingles of the normalised text.
 *
 * SimHash rather than MinHash: one 64-bit value per article fits an INTEGER column (store it as
 * `BigInt.asIntN(64, h)`), and a comparison is one XOR and a popcount, so checking a new article
 * against every stored one stays cheap. MinHash would estimate shingle overlap more precisely but
 * needs ~128 values per article; the gap between "lightly edited copy" and "different story" is wide
 * enough that SimHash's coarser estimate separates them (see `NEAR_DUPLICATE_MAX_DISTANCE`).
 */
export function simhash64(text: string): bigint {
  const words = normalizeForComparison(text).split(' ').filter(Boolean);
  if (words.length === 0) return 0n;
  const shingles: string[] = [];
  if (words.length < 3) shingles.push(words.join(' '));
  for (let i = 0; i + 3 <= words.length; i++) shingles.push(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);

  const weights = new Int32Array(64);
  for (const sh of shingles) {
    const [lo, hi] = hash64(sh);
    for (let bit = 0; bit < 32; bit++) {
      weights[bit]! += (lo >>> bit) & 1 ? 1 : -1;
      weights[bit + 32]! += (hi >>> bit) & 1 ? 1 : -1;
    }
  }
  let lo = 0;
  let hi = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (weights[bit]! > 0) lo |= 1 << bit;
    if (weights[bit + 32]! > 0) hi |= 1 << bit;
  }
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

function popcount32(x: number): number {
  let v = x >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Number of differing bits between two 64-bit fingerprints (signed or unsigned spellings alike). */
export function hammingDistance(a: bigint, b: bigint): number {
  const x = (a ^ b) & MASK64;
  return popcount32(Number(x & 0xffffffffn)) + popcount32(Number(x >> 32n));
}

/** True when two texts (or their `simhash64` fingerprints) are the same story, lightly edited. */
export function isNearDuplicate(a: bigint | string, b: bigint | string, maxDistance: number = NEAR_DUPLICATE_MAX_DISTANCE): boolean {
  const fa = typeof a === 'string' ? simhash64(a) : a;
  const fb = typeof b === 'string' ? simhash64(b) : b;
  return hammingDistance(fa, fb) <= maxDistance;
}
