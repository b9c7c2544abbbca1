/**
 * The text analysis behind `LocalHashEmbeddings`: tokens, stopwords, a conservative stemmer, and the
 * per-token hashes the embedder projects. Frozen with the embedder's `id` — a change here changes
 * vectors, so bump `ALGORITHM_VERSION` in local-embeddings.ts with it.
 *
 * Tokenising is a hand-written scanner rather than a regex plus a `Map<string, …>` cache: it hashes
 * each token while scanning and finds it in an open-addressing cache without slicing a substring,
 * which made embedding ~1.5× faster (tokenising was ~60% of the time).
 */

import { EMBEDDER_STOPWORDS } from '../text/stopwords.ts';
import { porterStem } from '../text/stem.ts';

/** The analyser's stopwords, minus "two" and "new", plus more function words; checked before stemming. */
export const STOPWORDS: ReadonlySet<string> = EMBEDDER_STOPWORDS;

/** Stopwords that are names when written in capitals: "US", "IT" is rarer than "it" — only "us". */
const KEEP_WHEN_UPPER: ReadonlySet<string> = new Set(['us']);

/** Frequent in news prose yet not stopwords: damped because no IDF exists to do it. */
const COMMON = new Set(
  `year time people week day month today yesterday new first last two three make made take go going come
  percent million billion thousand report reported news part number way thing know think want need use used
  including include includes told call called show shows help back next early later recent recently still
  good great big small high low long old own state states`
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => porterStem(w)),
);

// ---------------------------------------------------------------------------------------------------
// Hashing

export const FNV_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const GRAM_BASIS = 0x050c5d1f; // a different basis keeps "abcd" the gram apart from "abcd" the word

/** FNV-1a over UTF-16 code units of s[start, end). */
export function fnv1a(s: string, start: number, end: number, basis: number): number {
  let h = basis;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h | 0;
}

/** murmur3's 32-bit finaliser: spreads a hash so its bits can serve as a second, independent hash. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

// ---------------------------------------------------------------------------------------------------
// Token analysis (on a cache miss)

/** What the embedder needs of one surface form. */
export interface TokenInfo {
  stem: string;
  /** FNV-1a of the stem. */
  hash: number;
  /** Fixed informativeness prior (see `tokenWeight`). */
  weight: number;
  /** Hashes of the stem's character 4-grams with boundary marks ("<ann", …), for stems of 7+ letters. */
  grams: Int32Array | null;
}

const NUMBER_RE = /^\p{N}+(?:[.,]\p{N}+)*$/u;

/** Normalise a raw token to a stem, or null when it carries no content (stopword, lone letter). */
function normalizeToken(raw: string): string | null {
  let lower = raw.toLowerCase();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the range is "not ASCII", NUL included on purpose
  if (/[^\x00-\x7f]/.test(lower)) {
    // Fold accents ("café" → "cafe") and compatibility forms ("ﬁ" → "fi"); curly apostrophes to straight.
    lower = lower.normalize('NFKD').replace(/\p{M}/gu, '').replace(/’/g, "'");
  }
  if (STOPWORDS.has(lower) && !(KEEP_WHEN_UPPER.has(lower) && raw === raw.toUpperCase())) return null;
  if (lower.endsWith("'s")) lower = lower.slice(0, -2);
  if (NUMBER_RE.test(lower)) return lower.replace(/,(?=\p{N}{3}(?:\D|$))/gu, ''); // "1,000" = "1000"
  if (lower.length <= 1) return null;
  return porterStem(lower);
}

/**
 * A fixed stand-in for IDF, which we cannot have (vectors must not drift as the corpus grows):
 * longer tokens weigh more, bare numbers less (years a little more), frequent news words are damped.
 */
function tokenWeight(s: string): number {
  if (/^\p{N}/u.test(s)) return /^(?:1[89]|20)\d\d$/.test(s) ? 0.8 : 0.5;
  if (COMMON.has(s)) return 0.45;
  const n = s.length;
  return n <= 2 ? 0.55 : n === 3 ? 0.75 : n === 4 ? 0.9 : 1;
}

function analyzeToken(raw: string): TokenInfo | null {
  const s = normalizeToken(raw);
  if (s === null) return null;
  let grams: Int32Array | null = null;
  if (s.length >= 7 && !/\p{N}/u.test(s)) {
    const padded = `<${s}>`;
    grams = new Int32Array(padded.length - 3);
    for (let i = 0; i < grams.length; i++) grams[i] = fnv1a(padded, i, i + 4, GRAM_BASIS);
  }
  return { stem: s, hash: fnv1a(s, 0, s.length, FNV_BASIS), weight: tokenWeight(s), grams };
}

// ---------------------------------------------------------------------------------------------------
// Surface-form cache: open addressing keyed by the raw token's hash, verified with startsWith.

const CACHE_SLOTS = 1 << 19;
const CACHE_MASK = CACHE_SLOTS - 1;
const CACHE_LIMIT = CACHE_SLOTS >>> 1; // ~260k surface forms (tens of MB at worst), then cleared wholesale
const cacheHashes = new Int32Array(CACHE_SLOTS);
let cacheRaws: (string | undefined)[] = new Array<string | undefined>(CACHE_SLOTS);
let cacheInfos: (TokenInfo | null)[] = new Array<TokenInfo | null>(CACHE_SLOTS);
let cacheCount = 0;

