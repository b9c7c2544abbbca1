import type { Embeddings } from '@langchain/core/embeddings';
import type { ChunkReader } from '../db/chunk-repo.ts';
import type { Passage } from '../types.ts';
import type { VectorSearch } from './vector-index.ts';
import type { KeywordSearch } from './keyword-search.ts';
import type { ChunkCatalogView, RetrievalScope } from './chunk-catalog.ts';
import { dayNumber } from '../text/dates.ts';
import { analyzeUnique } from '../text/analyzer.ts';

export interface RetrieveOptions extends RetrievalScope {
  k?: number;
  /** Which retrievers to use: the shipped default fuses both. */
  mode?: 'hybrid' | 'bm25' | 'dense';
  /** Passages kept per article, so one long story cannot crowd out the rest. */
  perArticle?: number;
  /** Neighbouring chunks added on each side of a retrieved chunk. */
  window?: number;
}

export interface RetrieverTuning {
  /** How dense and keyword results are combined. */
  fusion: 'rrf' | 'score';
  candidates: number;
  rrfK: number;
  denseWeight: number;
  keywordWeight: number;
  /** Weight of the recency prior relative to one first-place RRF vote. */
  recencyWeight: number;
  /** Days after which the recency prior has halved. */
  recencyHalfLifeDays: number;
  perArticle: number;
  window: number;
  /** Share of an article's other matching chunks added to each chunk: a story that matches in several places is likelier the one asked about. */
  articleWeight: number;
  /**
   * Questions about the latest news ("this week", "today", "now"…) strongly favour articles from the
   * last `recentWindowDays` before the as-of date: a bonus of `recentWindowBoost` first-place votes,
   * which works as a hard window with a fallback (older articles rank only when the window has none).
   */
  recentWindowDays: number;
  recentWindowBoost: number;
  /** Which questions the window applies to: those about the latest news, or every question without a year of its own. */
  recentWindowFor: 'recent' | 'all';
  /**
   * Find the story, then the passage: whole-article BM25 ranks articles, and each chunk gets
   * `articleVotes` RRF votes for its article's rank among the top `articleCandidates` (0: off).
   */
  articleVotes: number;
  articleCandidates: number;
  /** Merge passages of one article whose windows overlap or touch (off for the plain baselines). */
  merge: boolean;
}

// Chosen on the RealTime QA dev split with `newsdesk eval` (see README, "Measuring it"): dense votes
// at half weight (the offline embedder is weaker than BM25), a wide candidate pool because the as-of
// filter discards future articles after the search, and passages widened by two neighbouring chunks.
export const DEFAULT_TUNING: RetrieverTuning = {
  fusion: 'rrf',
  candidates: 300,
  rrfK: 60,
  denseWeight: 0.5,
  keywordWeight: 1,
  recencyWeight: 0.5,
  recencyHalfLifeDays: 14,
  perArticle: 2,
  window: 2,
  articleWeight: 0,
  recentWindowDays: 0,
  recentWindowBoost: 0,
  recentWindowFor: 'recent',
  articleVotes: 0,
  articleCandidates: 100,
  merge: true,
};

const RECENT_WORDS = /\b(latest|recent|recently|newest|this week|today|yesterday|now|current|currently|just)\b/i;

/** Passages for a question, best first, within a scope. */
export interface Retriever {
  retrieve(question: string, opts?: RetrieveOptions): Promise<Passage[]>;
  /** Why a search can find nothing: the store is empty, or the scope's filters leave nothing to see. */
  emptiness(scope: RetrievalScope): 'empty-store' | 'filtered-out' | null;
  readonly tuning: RetrieverTuning;
}

/** Read-only views the retriever searches; the corpus (src/indexing/) keeps them current. */
export interface RetrieverDeps {
  embeddings: Embeddings;
  index: VectorSearch;
  keyword: KeywordSearch;
  catalog: ChunkCatalogView;
  chunks: ChunkReader;
  tuning?: Partial<RetrieverTuning>;
}

/**
 * Hybrid retrieval: dense (HNSW) and keyword (BM25) candidates fused by reciprocal rank, a recency
 * prior relative to the question's date, then at most `perArticle` passages per article.
 */
