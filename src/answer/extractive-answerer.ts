import type { AnswerResult, Citation, Passage } from '../types.ts';
import { splitSentences } from '../text/sentences.ts';
import { analyze, analyzeUnique } from '../text/analyzer.ts';
import { citationFor } from './number-citations.ts';
import { answerTypeOf, novelAnswers } from './answer-type.ts';

export interface ExtractiveOptions {
  /** Sentences in the answer at most. */
  maxSentences: number;
  /** Share of the question's term weight the best sentence must cover to count as evidence. */
  minCoverage: number;
  /** Score bonus per new item of the asked-for kind (a name, number or year the question lacks). */
  typeBonus: number;
}

export const DEFAULT_EXTRACTIVE: ExtractiveOptions = { maxSentences: 4, minCoverage: 0.25, typeBonus: 0.2 };

export const NOT_COVERED = "The tracked news doesn't cover this: no article I track answers that question.";

interface Scored {
  passage: Passage;
  rank: number;
  text: string;
  start: number;
  coverage: number;
  score: number;
}

/**
 * Offline answerer: the few sentences from the retrieved passages that best cover the question,
 * each followed by its citation marker. Term weights come from the keyword index (IDF), so a rare
 * name counts for more than a common verb. Weak evidence gives an honest "not covered".
 */
export function createExtractiveAnswerer(deps: {
  idf: (terms: string[]) => Map<string, number>;
  options?: Partial<ExtractiveOptions>;
}) {
  const opts = { ...DEFAULT_EXTRACTIVE, ...deps.options };

  function answer(question: string, passages: Passage[]): AnswerResult {
    const qTerms = analyzeUnique(question);
    if (qTerms.length === 0 || passages.length === 0) return notCovered();
    const idf = deps.idf(qTerms);
    const weight = (t: string) => Math.max(0.1, idf.get(t) ?? 1);
    const totalWeight = qTerms.reduce((s, t) => s + weight(t), 0);
    const qBigrams = bigrams(analyze(question));
    const qSet = new Set(qTerms);
    const type = answerTypeOf(question);

    const candidates: Scored[] = [];
    const seen = new Set<string>();
    passages.forEach((p, rank) => {
      for (const s of splitSentences(p.text, p.start)) {
        const key = `${p.articleId}:${s.start}`;
        if (seen.has(key) || s.text.length < 25) continue;
        seen.add(key);
        const terms = analyze(s.text);
        const set = new Set(terms);
        // A sentence that only repeats the question (a quiz teaser, a headline) answers nothing.
        if ([...set].filter((t) => !qSet.has(t)).length < 2) continue;
        const covered = qTerms.filter((t) => set.has(t)).reduce((sum, t) => sum + weight(t), 0);
        const coverage = covered / totalWeight;
        const phrase = [...bigrams(terms)].filter((b) => qBigrams.has(b)).length;
        // Long sentences match more by chance; a mild length penalty keeps answers crisp.
        const lengthPenalty = Math.max(0, (terms.length - 40) / 200);
        const offers = Math.min(2, novelAnswers(s.text, question, type));
        const score = coverage + 0.08 * Math.min(phrase, 3) + 0.12 / (rank + 1) + opts.typeBonus * offers - lengthPenalty;
        candidates.push({ passage: p, rank, text: s.text, start: s.start, coverage, score });
      }
    });
    candidates.sort((a, b) => b.score - a.score);
    const best = candidates[0];
    if (!best || best.coverage < opts.minCoverage) return notCovered();

    const chosen = candidates
      .filter((c) => c.coverage >= Math.max(opts.minCoverage, best.coverage * 0.5))
      .slice(0, opts.maxSentences);

    const numbers = new Map<number, number>();
    const citations: Citation[] = [];
    const lines = chosen.map((c) => {
      let n = numbers.get(c.passage.articleId);
      if (n === undefined) {
        n = numbers.size + 1;
        numbers.set(c.passage.articleId, n);
        citations.push(citationFor(n, c.passage, c.text));
      }
      return `${c.text} [${n}]`;
    });
    return { kind: 'answered', answer: lines.join(' '), citations, grounded: true };
  }

  return { answer };
}

function notCovered(): AnswerResult {
  return { kind: 'no-context', answer: NOT_COVERED, citations: [], grounded: false };
}

function bigrams(terms: string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 1 < terms.length; i++) out.add(`${terms[i]} ${terms[i + 1]}`);
  return out;
}
