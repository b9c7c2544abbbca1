import type { AnswerResult, Citation, NotCoveredReason, Passage } from '../types.ts';
import { citationFor } from './number-citations.ts';
import { analyzeQuestion, type QuestionAnalysis } from './question.ts';
import { collectSentences, type EvidenceSentence } from './evidence-sentences.ts';
import { DEFAULT_DIRECT, pickDirectAnswer, rankCandidates, type DirectAnswerOptions } from './direct-answer.ts';
import { hasKeyEvidence, keyShare, newestEvidence } from './evidence-test.ts';
import { notCoveredText } from './not-covered.ts';

export interface ExtractiveOptions {
  /** Sentences in the answer at most. */
  maxSentences: number;
  /** Characters of answer text at most (the direct-answer line included). */
  maxChars: number;
  /** Share of the question's term weight the best sentence must cover to count as evidence. */
  minCoverage: number;
  /** Share of the question's key content (names, numbers, its rarest term) the evidence must contain. */
  minKeyShare: number;
  /** Where the key content must be found: the answer's passages, or its sentences themselves. */
  keyScope: 'passages' | 'sentences';
  /** Score bonus for a sentence that offers a good candidate of the asked-for kind. */
  typeBonus: number;
  /** Open with a one-line direct answer when a candidate is convincing. */
  direct: boolean;
  directOptions: DirectAnswerOptions;
  /**
   * Evidence older than this (days before the as-of date) is only reported as "the newest tracked
   * report is from …", not as the answer; questions asking for the latest news use `staleDaysRecent`.
   */
  staleDays: number;
  staleDaysRecent: number;
  /**
   * Old and weak: evidence whose newest article is over `weakOldDays` before the as-of date and that
   * is weak — its best sentence covers under `weakCoverage` of the question, or its sentences hold
   * under `weakKeyShare` of the question's key content — gets the stale reply too, whatever the question.
   */
  weakOldDays: number;
  weakCoverage: number;
  weakKeyShare: number;
}

// Six sentences within 800 characters (a mean of ~560 on the dev split) contain the gold answer for
// 1.2 points more questions than four within 700 (`x-len6-800`); eight within 900 add only 0.4 more.
export const DEFAULT_EXTRACTIVE: ExtractiveOptions = {
  maxSentences: 6,
  maxChars: 800,
  minCoverage: 0.25,
  minKeyShare: 0,
  keyScope: 'passages',
  typeBonus: 0.25,
  direct: true,
  directOptions: DEFAULT_DIRECT,
  // Measured on the dev split (src/eval/configs.ts; README, "Measuring it"): flagging all evidence
  // older than 30 days declined half of the answerable questions (`x-stale30`); flagging latest-news
  // questions ("this week", "now"…) after 14 days declined 11 % of them and caught a third of the
  // questions asked before their news existed. Flagging evidence that is both old (14 days) and weak
  // declines fewer answerable questions and catches more of those: when the newest evidence is two
  // weeks old and barely matches, it is most likely about an earlier story, not the one asked about.
  staleDays: 3650,
  staleDaysRecent: 3650,
  weakOldDays: 14,
  weakCoverage: 0.35,
  weakKeyShare: 0,
};

export { NOT_COVERED } from './not-covered.ts';

interface Picked {
  s: EvidenceSentence;
  score: number;
}

/**
 * Offline answerer. It reads the retrieved passages sentence by sentence, ranks the typed things they
 * offer as the answer (names, numbers, dates…) by evidence, and opens with the best one when it is
 * convincing — `**Name** — the sentence that says so [1]` — followed by the sentences that best cover
 * the question, each with its citation marker. Every quote is a verbatim sentence of its article.
 * It says "not covered", with the reason, when the evidence lacks the question's key content or is
 * only old.
 */