export function createRetriever(deps: RetrieverDeps): Retriever {
  const tuning = { ...DEFAULT_TUNING, ...deps.tuning };

  async function retrieve(question: string, opts: RetrieveOptions = {}): Promise<Passage[]> {
    const k = opts.k ?? 5;
    const mode = opts.mode ?? 'hybrid';
    const perArticle = opts.perArticle ?? tuning.perArticle;
    const window = opts.window ?? tuning.window;
    const filter = deps.catalog.chunkFilter(opts);
    const fused = new Map<number, number>();
    // Reciprocal rank fusion ignores score magnitudes; score fusion adds max-normalised scores.
    const add = (id: number, rank: number, score: number, max: number, weight: number) => {
      const v = tuning.fusion === 'rrf' ? 1 / (tuning.rrfK + rank + 1) : max > 0 ? score / max : 0;
      fused.set(id, (fused.get(id) ?? 0) + weight * v);
    };

    const terms = analyzeUnique(question);
    let articleRank: Map<number, number> | null = null;
    if (mode !== 'dense') {
      const hits = [];
      for (const hit of deps.keyword.search(terms, tuning.candidates * 4)) {
        if (filter && !filter(hit.chunkId)) continue;
        hits.push(hit);
        if (hits.length >= tuning.candidates) break;
      }
      const max = hits[0]?.score ?? 0;
      for (const [rank, h] of hits.entries()) add(h.chunkId, rank, h.score, max, tuning.keywordWeight);
      if (tuning.articleVotes > 0) {
        const top = deps.keyword.searchArticles(terms, tuning.articleCandidates, deps.catalog.articleFilter(opts));
        articleRank = new Map(top.map((h, i) => [h.articleId, i]));
      }
    }
    // Dense votes at weight 0 would still add candidates (and their recency prior): skip the search.
    const denseWeight = mode === 'dense' ? 1 : tuning.denseWeight;
    if (mode !== 'bm25' && denseWeight > 0 && deps.index.size() > 0) {
      const q = await deps.embeddings.embedQuery(question);
      const hits = deps.index.search(q, tuning.candidates, filter ?? undefined);
      const max = hits[0]?.score ?? 0;
      for (const [rank, h] of hits.entries()) add(h.id, rank, h.score, max, denseWeight);
    }

    const ref = dayNumber(opts.asOf) ?? Math.floor(Date.now() / 86_400_000);
    const wantsRecent = RECENT_WORDS.test(question);
    const recencyBoost = tuning.recencyWeight * (wantsRecent ? 2 : 1);
    // A question naming a year ("in 2019") asks about that time, not about this week's news.
    const windowed = tuning.recentWindowFor === 'all' ? !/\b(19|20)\d\d\b/.test(question) : wantsRecent;
    const windowBoost = windowed && tuning.recentWindowDays > 0 ? tuning.recentWindowBoost : 0;
    // The prior is in units of one first-place vote of the fusion in use.
    const unit = tuning.fusion === 'rrf' ? 1 / (tuning.rrfK + 1) : 1;
    const scored = [...fused.entries()].map(([id, s]) => {
      const articleId = deps.catalog.articleOf(id);
      const day = articleId === undefined ? null : deps.catalog.dayOf(articleId);
      const age = day === null ? 365 : Math.max(0, ref - day);
      const inWindow = day !== null && age <= tuning.recentWindowDays;
      const prior = recencyBoost * Math.pow(0.5, age / tuning.recencyHalfLifeDays) + (inWindow ? windowBoost : 0);
      const aRank = articleId === undefined ? undefined : articleRank?.get(articleId);
      const story = aRank === undefined ? 0 : tuning.articleVotes / (tuning.rrfK + aRank + 1);
      return { id, articleId, score: s + prior * unit + story };
    });
    if (tuning.articleWeight > 0) {
      const perArticleSum = new Map<number, number>();
      for (const s of scored) if (s.articleId !== undefined) perArticleSum.set(s.articleId, (perArticleSum.get(s.articleId) ?? 0) + s.score);
      for (const s of scored) if (s.articleId !== undefined) s.score += tuning.articleWeight * (perArticleSum.get(s.articleId)! - s.score);
    }
    scored.sort((a, b) => b.score - a.score);

    const perArticleCount = new Map<number, number>();
    const passages: Passage[] = [];
    let next = 0;
    // Picks in rank order; a passage whose window overlaps or touches an earlier one of the same
    // article is merged into it (one story, one passage), and more are picked until k remain.
    while (passages.length < k && next < scored.length) {
      const batch: Array<{ id: number; score: number }> = [];
      for (; next < scored.length && batch.length < k - passages.length; next++) {
        const s = scored[next]!;
        if (s.articleId === undefined) continue;
        const n = perArticleCount.get(s.articleId) ?? 0;
        if (n >= perArticle) continue;
        perArticleCount.set(s.articleId, n + 1);
        batch.push(s);
      }
      if (batch.length === 0) break;
      const scoreOf = new Map(batch.map((p) => [p.id, p.score]));
      for (const r of deps.chunks.getChunks(
        batch.map((p) => p.id),
        window,
      )) {
        const p: Passage = { ...r, score: scoreOf.get(r.chunkId) ?? 0 };
        const same = tuning.merge && passages.find((q) => q.articleId === p.articleId && p.start <= q.end && p.end >= q.start);
        if (same) mergeInto(same, p);
        else passages.push(p);
      }
    }
    return passages.slice(0, k);
  }

  /** Why a search can find nothing: the store is empty, or the scope's filters leave nothing to see. */
  function emptiness(opts: RetrievalScope): 'empty-store' | 'filtered-out' | null {
    if (deps.catalog.size() === 0) return 'empty-store';
    return deps.catalog.countVisible(opts) === 0 ? 'filtered-out' : null;
  }

  return { retrieve, emptiness, tuning };
}

/** Widens `into` to cover `p` too (both are exact slices of one article, so their texts overlap where their spans do). */
function mergeInto(into: Passage, p: Passage): void {
  if (p.start < into.start) into.text = p.text.slice(0, into.start - p.start) + into.text;
  if (p.end > into.end) into.text += p.text.slice(p.text.length - (p.end - into.end));
  into.start = Math.min(into.start, p.start);
  into.end = Math.max(into.end, p.end);
  into.score = Math.max(into.score, p.score);
}
