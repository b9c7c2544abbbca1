import { analyzeUnique } from '../text/analyzer.ts';

/** Not-covered questions that are alike, counted together: one coverage gap. */
export interface QuestionGroup {
  /** The group's most typical wording (its first question that repeats most, else the shortest). */
  question: string;
  count: number;
  /** Up to three distinct wordings, most recent first. */
  examples: string[];
  lastAsked: string;
}

const MIN_SHARED_TERMS = 2;
const MIN_OVERLAP = 0.6; // shared terms over the smaller question's terms: "tolls in Varnholm?" ~ "Varnholm ferry tolls"

/**
 * Groups questions by shared content terms (stems, stopwords removed — the retriever's analyser). A
 * question joins the first group whose seed shares at least two terms and 60 % of the smaller
 * question's terms; otherwise it seeds a new group. Greedy and deterministic: enough to tell an admin
 * "five people asked about the harbour tolls", without a model.
 */
export function groupQuestions(questions: Array<{ question: string; askedAt: string }>): QuestionGroup[] {
  const groups: Array<{ seed: Set<string>; items: Array<{ question: string; askedAt: string }> }> = [];
  for (const q of questions) {
    const terms = new Set(analyzeUnique(q.question));
    const home = groups.find((g) => alike(g.seed, terms)) ?? groups[groups.push({ seed: terms, items: [] }) - 1]!;
    home.items.push(q);
  }
  return groups.map((g) => summarize(g.items)).sort((a, b) => b.count - a.count || b.lastAsked.localeCompare(a.lastAsked));
}

function alike(a: Set<string>, b: Set<string>): boolean {
  if (a.size === 0 || b.size === 0) return false;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return shared >= Math.min(MIN_SHARED_TERMS, a.size, b.size) && shared / Math.min(a.size, b.size) >= MIN_OVERLAP;
}

function summarize(items: Array<{ question: string; askedAt: string }>): QuestionGroup {
  const byWording = new Map<string, { text: string; n: number; last: string }>();
  for (const it of items) {
    const key = it.question.trim().toLowerCase().replace(/\s+/g, ' ');
    const e = byWording.get(key) ?? { text: it.question.trim(), n: 0, last: it.askedAt };
    e.n++;
    if (it.askedAt > e.last) e.last = it.askedAt;
    byWording.set(key, e);
  }
  const wordings = [...byWording.values()];
  const typical = [...wordings].sort((a, b) => b.n - a.n || a.text.length - b.text.length)[0]!;
  return {
    question: typical.text,
    count: items.length,
    examples: wordings
      .sort((a, b) => b.last.localeCompare(a.last))
      .slice(0, 3)
      .map((w) => w.text),
    lastAsked: items
      .map((it) => it.askedAt)
      .sort()
      .at(-1)!, // ISO times sort as text
  };
}
