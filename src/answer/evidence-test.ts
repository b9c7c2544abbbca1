import { analyze } from '../text/analyzer.ts';
import type { EvidenceSentence } from './evidence-sentences.ts';
import type { QuestionAnalysis } from './question.ts';

/**
 * Whether the evidence is about what the question is about: the answer's passages (title and text)
 * must contain enough of the question's key content — its names, numbers and quoted phrases, and its
 * rarest term (the thing asked about: "bitcoin", "Hart Trophy") — weighted by rarity. Term overlap
 * alone lets "Ron Price warns…" answer "What is the price of bitcoin?".
 */
export function hasKeyEvidence(
  qa: QuestionAnalysis,
  chosen: EvidenceSentence[],
  weightOf: (t: string) => number,
  minShare: number,
  scope: 'passages' | 'sentences' = 'passages',
): boolean {
  if (minShare <= 0) return true;
  return keyShare(qa, chosen, weightOf, scope) >= minShare;
}

/** The rarity-weighted share of the question's key content that the evidence contains (1 when it has none). */
export function keyShare(
  qa: QuestionAnalysis,
  chosen: EvidenceSentence[],
  weightOf: (t: string) => number,
  scope: 'passages' | 'sentences' = 'sentences',
): number {
  const key = keyContent(qa, weightOf);
  if (key.length === 0) return 1;
  const present = new Set<string>();
  if (scope === 'sentences') for (const s of chosen) for (const t of s.terms) present.add(t);
  else for (const p of new Set(chosen.map((s) => s.passage))) for (const t of analyze(`${p.title}\n${p.text}`)) present.add(t);
  const total = key.reduce((s, t) => s + weightOf(t), 0);
  const found = key.filter((t) => present.has(t)).reduce((s, t) => s + weightOf(t), 0);
  return total === 0 ? 1 : found / total;
}

/** The question's names, numbers and quoted phrases, plus its rarest term. */
export function keyContent(qa: QuestionAnalysis, weightOf: (t: string) => number): string[] {
  const key = new Set(qa.keyTerms.filter((t) => qa.terms.includes(t)));
  const rarest = [...qa.terms].sort((a, b) => weightOf(b) - weightOf(a))[0];
  if (rarest !== undefined) key.add(rarest);
  return [...key];
}

/** The sentence from the most recently published article among the evidence. */
export function newestEvidence(chosen: EvidenceSentence[]): EvidenceSentence | undefined {
  let best: EvidenceSentence | undefined;
  for (const s of chosen) {
    const d = s.passage.published;
    if (!d) continue;
    if (!best || d > best.passage.published!) best = s;
  }
  return best;
}
