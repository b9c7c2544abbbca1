/**
 * The one text analyser shared by the keyword index, question parsing and the extractive answerer,
 * so that a term means the same thing everywhere. Lowercase, accent-folded, stopwords dropped,
 * light suffix stripping (a full Porter stemmer conflates too much for names in news text).
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are aren't as at be because been before being below
  between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each few
  for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him
  himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my
  myself no nor not of off on once only or other ought our ours ourselves out over own same shan't she she'd
  she'll she's should shouldn't so some such than that that's the their theirs them themselves then there there's
  these they they'd they'll they're they've this those through to too under until up very was wasn't we we'd
  we'll we're we've were weren't what what's when when's where where's which while who who's whom why why's with
  won't would wouldn't you you'd you'll you're you've your yours yourself yourselves also just said says say
  according will one two may might much many new us`
    .split(/\s+/)
    .filter(Boolean),
);

// "us" and "new" are stopwords for prose but carry meaning in "US ambassador" / "New York";
// they are kept when written in capitals (see analyze).
const KEEP_WHEN_UPPER = new Set(['us', 'new']);

const TOKEN_RE = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/** Light English suffix stripping: plurals, -ing, -ed, -ly; never shortens a word below 3 letters. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || /^\d/.test(w)) return w;
  if (w.endsWith("'s") || w.endsWith('’s')) w = w.slice(0, -2);
  if (w.endsWith('ies') && w.length > 4) return w.slice(0, -3) + 'y';
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('ss') || w.endsWith('us') || w.endsWith('is')) return w;
  if (w.endsWith('es') && /(?:ch|sh|x|z)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s') && w.length > 3) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) {
    w = w.slice(0, -3);
    if (/([^aeiouls])\1$/.test(w)) w = w.slice(0, -1);
    return w;
  }
  if (w.endsWith('ed') && w.length > 4) {
    w = w.slice(0, -2);
    if (/([^aeiouls])\1$/.test(w)) w = w.slice(0, -1);
    return w;
  }
  if (w.endsWith('ly') && w.length > 5) return w.slice(0, -2);
  return w;
}

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