/** The analysis of text[start, end), whose raw FNV-1a hash is h. */
function lookup(text: string, start: number, end: number, h: number): TokenInfo | null {
  const len = end - start;
  let slot = fmix32(h ^ len) & CACHE_MASK;
  for (;;) {
    const raw = cacheRaws[slot];
    if (raw === undefined) break;
    if (cacheHashes[slot] === h && raw.length === len && text.startsWith(raw, start)) return cacheInfos[slot]!;
    slot = (slot + 1) & CACHE_MASK;
  }
  const raw = text.slice(start, end);
  const info = analyzeToken(raw);
  if (cacheCount >= CACHE_LIMIT) {
    cacheRaws = new Array<string | undefined>(CACHE_SLOTS);
    cacheInfos = new Array<TokenInfo | null>(CACHE_SLOTS);
    cacheCount = 0;
    slot = fmix32(h ^ len) & CACHE_MASK;
  }
  cacheHashes[slot] = h;
  cacheRaws[slot] = raw;
  cacheInfos[slot] = info;
  cacheCount++;
  return info;
}

// ---------------------------------------------------------------------------------------------------
// Scanner

const OTHER = 0;
const LETTER = 1;
const DIGIT = 2;
const MARK = 3; // combining marks continue a token (decomposed "e\u0301"); folded away on analysis
const UNKNOWN = 255;

/** Character class per UTF-16 code unit, filled lazily from Unicode properties. */
const charClasses = new Uint8Array(65536).fill(UNKNOWN);
for (let c = 0; c < 128; c++) {
  charClasses[c] = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) ? LETTER : c >= 48 && c <= 57 ? DIGIT : OTHER;
}

function classOf(c: number): number {
  const k = charClasses[c]!;
  if (k !== UNKNOWN) return k;
  // Lone surrogate halves classify as OTHER: letters outside the BMP are not indexed.
  const ch = String.fromCharCode(c);
  const computed = /\p{L}/u.test(ch) ? LETTER : /\p{N}/u.test(ch) ? DIGIT : /\p{M}/u.test(ch) ? MARK : OTHER;
  charClasses[c] = computed;
  return computed;
}

const APOSTROPHE = 39;
const RIGHT_QUOTE = 0x2019;
const DOT = 46;
const COMMA = 44;

/** "U.S." / "U.K." / "J.K." at `i` → index after the last dot, else -1. */
function acronymEnd(text: string, i: number): number {
  let j = i;
  let reps = 0;
  for (;;) {
    const c = text.charCodeAt(j);
    if (!(c >= 65 && c <= 90) || text.charCodeAt(j + 1) !== DOT) break;
    j += 2;
    reps++;
  }
  if (reps < 2 || (j < text.length && classOf(text.charCodeAt(j)) === LETTER)) return -1;
  return j;
}

/**
 * Scan `text` into content tokens. A token is a run of letters and digits, continued across an
 * apostrophe before a letter ("o'brien", "lavrov’s") and, in a number, across "." or "," before a
 * digit ("3.5", "1,000"); dotted capitals are one token ("U.S." → "US").
 */
export function tokenInfos(text: string): TokenInfo[] {
  const out: TokenInfo[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    let k = classOf(c);
    if (k !== LETTER && k !== DIGIT) {
      i++;
      continue;
    }
    if (c >= 65 && c <= 90 && text.charCodeAt(i + 1) === DOT) {
      const end = acronymEnd(text, i);
      if (end > 0) {
        let joined = '';
        for (let j = i; j < end; j += 2) joined += text[j];
        const info = lookup(joined, 0, joined.length, fnv1a(joined, 0, joined.length, FNV_BASIS));
        if (info) out.push(info);
        i = end;
        continue;
      }
    }
    const start = i;
    let h = FNV_BASIS;
    let hasLetter = false;
    for (;;) {
      while (i < n) {
        c = text.charCodeAt(i);
        k = classOf(c);
        if (k === OTHER) break;
        if (k === LETTER) hasLetter = true;
        h = Math.imul(h ^ c, FNV_PRIME);
        i++;
      }
      if (i + 1 >= n) break;
      const next = classOf(text.charCodeAt(i + 1));
      const joins = hasLetter ? (c === APOSTROPHE || c === RIGHT_QUOTE) && next === LETTER : (c === DOT || c === COMMA) && next === DIGIT;
      if (!joins) break;
      h = Math.imul(h ^ c, FNV_PRIME);
      i++;
    }
    const info = lookup(text, start, i, h | 0);
    if (info) out.push(info);
  }
  return out;
}

/**
 * Content tokens of `text` in order, with repeats: lowercased, accent-folded, stopwords and lone
 * letters dropped, numbers normalised ("1,000" → "1000"), stemmed (see `stem`).
 */
export function tokenize(text: string): string[] {
  return tokenInfos(text).map((t) => t.stem);
}

/** The embedder's stemmer, under the name its tests and callers know. */
export const stem = porterStem;
