import type { Passage } from '../types.ts';
import { collectSentences, type EvidenceSentence } from './evidence-sentences.ts';
import { pickDirectAnswer, rankCandidates, type DirectAnswerOptions, type RankedCandidate } from './direct-answer.ts';
import { analyzeQuestion, type QuestionAnalysis } from './question.ts';
import { sentenceFeatures, sentenceLogit, type SentenceFeatures } from './sentence-model.ts';

/** Everything the answerer reads off its passages for one question: the one path the answerer and the model fitter share. */
export interface Evidence {
  qa: QuestionAnalysis;
  weightOf: (t: string) => number;
  /** Sentences that can be quoted (not page furniture, not a restatement of the question), in passage order. */
  sentences: EvidenceSentence[];
  features: SentenceFeatures[];
  /** The sentence model's log-odds per sentence. */
  logits: number[];
  ranked: RankedCandidate[];
  direct: RankedCandidate | undefined;
}

export function readEvidence(
  question: string,
  passages: Passage[],
  o: { idf: (terms: string[]) => Map<string, number>; asOf?: string; direct: boolean; directOptions: DirectAnswerOptions },
): Evidence | null {
  const qa = analyzeQuestion(question);
  if (qa.terms.length === 0 || passages.length === 0) return null;
  const idf = o.idf([...new Set([...qa.terms, ...qa.keyTerms])]);
  const weightOf = (t: string) => Math.max(0.1, idf.get(t) ?? 1);
  const all = collectSentences(qa, passages, weightOf, { asOf: o.asOf });
  // Ranked even without a direct answer: the sentence model reads the leading candidates (`offers`).
  const ranked = rankCandidates(qa, all, o.directOptions);
  const direct = o.direct ? pickDirectAnswer(ranked, o.directOptions) : undefined;
  const topScore = ranked[0]?.score ?? 0;
  const offered = ranked.slice(0, 5).map((r) => ({ text: r.text, share: topScore > 0 ? r.score / topScore : 0 }));
  const sentences = all.filter((s) => !s.restates);
  const features = sentenceFeatures(sentences, { qa, weightOf, offered });
  const logits = features.map((f) => sentenceLogit(f));
  return { qa, weightOf, sentences, features, logits, ranked, direct };
}
