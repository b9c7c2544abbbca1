import { analyze } from '../text/analyzer.ts';
import { patternCandidates, typeName, type Candidate, type CandidateKind } from './candidates.ts';
import { typeFit, type QuestionAnalysis } from './question.ts';
import type { EvidenceSentence } from './evidence-sentences.ts';

/** A candidate answer with the evidence for it, summed over the sentences that offer it. */
export interface RankedCandidate {
  /** Verbatim text of the best occurrence. */
  text: string;
  score: number;
  /** The sentence of the best occurrence. */
  best: EvidenceSentence;
  /** Distinct articles offering it. */
  articles: Set<number>;
  fit: number;
  /** Kinds its pattern gave it, and its offset in `best.text`. */
  kinds: Set<CandidateKind>;
  start: number;
}

export interface DirectAnswerOptions {
  /** Sentences searched for candidates (the most relevant first). */
  sentences: number;
  /** Candidates whose names are typed by the NLP tagger (it costs ~1 ms each). */
  typed: number;
  /** Evidence the best candidate needs, and its lead over the runner-up, to be named. */
  minScore: number;
  minLead: number;
}

// Thresholds from a sweep on the dev split (1,026 questions, every pair of minScore × minLead):
// at 0.3 / 2, 97 questions get a bold answer and 53 % of those are right; looser thresholds name more
// answers but more of them wrong than right, and a wrong bold answer costs more trust than none.
export const DEFAULT_DIRECT: DirectAnswerOptions = { sentences: 24, typed: 5, minScore: 0.3, minLead: 2 };

// News copy names its own outlet and wire services constantly ("(CNN)", "told Reuters").
const OUTLET_WORDS = new Set([
  'cnn',
  'reuter',
  'ap',
  'associated press',
  'afp',
  'bbc',
  'usa today',
  'fox new',
  'nbc new',
  'abc new',
  'cbs new',
  'getty image',
  'the week',
  'menafn',
]);

interface Tally {
  key: string;
  tokens: string[];
  /** `alias`: a short form merged in (its sentence does not contain the full text). */
  occurrences: Array<{ c: Candidate; s: EvidenceSentence; e: number; alias?: boolean }>;
}

/**
 * Ranks the things the evidence offers as the answer: typed candidates from the most relevant
 * sentences, each occurrence weighted by the sentence's relevance, the candidate's closeness to the
 * question's terms, its fit to the asked-for type, the passage's rank and the article's recency;
 * summed over articles, so a name that several stories give outranks one that a single sentence
 * gives. Candidates the question already contains are never proposed.
 */
export function rankCandidates(qa: QuestionAnalysis, sentences: EvidenceSentence[], opts: DirectAnswerOptions = DEFAULT_DIRECT): RankedCandidate[] {
  const qTerms = new Set(qa.terms);
  const tallies = new Map<string, Tally>();
  const pool = [...sentences].sort((a, b) => b.relevance - a.relevance).slice(0, opts.sentences);
  const outlets = new Set(sentences.map((s) => (s.passage.outlet ?? '').toLowerCase()).filter(Boolean));
  // Rank and recency weigh sources against each other; the thresholds must not depend on how old the
  // freshest evidence is, so a question about last spring can still get its direct answer.
  const topWeight = Math.max(1e-9, ...pool.map((s) => s.weight));
  for (const s of pool) {
    if (s.relevance <= 0) continue;
    for (const c of patternCandidates(s)) {
      const tokens = analyze(c.text);
      if (tokens.length === 0) continue;
      const inQuestion = tokens.filter((t) => qTerms.has(t)).length / tokens.length;
      if (inQuestion >= 1) continue; // the question already says it
      const key = tokens.join(' ');
      if (OUTLET_WORDS.has(key) || outlets.has(c.text.toLowerCase())) continue;
      const e = s.relevance * proximity(s, c, qTerms) * (1 - 0.6 * inQuestion) * (s.weight / topWeight);
      const t = tallies.get(key) ?? { key, tokens, occurrences: [] };
      t.occurrences.push({ c, s, e });
      tallies.set(key, t);
    }
  }
  mergeShortForms(tallies);
  const ranked = [...tallies.values()].map((t) => score(qa, t));
  ranked.sort((a, b) => b.score - a.score);
  // Type the leading names with the tagger, then rank again with their real fit.
  const typed = ranked.slice(0, opts.typed);
  for (const r of typed) {
    if (!r.kinds.has('proper')) continue; // numbers, dates and titles are typed by their pattern already
    const fit = typeFit(qa.type, typeName(r.best.text, r.start, r.start + r.text.length));
    if (r.fit > 0) r.score *= fit / r.fit;
    r.fit = fit;
  }
  return ranked.filter((r) => r.fit > 0 && r.score > 0).sort((a, b) => b.score - a.score);
}

