/**
 * The one text analyser shared by the keyword index, question parsing and the extractive answerer,
 * so that a term means the same thing everywhere. Lowercase, accent-folded, stopwords dropped,
 * light suffix stripping (a full Porter stemmer conflates too much for names in news text).
 */
import { stem } from './stem.ts';
import { STOPWORDS } from './stopwords.ts';

export { STOPWORDS } from './stopwords.ts';
export { stem } from './stem.ts';

// "us" and "new" are stopwords for prose but carry meaning in "US ambassador" / "New York";
// they are kept when written in capitals (see analyze).
const KEEP_WHEN_UPPER = new Set(['us', 'new']);

const TOKEN_RE = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '');
}

/** Content tokens of `text`, in order, with duplicates. */
export function analyze(text: string): string[] {
  const out: string[] = [];
  for (const m of fold(text).matchAll(TOKEN_RE)) {
    const raw = m[0];
    const lower = raw.toLowerCase().replace(/’/g, "'");
    if (STOPWORDS.has(lower) && !(KEEP_WHEN_UPPER.has(lower) && raw === raw.toUpperCase())) continue;
    if (lower.length === 1 && !/\d/.test(lower)) continue;
    out.push(stem(lower.replace(/'s$/, '')));
  }
  return out;
}

/** Distinct content tokens. */
export function analyzeUnique(text: string): string[] {
  return [...new Set(analyze(text))];
}
