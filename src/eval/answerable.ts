import type { ArticleReader } from '../db/article-repo.ts';
import { containsNormalized, normalizeAnswer } from './metrics.ts';
import type { EvalQuestion } from './questions.ts';

/**
 * Which questions are answerable at all: the gold answer string occurs (normalised, on word
 * boundaries) in some indexed article visible at the question's week — published on or before it,
 * or undated. This is the ceiling for string-match recall.
 *
 * Every article is normalised once; a posting list is kept only for words that occur in some gold
 * answer, and each question checks just the articles holding its rarest answer word (a plain
 * `indexOf` over the ~60 MB dev corpus per question took 25 s).
 */
export function findAnswerable(articles: Pick<ArticleReader, 'canonicalArticles'>, questions: readonly EvalQuestion[]): Map<string, boolean> {
  const answers = new Map(questions.map((q) => [q.id, normalizeAnswer(q.answer)]));
  const wanted = new Set([...answers.values()].flatMap((a) => (a ? a.split(' ') : [])));
  const postings = new Map<string, number[]>();
  const texts: string[] = [];
  const days: Array<string | null> = [];
  for (const r of articles.canonicalArticles()) {
    const i = texts.length;
    const norm = normalizeAnswer(r.text);
    texts.push(norm);
    days.push(r.published);
    for (const w of new Set(norm.split(' '))) {
      if (!wanted.has(w)) continue;
      const list = postings.get(w);
      if (list) list.push(i);
      else postings.set(w, [i]);
    }
  }
  const out = new Map<string, boolean>();
  for (const q of questions) {
    const g = answers.get(q.id)!;
    if (!g) {
      out.set(q.id, false);
      continue;
    }
    let rarest: number[] = [];
    let best = Infinity;
    for (const w of g.split(' ')) {
      const n = postings.get(w)?.length ?? 0;
      if (n < best) {
        best = n;
        rarest = postings.get(w) ?? [];
      }
    }
    out.set(
      q.id,
      rarest.some((i) => {
        const day = days[i];
        return (day === null || day === undefined || day <= q.week) && containsNormalized(texts[i]!, g);
      }),
    );
  }
  return out;
}
