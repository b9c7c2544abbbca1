import type { Bm25Postings } from './bm25-index.ts';

/** One article and its whole-article BM25 score (higher is better). */
export interface ArticleHit {
  articleId: number;
  score: number;
}

export interface ArticleBm25Options {
  k1: number;
  b: number;
  titleWeight: number;
  bodyWeight: number;
  /** Terms in at least this share of chunks are skipped (as the chunk search does on large corpora). */
  commonTermRatio: number;
}

// Whole news articles are long and uneven: a lower b than passage BM25 keeps a long feature from
// losing to a short brief that mentions the name once (the dev split's article BM25 used 0.9 / 0.4).
export const ARTICLE_BM25_DEFAULTS: ArticleBm25Options = { k1: 0.9, b: 0.4, titleWeight: 2, bodyWeight: 1, commonTermRatio: 0.15 };

/**
 * BM25 over whole articles, computed from the chunk postings at question time: an article's body term
 * frequency is the sum over its chunks, its title frequency the largest (every chunk carries the title),
 * its length the sum of its chunks' lengths. Chunks overlap by a sentence, which inflates frequencies
 * and lengths alike, so ranks barely move. No second index to keep current: it follows the chunk index.
 */
export function createArticleBm25(
  postings: Bm25Postings,
  articleOf: (chunkId: number) => number | undefined,
  options: Partial<ArticleBm25Options> = {},
): { search(terms: string[], limit: number, accept?: ((articleId: number) => boolean) | null): ArticleHit[] } {
  const o = { ...ARTICLE_BM25_DEFAULTS, ...options };
  let seen = -1;
  let lengths = new Map<number, number>();
  let totalLen = 0;
  let liveChunks = 0;

  /** Article lengths, recounted only after the chunk index changed. */
  function refresh(): void {
    if (seen === postings.version()) return;
    const next = new Map<number, number>();
    let total = 0;
    let chunks = 0;
    postings.forEachDoc((chunkId, len) => {
      const a = articleOf(chunkId);
      chunks++;
      if (a === undefined) return;
      next.set(a, (next.get(a) ?? 0) + len);
      total += len;
    });
    lengths = next;
    totalLen = total;
    liveChunks = chunks;
    seen = postings.version();
  }

  function search(terms: string[], limit: number, accept?: ((articleId: number) => boolean) | null): ArticleHit[] {
    refresh();
    const n = lengths.size;
    if (n === 0 || terms.length === 0 || limit <= 0) return [];
    const avg = totalLen / n || 1;
    const scores = new Map<number, number>();
    const body = new Map<number, number>();
    const title = new Map<number, number>();
    for (const term of new Set(terms)) {
      if (liveChunks > 2000 && postings.docFreq(term) / liveChunks >= o.commonTermRatio) continue;
      body.clear();
      title.clear();
      postings.forEachPosting(term, (chunkId, titleTf, bodyTf) => {
        const a = articleOf(chunkId);
        if (a === undefined) return;
        body.set(a, (body.get(a) ?? 0) + bodyTf);
        if (titleTf > (title.get(a) ?? 0)) title.set(a, titleTf);
      });
      const df = body.size;
      if (df === 0) continue;
      const idf = Math.max(1e-6, Math.log((n - df + 0.5) / (df + 0.5)));
      for (const [a, tfBody] of body) {
        if (accept && !accept(a)) continue;
        const f = o.titleWeight * (title.get(a) ?? 0) + o.bodyWeight * tfBody;
        const len = lengths.get(a) ?? avg;
        const s = (idf * f * (o.k1 + 1)) / (f + o.k1 * (1 - o.b + (o.b * len) / avg));
        scores.set(a, (scores.get(a) ?? 0) + s);
      }
    }
    return [...scores.entries()]
      .map(([articleId, score]) => ({ articleId, score }))
      .sort((x, y) => y.score - x.score || x.articleId - y.articleId)
      .slice(0, limit);
  }

  return { search };
}
