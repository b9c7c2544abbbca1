/**
 * Pure scoring functions for `newsdesk eval`: answer matching, ranking metrics, percentiles and
 * citation checks. No I/O, so every figure in an eval report can be unit-tested by hand.
 */

const ACRONYM_RE = /\b(?:[A-Za-z]\.){2,}/g; // "U.S." → "US" before dots become spaces
const DIGIT_GROUP_RE = /(\d),(?=\d{3}\b)/g; // "1,000" → "1000"
const MARKS_RE = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
// Everything but letters and digits: ASCII punctuation, symbols and whitespace, Latin-1 punctuation,
// general punctuation (curly quotes, dashes, special spaces), currency, arrows and symbols, CJK and
// full-width punctuation. Explicit ranges instead of /[^\p{L}\p{N}]/u: that is 3x slower, and eval
// normalises the whole corpus once per run.
const NON_WORD_RE =
  /[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\xbf\xd7\xf7\u02b9-\u02ff\u2000-\u206f\u20a0-\u20cf\u2100-\u214f\u2190-\u2bff\u2e00-\u2e7f\u3000-\u303f\ufe10-\ufe1f\ufe30-\ufe6f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]+/g;

/**
 * Case-, accent-, whitespace- and punctuation-insensitive form of a text: lowercase words and numbers
 * separated by single spaces. Quotes (straight or curly), apostrophes and dashes become word breaks,
 * so "“Squid Game”" → "squid game" and "Biden's" → "biden s" (which still contains "biden").
 */
export function normalizeAnswer(text: string): string {
  return text
    .normalize('NFKD')
    .replace(MARKS_RE, '')
    .replace(ACRONYM_RE, (m) => m.replace(/\./g, ''))
    .replace(DIGIT_GROUP_RE, '$1')
    .toLowerCase()
    .replace(NON_WORD_RE, ' ')
    .trim();
}

/**
 * Whether `text` contains the gold answer, compared on normalised forms and on word boundaries:
 * "Europe" is not found in "European", "2" is not found in "2022". An empty answer never matches.
 */
export function containsAnswer(text: string, gold: string): boolean {
  const g = normalizeAnswer(gold);
  if (!g) return false;
  return ` ${normalizeAnswer(text)} `.includes(` ${g} `);
}

/** The same check against a text normalised once up front (for scans over a whole corpus). */
export function containsNormalized(normalizedText: string, normalizedGold: string): boolean {
  if (!normalizedGold) return false;
  return ` ${normalizedText} `.includes(` ${normalizedGold} `);
}

/** 1-based rank of the first passage that contains the answer, or null when none does. */
export function firstHitRank(passages: readonly string[], gold: string): number | null {
  const i = passages.findIndex((p) => containsAnswer(p, gold));
  return i < 0 ? null : i + 1;
}

/** Share of questions whose first hit is within the top k (ranks are 1-based; null = no hit). */
export function recallAtK(ranks: ReadonlyArray<number | null>, k: number): number {
  if (ranks.length === 0) return 0;
  return ranks.filter((r) => r !== null && r <= k).length / ranks.length;
}

/** Mean reciprocal rank, counting only hits within the top `cutoff` (MRR@10 by default). */
export function meanReciprocalRank(ranks: ReadonlyArray<number | null>, cutoff = 10): number {
  if (ranks.length === 0) return 0;
  return ranks.reduce<number>((s, r) => s + (r !== null && r <= cutoff ? 1 / r : 0), 0) / ranks.length;
}

/**
 * The p-th percentile (0–100) with linear interpolation between closest ranks (NumPy's default);
 * NaN for an empty sample.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

export function summarizeLatency(values: readonly number[]): LatencySummary {
  const mean = values.length ? values.reduce((s, v) => s + v, 0) / values.length : Number.NaN;
  return { p50: round(percentile(values, 50)), p95: round(percentile(values, 95)), p99: round(percentile(values, 99)), mean: round(mean) };
}

const MARKER_RE = /\[(\d{1,3})\]/g;

/** Citation numbers used in an answer text, in order of appearance (duplicates kept). */
export function citationMarkers(answer: string): number[] {
  return [...answer.matchAll(MARKER_RE)].map((m) => Number(m[1]));
}

export interface CitationCheck {
  valid: boolean;
  /** Markers in the text with no citation of that number. */
  danglingMarkers: number[];
  /** Citation numbers whose quote is not a verbatim substring of its article (or whose article is unknown). */
  badQuotes: number[];
}

/**
 * Every [n] in the answer points at a citation given, and every citation's quote is a verbatim
 * substring of its article's text. `articleText(i)` returns the text of the article behind
 * `citations[i]` (undefined when it cannot be found, which counts as a bad quote).
 */
export function checkCitations(
  answer: string,
  citations: ReadonlyArray<{ n: number; quote: string }>,
  articleText: (index: number) => string | undefined,
): CitationCheck {
  const given = new Set(citations.map((c) => c.n));
  const danglingMarkers = [...new Set(citationMarkers(answer).filter((n) => !given.has(n)))];
  const badQuotes: number[] = [];
  citations.forEach((c, i) => {
    const text = articleText(i);
    if (text === undefined || c.quote.length === 0 || !text.includes(c.quote)) badQuotes.push(c.n);
  });
  return { valid: danglingMarkers.length === 0 && badQuotes.length === 0, danglingMarkers, badQuotes };
}

/** Share of `flags` that are true; null for an empty list (nothing to measure). */
export function rate(flags: readonly boolean[]): number | null {
  if (flags.length === 0) return null;
  return flags.filter(Boolean).length / flags.length;
}

export function round(x: number, digits = 2): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
