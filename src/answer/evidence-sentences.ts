import type { Passage } from '../types.ts';
import { splitSentences } from '../text/sentences.ts';
import { analyze } from '../text/analyzer.ts';
import { isBoilerplate } from './boilerplate.ts';
import type { QuestionAnalysis } from './question.ts';

/** One sentence of a retrieved passage, with how well it matches the question. */
export interface EvidenceSentence {
  passage: Passage;
  /** 0-based rank of its passage. */
  rank: number;
  text: string;
  /** Offset in the article text (the quote is `article.text.slice(start, start + text.length)`). */
  start: number;
  terms: Set<string>;
  /** IDF-weighted share of the question's terms the sentence contains (0–1). */
  coverage: number;
  /** The best neighbouring sentence's coverage (sentences of the same passage). */
  neighbour: number;
  /** Coverage plus some of its neighbours' and of question phrases: how likely it speaks to the question. */
  relevance: number;
  /** Passage rank and article recency, as a multiplier for evidence from this sentence. */
  weight: number;
  /** Question bigrams it repeats. */
  phrase: number;
  /** It only repeats the question (fewer than two terms of its own): it cannot be the answer sentence. */
  restates: boolean;
}

export interface SentenceWeights {
  /** Share of the best neighbouring sentence's coverage added to a sentence's relevance. */
  neighbour: number;
  /** Days after which an article's evidence weight has lost half of its recency part. */
  recencyHalfLifeDays: number;
}

export const DEFAULT_SENTENCE_WEIGHTS: SentenceWeights = { neighbour: 0.4, recencyHalfLifeDays: 14 };

/**
 * Splits the passages into sentences, drops page furniture and repeats (the same sentence carried by
 * two copies of a story counts once), and scores each against the question.
 */
export function collectSentences(
  qa: QuestionAnalysis,
  passages: Passage[],
  weightOf: (term: string) => number,
  opts: { asOf?: string; weights?: SentenceWeights } = {},
): EvidenceSentence[] {
  const w = opts.weights ?? DEFAULT_SENTENCE_WEIGHTS;
  const qSet = new Set(qa.terms);
  const total = qa.terms.reduce((s, t) => s + weightOf(t), 0) || 1;
  const qBigrams = bigrams(qa.sequence);
  const ref = opts.asOf ? Date.parse(opts.asOf) : Date.now();
  const seen = new Set<string>();
  const out: EvidenceSentence[] = [];
  passages.forEach((p, rank) => {
    const published = p.published ? Date.parse(p.published) : NaN;
    const ageDays = Number.isNaN(published) ? 365 : Math.max(0, (ref - published) / 86_400_000);
    const weight = (1 / (1 + 0.25 * rank)) * (0.6 + 0.4 * Math.pow(0.5, ageDays / w.recencyHalfLifeDays));
    const local: EvidenceSentence[] = [];
    for (const s of splitSentences(p.text, p.start)) {
      if (s.text.length < 25 || isBoilerplate(s.text)) continue;
      const key = s.text.toLowerCase().replace(/\s+/g, ' ');
      if (seen.has(key)) continue;
      seen.add(key);
      const seq = analyze(s.text);
      const terms = new Set(seq);
      const coverage = coverageOf(qa, terms, weightOf, total);
      const phrase = [...bigrams(seq)].filter((b) => qBigrams.has(b)).length;
      const own = [...terms].filter((t) => !qSet.has(t)).length;
      local.push({ passage: p, rank, text: s.text, start: s.start, terms, coverage, neighbour: 0, relevance: 0, weight, phrase, restates: own < 2 });
    }
    local.forEach((s, i) => {
      s.neighbour = Math.max(local[i - 1]?.coverage ?? 0, local[i + 1]?.coverage ?? 0);
      s.relevance = s.coverage + w.neighbour * s.neighbour + 0.05 * Math.min(s.phrase, 3);
    });
    out.push(...local);
  });
  return out;
}

/** IDF-weighted share of the question's terms among `terms` (0–1); `total` is the question's whole weight, when known. */
export function coverageOf(qa: QuestionAnalysis, terms: ReadonlySet<string>, weightOf: (t: string) => number, total?: number): number {
  const all = total ?? (qa.terms.reduce((s, t) => s + weightOf(t), 0) || 1);
  return qa.terms.filter((t) => terms.has(t)).reduce((sum, t) => sum + weightOf(t), 0) / all;
}

function bigrams(terms: string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 1 < terms.length; i++) out.add(`${terms[i]} ${terms[i + 1]}`);
  return out;
}
