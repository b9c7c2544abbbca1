import { analyze } from '../text/analyzer.ts';
import { patternCandidates } from './candidates.ts';
import { coverageOf, type EvidenceSentence } from './evidence-sentences.ts';
import { typeFit, type QuestionAnalysis } from './question.ts';

/**
 * What the answerer knows about one sentence when it decides whether the sentence answers the
 * question. Every value is cheap to compute (no tagger); all are 0–1 except `phrase` (0–3) and
 * `chars` (length / 200).
 */
export interface SentenceFeatures {
  /** IDF-weighted share of the question's terms in the sentence. */
  cov: number;
  /** The best neighbouring sentence's coverage: answers often follow the sentence that matches. */
  nb: number;
  /** Question bigrams it repeats (at most 3). */
  phrase: number;
  /** 1 / (passage rank + 1). */
  rank: number;
  /** Share of the leading answer candidate's evidence that a candidate in this sentence has. */
  offers: number;
  /** Closeness to the article's start: news puts its facts in the first lines. */
  lede: number;
  /** Passage rank and article recency together (EvidenceSentence.weight). */
  weight: number;
  /** Best fit to the asked-for type of a candidate the question does not already contain. */
  typed: number;
  /** Coverage of the question by its article's title: the story is about the question. */
  title: number;
  /** Its passage's retrieval score relative to the best passage's. */
  pscore: number;
  /** Length in units of 200 characters. */
  chars: number;
}

/** The model's inputs: each feature, and the products of those that work together. */
export const SENTENCE_TERMS = {
  cov: (f: SentenceFeatures) => f.cov,
  nb: (f: SentenceFeatures) => f.nb,
  phrase: (f: SentenceFeatures) => f.phrase,
  rank: (f: SentenceFeatures) => f.rank,
  offers: (f: SentenceFeatures) => f.offers,
  lede: (f: SentenceFeatures) => f.lede,
  weight: (f: SentenceFeatures) => f.weight,
  typed: (f: SentenceFeatures) => f.typed,
  title: (f: SentenceFeatures) => f.title,
  pscore: (f: SentenceFeatures) => f.pscore,
  chars: (f: SentenceFeatures) => f.chars,
  covTitle: (f: SentenceFeatures) => f.cov * f.title,
  typedCov: (f: SentenceFeatures) => f.typed * f.cov,
  cov2: (f: SentenceFeatures) => f.cov * f.cov,
  ledeTitle: (f: SentenceFeatures) => f.lede * f.title,
} as const;

export type SentenceModel = Readonly<Record<keyof typeof SENTENCE_TERMS | 'bias', number>>;

// A logistic model of "this sentence contains the answer", fitted on the RealTime QA dev split by
// `newsdesk eval-fit` (README, "Measuring it", has the held-out figures). Paste its output here to
// refit. Inputs differ in scale, so the weights are not a ranking of importance; one reading that
// holds: a passage's raw retrieval score, once its rank, coverage and recency are known, misleads
// (its weight is negative), while the title, the lede and a typed candidate each add evidence.
export const SENTENCE_MODEL: SentenceModel = {
  bias: -2.58,
  cov: 1.11,
  nb: 1.07,
  phrase: 0.18,
  rank: -0.28,
  offers: 2.03,
  lede: 0.92,
  weight: 1.9,
  typed: 1.51,
  title: 1.86,
  pscore: -0.69,
  chars: 0.16,
  covTitle: 0.17,
  typedCov: 0.64,
  cov2: 0.33,
  ledeTitle: 0.53,
};

/** The model's log-odds that a sentence with these features contains the answer. */
export function sentenceLogit(f: SentenceFeatures, w: SentenceModel = SENTENCE_MODEL): number {
  let z = w.bias;
  for (const [name, term] of Object.entries(SENTENCE_TERMS) as Array<[keyof typeof SENTENCE_TERMS, (f: SentenceFeatures) => number]>) z += w[name] * term(f);
  return z;
}

/** The model's log-odds as the probability that the sentence holds the answer. */
export function sentenceProbability(logit: number): number {
  return 1 / (1 + Math.exp(-logit));
}

/** Context shared by a question's sentences: computed once per answer. */
export interface FeatureContext {
  qa: QuestionAnalysis;
  weightOf: (t: string) => number;
  /** The leading candidates and their share of the best one's evidence. */
  offered: Array<{ text: string; share: number }>;
}

/** Features of every sentence of one answer's evidence. */
export function sentenceFeatures(sentences: EvidenceSentence[], ctx: FeatureContext): SentenceFeatures[] {
  const { qa, weightOf } = ctx;
  const qTerms = new Set(qa.terms);
  const titleCov = new Map<number, number>();
  let topScore = 0;
  for (const s of sentences) {
    topScore = Math.max(topScore, s.passage.score);
    if (titleCov.has(s.passage.articleId)) continue;
    titleCov.set(s.passage.articleId, coverageOf(qa, new Set(analyze(s.passage.title)), weightOf));
  }
  return sentences.map((s) => {
    let typed = 0;
    for (const c of patternCandidates(s)) {
      const tokens = analyze(c.text);
      if (tokens.length === 0 || tokens.every((t) => qTerms.has(t))) continue;
      typed = Math.max(typed, typeFit(qa.type, c.kinds));
    }
    return {
      cov: s.coverage,
      nb: s.neighbour,
      phrase: Math.min(s.phrase, 3),
      rank: 1 / (s.rank + 1),
      offers: Math.max(0, ...ctx.offered.filter((c) => s.text.includes(c.text)).map((c) => c.share)),
      lede: 1 / (1 + s.start / 400),
      weight: s.weight,
      typed,
      title: titleCov.get(s.passage.articleId) ?? 0,
      pscore: topScore > 0 ? s.passage.score / topScore : 0,
      chars: s.text.length / 200,
    };
  });
}
