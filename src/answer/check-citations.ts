import { splitSentences } from '../text/sentences.ts';
import { analyze } from '../text/analyzer.ts';
import type { NumberedSource } from './prompt.ts';

/**
 * Post-checks for a model's reply: citation markers validated against the numbers we gave, and a short
 * verbatim quote chosen from each cited source.
 */

// "[1]", "[1, 2]", "[1;2]", "[1-3]", "[1 and 2]", "[Source 1]", "[sources 1, 2]".
const MARKER_RE = /(\s*)\[\s*(?:sources?\s*)?(\d{1,3}(?:\s*(?:,|;|-|–|and)\s*(?:sources?\s*)?\d{1,3})*)\s*\]/gi;

export interface CheckedMarkers {
  /** The reply with every marker rewritten as "[a][b]" of valid numbers only; invalid ones removed. */
  text: string;
  /** Distinct valid numbers in order of first use. */
  used: number[];
  /** Numbers the model cited that were not given. */
  unknown: number[];
}

export function checkMarkers(reply: string, valid: ReadonlySet<number>): CheckedMarkers {
  const used: number[] = [];
  const unknown: number[] = [];
  let text = reply.replace(MARKER_RE, (_m, lead: string, list: string) => {
    const nums = parseList(list);
    const good = [...new Set(nums.filter((n) => valid.has(n)))];
    for (const n of nums) if (!valid.has(n) && !unknown.includes(n)) unknown.push(n);
    for (const n of good) if (!used.includes(n)) used.push(n);
    return good.length ? lead + good.map((n) => `[${n}]`).join('') : '';
  });
  // "[1][1]" after normalisation, or a marker left hanging before punctuation by a removal.
  text = text
    .replace(/(\[\d+\])(?:\s*\1)+/g, '$1')
    .replace(/[ \t]+([.,;:!?])/g, '$1')
    .trim();
  return { text, used, unknown };
}

function parseList(list: string): number[] {
  const out: number[] = [];
  const cleaned = list.replace(/sources?/gi, '');
  for (const part of cleaned.split(/\s*(?:,|;|and)\s*/i)) {
    const range = /^(\d+)\s*[-–]\s*(\d+)$/.exec(part.trim());
    if (range) {
      const a = Number(range[1]);
      const b = Number(range[2]);
      if (b >= a && b - a <= 20) for (let n = a; n <= b; n++) out.push(n);
      else out.push(a, b);
    } else if (/^\d+$/.test(part.trim())) {
      out.push(Number(part.trim()));
    }
  }
  return out;
}

const REFUSAL_RE =
  /^(?:NOT_IN_SOURCES|i\s+(?:do\s+not|don't|cannot|can't|am\s+unable\s+to)\s+(?:know|answer|find|tell|determine)|(?:unfortunately,?\s+)?(?:the\s+)?(?:provided\s+|given\s+|available\s+)?(?:sources?|articles?|news)\s+(?:provided\s+)?(?:do(?:es)?\s+not|don't|doesn't|did\s+not|contain\s+no|make\s+no|offer\s+no|provide\s+no)\b|there\s+is\s+no\s+(?:information|mention)|no\s+information\b|none\s+of\s+the\s+sources\b)/i;

/** True when every sentence of the reply says the sources don't answer (markers ignored). */
export function isRefusal(reply: string): boolean {
  const plain = reply.replace(/\[\d+\]/g, '').trim();
  if (plain === '') return true;
  const sentences = plain.split(/(?<=[.!?])\s+/).filter((s) => s.trim() !== '');
  return sentences.every((s) => REFUSAL_RE.test(s.trim()));
}

const MAX_QUOTE = 400; // characters: a sentence or two

/**
 * The sentence (or two adjacent ones) of `source` that best matches `hint` (the question plus the
 * answer's sentences citing this source). Always a verbatim substring of one passage's text.
 */
export function pickQuote(source: NumberedSource, hint: string): string {
  const want = new Set(analyze(hint));
  let best: { text: string; score: number } | undefined;
  for (const [rank, p] of source.passages.entries()) {
    const sentences = splitSentences(p.text);
    sentences.forEach((s, i) => {
      const terms = analyze(s.text);
      const overlap = new Set(terms.filter((t) => want.has(t))).size;
      const score = overlap - 0.001 * rank - 0.0001 * i;
      let text = s.text;
      const next = sentences[i + 1];
      // A short sentence ("He declined.") says little alone; take the next one too if it fits.
      if (text.length < 120 && next && next.end - s.start <= MAX_QUOTE) text = p.text.slice(s.start, next.end);
      if (!best || score > best.score) best = { text, score };
    });
  }
  const text = best?.text ?? source.passages[0]?.text.trim() ?? '';
  return clip(text);
}

/** Cut at a word boundary, without an ellipsis, so the result stays a verbatim substring. */
function clip(text: string): string {
  if (text.length <= MAX_QUOTE) return text;
  const cut = text.slice(0, MAX_QUOTE);
  const space = cut.search(/\s\S*$/);
  return (space > MAX_QUOTE / 2 ? cut.slice(0, space) : cut).trimEnd();
}

/** Sentences of the reply that carry marker `n`, used as the quote hint. */
export function sentencesCiting(text: string, n: number): string {
  return text
    .split(/(?<=[.!?])\s+/)
    .filter((s) => s.includes(`[${n}]`))
    .join(' ');
}
