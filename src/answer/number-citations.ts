import type { Citation, Passage } from '../types.ts';

/**
 * Numbers sources by article in order of first appearance: passages from the same article share a
 * number, so "[2]" always means one article in the source list.
 */
export function numberByArticle(passages: Passage[]): Map<number, number> {
  const numbers = new Map<number, number>();
  for (const p of passages) if (!numbers.has(p.articleId)) numbers.set(p.articleId, numbers.size + 1);
  return numbers;
}

export function citationFor(n: number, p: Passage, quote: string): Citation {
  return { n, articleId: p.articleId, title: p.title, url: p.url, source: p.outlet, published: p.published, quote };
}
