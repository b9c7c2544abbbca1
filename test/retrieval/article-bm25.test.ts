import { describe, expect, it } from 'vitest';
import { createBm25Index } from '../../src/retrieval/bm25-index.ts';
import { createArticleBm25 } from '../../src/retrieval/article-bm25.ts';

const words = (s: string) => s.split(' ').filter(Boolean);

/** Chunks as [chunkId, articleId, title, body]. */
type Row = [number, number, string, string];

function build(rows: Row[]) {
  const idx = createBm25Index();
  const articleOf = new Map<number, number>();
  for (const [chunk, article, title, body] of rows) {
    idx.add(chunk, words(title), words(body));
    articleOf.set(chunk, article);
  }
  return { idx, articleOf, articles: createArticleBm25(idx.postings, (c) => articleOf.get(c)) };
}

describe('whole-article BM25 from chunk postings', () => {
  it('ranks the article whose chunks together hold every question term above one that holds one term in a single chunk', () => {
    // Article 1 spreads "senate" and "vote" over two chunks; article 2 has "vote" once; article 3 neither.
    const { articles } = build([
      [1, 1, 'budget', 'senate debate continues'],
      [2, 1, 'budget', 'final vote tally'],
      [3, 2, 'sports', 'fans vote mvp'],
      [4, 3, 'weather', 'rain expected'],
    ]);
    const hits = articles.search(['senate', 'vote'], 10);
    expect(hits.map((h) => h.articleId)).toEqual([1, 2]);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  it('counts a title term once per article however many chunks carry it', () => {
    // Both articles carry "election" in their title only; the long one has four chunks. Equal title
    // evidence: the long article must not win because each of its chunks repeats the title.
    const { articles } = build([
      [1, 1, 'election', 'alpha beta'],
      [2, 1, 'election', 'gamma delta'],
      [3, 1, 'election', 'epsilon zeta'],
      [4, 1, 'election', 'eta theta'],
      [5, 2, 'election', 'iota kappa'],
      [6, 3, 'other', 'lambda mu'],
    ]);
    const [first] = articles.search(['election'], 10);
    expect(first!.articleId).toBe(2); // same tf, shorter article
  });

  it('follows the chunk index: removed chunks leave, added ones count, and the filter is applied', () => {
    const { idx, articleOf, articles } = build([
      [1, 1, '', 'quake city'],
      [2, 2, '', 'quake town'],
      [3, 3, '', 'calm'],
    ]);
    expect(articles.search(['quake'], 10).map((h) => h.articleId)).toEqual([1, 2]);
    idx.remove([1]);
    expect(articles.search(['quake'], 10).map((h) => h.articleId)).toEqual([2]);
    idx.add(7, [], words('quake quake aftershock'));
    articleOf.set(7, 4);
    expect(articles.search(['quake'], 10)[0]!.articleId).toBe(4);
    expect(articles.search(['quake'], 10, (a) => a !== 4).map((h) => h.articleId)).toEqual([2]);
  });

  it('finds nothing for unknown terms or an empty index', () => {
    expect(build([]).articles.search(['x'], 5)).toEqual([]);
    expect(build([[1, 1, '', 'a b']]).articles.search(['zzz'], 5)).toEqual([]);
  });
});