export function createExtractiveAnswerer(deps: { idf: (terms: string[]) => Map<string, number>; options?: Partial<ExtractiveOptions> }) {
  const opts: ExtractiveOptions = { ...DEFAULT_EXTRACTIVE, ...deps.options };

  function answer(question: string, passages: Passage[], o: { asOf?: string } = {}): AnswerResult {
    const qa = analyzeQuestion(question);
    if (qa.terms.length === 0 || passages.length === 0) return notCovered('no-match');
    const idf = deps.idf([...new Set([...qa.terms, ...qa.keyTerms])]);
    const weightOf = (t: string) => Math.max(0.1, idf.get(t) ?? 1);
    const sentences = collectSentences(qa, passages, weightOf, { asOf: o.asOf });
    const ranked = opts.direct ? rankCandidates(qa, sentences, opts.directOptions) : [];
    const direct = opts.direct ? pickDirectAnswer(ranked, opts.directOptions) : undefined;
    // Sentences that state a leading candidate are likelier to answer; the bonus follows its evidence.
    const topScore = ranked[0]?.score ?? 0;
    const offered = ranked.slice(0, 5).map((r) => ({ text: r.text, share: topScore > 0 ? r.score / topScore : 0 }));

    const scored: Picked[] = sentences
      .filter((s) => !s.restates)
      .map((s) => {
        // Long sentences match more by chance; a mild length penalty keeps answers crisp.
        const lengthPenalty = Math.max(0, (s.terms.size - 40) / 200);
        const offers = Math.max(0, ...offered.filter((c) => s.text.includes(c.text)).map((c) => c.share));
        return { s, score: s.coverage + 0.08 * Math.min(s.phrase, 3) + 0.12 / (s.rank + 1) + opts.typeBonus * offers - lengthPenalty };
      })
      .sort((a, b) => b.score - a.score);
    const best = scored[0];
    if (!best || best.s.coverage < opts.minCoverage) return notCovered('no-match');

    const lead = direct ? { s: direct.best, score: Infinity } : best;
    const rest = scored.filter((c) => c.s !== lead.s && c.s.coverage >= Math.max(opts.minCoverage, best.s.coverage * 0.5));
    const chosen = fitToBudget([lead, ...rest], opts, direct?.text);
    if (
      !hasKeyEvidence(
        qa,
        chosen.map((c) => c.s),
        weightOf,
        opts.minKeyShare,
        opts.keyScope,
      )
    )
      return notCovered('no-match');

    const asOf = o.asOf ?? new Date().toISOString();
    const newest = newestEvidence(chosen.map((c) => c.s));
    const limit = qa.wantsRecent ? opts.staleDaysRecent : opts.staleDays;
    if (newest && ageInDays(newest.passage.published, asOf) > limit) return stale(qa, newest);
    // Old and weak: even the newest passage retrieved is old, and the best sentence barely matches.
    const newestPassage = newestOf(passages);
    if (newestPassage && ageInDays(newestPassage.published, asOf) > opts.weakOldDays) {
      const weak =
        best.s.coverage < opts.weakCoverage ||
        keyShare(
          qa,
          chosen.map((c) => c.s),
          weightOf,
        ) < opts.weakKeyShare;
      if (weak) return stale(qa, scored.find((c) => c.s.passage === newestPassage)?.s ?? newest ?? best.s);
    }

    const numbers = new Map<number, number>();
    const citations: Citation[] = [];
    const lines = chosen.map((c) => {
      let n = numbers.get(c.s.passage.articleId);
      if (n === undefined) {
        n = numbers.size + 1;
        numbers.set(c.s.passage.articleId, n);
        citations.push(citationFor(n, c.s.passage, c.s.text));
      }
      return `${c.s.text} [${n}]`;
    });
    const text = direct ? `**${direct.text}** — ${lines.join(' ')}` : lines.join(' ');
    return { kind: 'answered', answer: text, citations, grounded: true, directAnswer: direct?.text ?? null };
  }

  return { answer, options: opts };
}

/** The lead sentence always; then further sentences while they fit in the character budget. */
function fitToBudget(candidates: Picked[], opts: ExtractiveOptions, direct: string | undefined): Picked[] {
  const out: Picked[] = [];
  let used = direct ? direct.length + 7 : 0; // "**…** — "
  for (const c of candidates) {
    if (out.length >= opts.maxSentences) break;
    const cost = c.s.text.length + 5; // " [n] "
    if (out.length > 0 && used + cost > opts.maxChars) continue;
    out.push(c);
    used += cost;
  }
  return out;
}

/** The most recently published passage (undated ones never count as newest). */
function newestOf(passages: Passage[]): Passage | undefined {
  let out: Passage | undefined;
  for (const p of passages) if (p.published && (!out || p.published > out.published!)) out = p;
  return out;
}

function ageInDays(published: string | null, asOf: string): number {
  if (!published) return Infinity;
  return (Date.parse(asOf) - Date.parse(published)) / 86_400_000;
}

function stale(qa: QuestionAnalysis, newest: EvidenceSentence): AnswerResult {
  const citation = citationFor(1, newest.passage, newest.text);
  return {
    kind: 'no-context',
    answer: notCoveredText('stale', { newest: newest.passage.published, quote: newest.text, recent: qa.wantsRecent }),
    citations: [citation],
    grounded: false,
    reason: 'stale',
  };
}

function notCovered(reason: NotCoveredReason): AnswerResult {
  return { kind: 'no-context', answer: notCoveredText(reason), citations: [], grounded: false, reason };
}
