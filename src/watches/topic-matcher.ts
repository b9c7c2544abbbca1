import { analyze, analyzeUnique } from '../text/analyzer.ts';
import { splitSentences } from '../text/sentences.ts';

/**
 * Does a newly stored article match a watched topic? Offline keyword evidence: the topic's key terms
 * (the shared analyser's stems, weighted by IDF so that "Varnholm" counts more than "council") are
 * looked for in the article's title and lead. The score is the IDF-weighted share of the topic's
 * terms found, a term in the title counting fully and one only in the lead counting `leadCredit`.
 * The threshold is chosen on labelled data (`npm run eval:alerts`, see the README).
 */
export interface MatchTuning {
  /** Alert when the score reaches this (0..1). */
  threshold: number;
  /** Credit for a topic term found in the lead but not the title. */
  leadCredit: number;
  /** Characters of the article text that count as its lead. */
  leadChars: number;
}

// Chosen on the labelled slice with `npm run eval:alerts` (README, "Alert quality"): lead lengths
// 200–2000 and lead credits 0.5–1 were tried; a short lead (about the first two sentences) at half
// credit with the threshold at its best F1 beat the longer leads on every fold.
export const MATCH_DEFAULTS: MatchTuning = {
  threshold: 0.45,
  leadCredit: 0.5,
  leadChars: 300,
};

export interface TopicTerm {
  stem: string;
  weight: number;
}

/** A topic ready to be scored: its key terms and their weights. */
export interface PreparedTopic {
  topic: string;
  terms: TopicTerm[];
}

export interface TopicMatch {
  score: number;
  /** Topic stems found in the title or lead. */
  matched: string[];
}

export const MAX_TOPIC_CHARS = 200;

/** Key terms of a topic, weighted by `idf` (terms the store has never seen get the highest weight). */
export function prepareTopic(topic: string, idf: (terms: string[]) => Map<string, number>): PreparedTopic {
  const stems = analyzeUnique(topic);
  const weights = idf(stems);
  const known = [...weights.values()];
  const top = known.length ? Math.max(...known) : 1;
  return { topic, terms: stems.map((stem) => ({ stem, weight: Math.max(0.1, weights.get(stem) ?? top) })) };
}

/** Scores one article (title and the start of its text) against a prepared topic. */
export function scoreTopic(t: PreparedTopic, doc: { title: string; text: string }, tuning: MatchTuning = MATCH_DEFAULTS): TopicMatch {
  if (t.terms.length === 0) return { score: 0, matched: [] };
  const title = new Set(analyze(doc.title));
  const lead = new Set(analyze(doc.text.slice(0, tuning.leadChars)));
  let got = 0;
  let total = 0;
  const matched: string[] = [];
  for (const term of t.terms) {
    total += term.weight;
    const credit = title.has(term.stem) ? 1 : lead.has(term.stem) ? tuning.leadCredit : 0;
    if (credit > 0) matched.push(term.stem);
    got += term.weight * credit;
  }
  return { score: total > 0 ? got / total : 0, matched };
}

/**
 * The one or two sentences of the article that carry the most topic weight, verbatim, in article
 * order: what an alert quotes. Falls back to the first sentence.
 */
export function matchingSentences(t: PreparedTopic, text: string, max = 2, scanChars = 3000): string[] {
  const weight = new Map(t.terms.map((x) => [x.stem, x.weight]));
  const sentences = splitSentences(text.slice(0, scanChars)).filter((s) => s.text.split(/\s+/).length >= 6);
  if (sentences.length === 0) return [];
  const scored = sentences.map((s, i) => ({ i, s: s.text, w: analyzeUnique(s.text).reduce((n, x) => n + (weight.get(x) ?? 0), 0) - i * 1e-3 }));
  const best = scored
    .filter((x) => x.w > 0)
    .sort((a, b) => b.w - a.w)
    .slice(0, max);
  const picked = best.length ? best : scored.slice(0, 1);
  return picked.sort((a, b) => a.i - b.i).map((x) => x.s);
}