function score(qa: QuestionAnalysis, t: Tally): RankedCandidate {
  const kinds = new Set(t.occurrences.flatMap((o) => [...o.c.kinds]));
  const fit = typeFit(qa.type, kinds);
  // Each article counts with its best occurrence; further mentions in the same article add little.
  const perArticle = new Map<number, number>();
  let rest = 0;
  for (const o of t.occurrences) {
    const a = o.s.passage.articleId;
    const prev = perArticle.get(a) ?? 0;
    if (o.e > prev) {
      rest += prev;
      perArticle.set(a, o.e);
    } else rest += o.e;
  }
  // The quoted form and sentence come from an occurrence of the full text, so the answer is verbatim.
  const best = t.occurrences.filter((o) => !o.alias).reduce((x, y) => (y.e > x.e ? y : x));
  const total = [...perArticle.values()].reduce((s, v) => s + v, 0) + 0.15 * rest;
  return { text: best.c.text, score: fit * total, best: best.s, articles: new Set(perArticle.keys()), fit, kinds, start: best.c.start };
}

/**
 * Closeness of a candidate to the question's terms in its sentence: answers sit next to what was
 * asked ("68 senators supported the bill" against "while 32 opposed it"). Every nearby question term
 * counts, the nearer the more; the sum saturates below 1.
 */
function proximity(s: EvidenceSentence, c: Candidate, qTerms: Set<string>): number {
  let raw = 0;
  for (const at of questionTermOffsets(s, qTerms)) {
    if (at >= c.start && at < c.end) continue;
    raw += 1 / (1 + (at < c.start ? c.start - at : at - c.end) / 20);
  }
  if (raw === 0) return 0.25; // the sentence is relevant through its neighbours only
  return raw / (1 + raw);
}

// Offsets of the question's terms in a sentence, computed once per sentence and question.
const offsetCache = new WeakMap<EvidenceSentence, number[]>();
function questionTermOffsets(s: EvidenceSentence, qTerms: Set<string>): number[] {
  let out = offsetCache.get(s);
  if (!out) {
    out = [];
    for (const m of s.text.matchAll(/[\p{L}\p{N}]+/gu)) {
      const [t] = analyze(m[0]);
      if (t !== undefined && qTerms.has(t)) out.push(m.index!);
    }
    offsetCache.set(s, out);
  }
  return out;
}

/** "Matthews" and "Auston Matthews" are one candidate: the short form's votes go to the long one. */
function mergeShortForms(tallies: Map<string, Tally>): void {
  const byLength = [...tallies.values()].sort((a, b) => b.tokens.length - a.tokens.length);
  for (const short of byLength) {
    if (short.tokens.length > 2) continue;
    const long = byLength.find((l) => l !== short && l.tokens.length > short.tokens.length && tallies.has(l.key) && containsRun(l.tokens, short.tokens));
    if (!long) continue;
    long.occurrences.push(...short.occurrences.map((o) => ({ ...o, e: o.e * 0.8, alias: true })));
    tallies.delete(short.key);
  }
}

function containsRun(long: string[], short: string[]): boolean {
  for (let i = 0; i + short.length <= long.length; i++) if (short.every((t, j) => long[i + j] === t)) return true;
  return false;
}

/** The candidate to name in the answer's first line, or undefined when none is convincing. */
export function pickDirectAnswer(ranked: RankedCandidate[], opts: DirectAnswerOptions = DEFAULT_DIRECT): RankedCandidate | undefined {
  const [best, second] = ranked;
  if (!best || best.score < opts.minScore) return undefined;
  if (second && best.score < opts.minLead * second.score) return undefined;
  return best;
}
