import type { AlternateRow, ArticleRepo } from '../db/article-repo.ts';
import type { GuildScope } from '../db/source-repo.ts';
import type { ChunkCatalogView, RetrievalScope } from '../retrieval/chunk-catalog.ts';
import type { Retriever } from '../retrieval/retriever.ts';
import { ask, type Answerer, type AskOptions, type AskResult } from './ask.ts';

export interface ArticleSummary {
  id: number;
  title: string;
  url: string | null;
  outlet: string | null;
  published: string | null;
  score?: number;
}

/** What users ask of the tracked news: answers, matching articles, the newest articles. */
export interface Questions {
  /** retrieve → answer with the configured answerer; citations name the other outlets of a story. */
  ask(question: string, opts?: AskOptions): Promise<AskResult>;
  /** The same with the offline answerer, whatever is configured (eval baselines, benchmarks). */
  askExtractive(question: string, opts?: AskOptions): Promise<AskResult>;
  /** Matching articles, best first, one entry per article. */
  search(query: string, scope: GuildScope, opts?: { k?: number; since?: string; sourceIds?: number[] }): Promise<ArticleSummary[]>;
  /** Newest articles in scope (optionally of one source). */
  latest(scope: GuildScope, opts?: { sourceId?: number; limit?: number }): ArticleSummary[];
  /** Other outlets' copies of a stored story. */
  alternates(articleId: number): AlternateRow[];
}

/** The sources a caller may see, as a retrieval filter: all of them, or one guild's plus the global ones. */
export function retrievalScopeOf(scope: GuildScope): RetrievalScope {
  return scope.kind === 'all' ? {} : { guildId: scope.guildId };
}

export function createQuestions(deps: {
  retriever: Retriever;
  answerer: Answerer;
  extractive: Answerer;
  catalog: ChunkCatalogView;
  articles: Pick<ArticleRepo, 'alternates' | 'newest'>;
  /** A story's copies that a guild sees through its own (or global) sources: "also reported by" never names another server's outlets. */
  storyCopiesSeenBy?: (storyId: number, guildId: string | null) => Array<{ id: number; outlet: string | null }>;
}): Questions {
  const { retriever, catalog, articles } = deps;
  /** Other outlets of a cited story; scoped to the asker's guild when the question is (undefined: every source, the CLI). */
  const alsoReportedBy = (guildId: string | null | undefined) => (articleId: number) => {
    const copies =
      guildId === undefined || !deps.storyCopiesSeenBy
        ? articles.alternates(articleId)
        : deps.storyCopiesSeenBy(articleId, guildId).filter((c) => c.id !== articleId);
    return [...new Set(copies.map((a) => a.outlet).filter((x): x is string => !!x))];
  };
  return {
    ask: (question, o = {}) => ask({ retriever, answerer: deps.answerer, alsoReportedBy: alsoReportedBy(o.guildId) }, question, o),
    askExtractive: (question, o = {}) => ask({ retriever, answerer: deps.extractive }, question, o),
    async search(query, scope, o = {}) {
      const passages = await retriever.retrieve(query, { ...retrievalScopeOf(scope), since: o.since, sourceIds: o.sourceIds, k: o.k ?? 10, perArticle: 1 });
      return passages.map((p) => ({ id: p.articleId, title: p.title, url: p.url, outlet: p.outlet, published: p.published, score: p.score }));
    },
    latest(scope, o = {}) {
      const filter = catalog.articleFilter({ ...retrievalScopeOf(scope), sourceIds: o.sourceId ? [o.sourceId] : undefined });
      const rows = articles.newest(filter ? 5000 : (o.limit ?? 10));
      return rows.filter((r) => !filter || filter(r.id)).slice(0, o.limit ?? 10);
    },
    alternates: (articleId) => articles.alternates(articleId),
  };
}
