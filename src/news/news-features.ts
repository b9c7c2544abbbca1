import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../db/store.ts';
import type { Retriever } from '../retrieval/retriever.ts';
import { createWatchService, type WatchService, type WatchServiceDeps } from '../watches/watch-service.ts';
import { createDigestService, type DigestService } from '../digest/digest-service.ts';
import { describeFreshness, type Freshness } from '../freshness/freshness.ts';
import { updatesSince, type UpdatesOutcome } from '../freshness/updates-since.ts';
import type { Answerer, AskResult } from '../core/ask.ts';

/** The news that comes to the channel: topic watches, digests, and how fresh an answer is. */
export interface NewsFeatures {
  /** Topic watches; alerts are posted by whoever attaches an AlertSink (the bot). */
  readonly watches: WatchService;
  readonly digests: DigestService;
  /** As of when an answer answers, how old its newest evidence is, and trouble with the sources it cites. */
  freshness(result: Pick<AskResult, 'question' | 'citations'>, guildId: string | null, now?: Date): Freshness;
  /** Remembers what an answer cited, for its "Updates since" button; returns the snapshot id. */
  snapshotAnswer(result: Pick<AskResult, 'question' | 'citations'>, guildId: string | null, at?: Date): number;
  /** The same question over only what was added since the snapshot. */
  updatesSince(snapshotId: number, guildId: string | null): Promise<UpdatesOutcome>;
}

export interface NewsFeaturesDeps {
  store: Pick<Store, 'watches' | 'stories' | 'digests' | 'sources'>;
  /** The corpus's article-added hook (declared here by shape: services do not import the indexing layer). */
  corpus: { onArticleAdded(listener: (e: { kind: string; articleId: number; sourceId: number | null; guildId?: string | null }) => void): () => void };
  idf(terms: string[]): Map<string, number>;
  retriever: Retriever;
  answerer: Answerer;
  config: Pick<Config, 'watches'>;
  watchTuning?: WatchServiceDeps['tuning'];
  logger: Logger;
}

const citedIds = (r: Pick<AskResult, 'citations'>) => r.citations.map((c) => c.article_id).filter((id): id is number => id !== undefined);

export function createNewsFeatures(deps: NewsFeaturesDeps): NewsFeatures {
  const { store } = deps;
  const watches = createWatchService({
    watches: store.watches,
    stories: store.stories,
    guildOfSource: (id) => store.sources.get(id)?.guildId,
    idf: deps.idf,
    limits: deps.config.watches,
    tuning: deps.watchTuning,
    logger: deps.logger,
  });
  // New articles only: an update of a stored story in place is not news to alert about.
  deps.corpus.onArticleAdded((e) => {
    if (e.kind !== 'updated')
      watches.onArticleAdded({ articleId: e.articleId, sourceId: e.sourceId, ...(e.guildId !== undefined ? { guildId: e.guildId } : {}) });
  });
  const digests = createDigestService({
    stories: store.stories,
    digests: store.digests,
    hasSources: (guildId) => store.sources.list({ kind: 'guild', guildId }).length > 0,
    idf: deps.idf,
  });
  return {
    watches,
    digests,
    freshness(result, guildId, now = new Date()) {
      const troubles = store.stories.troubleFor(citedIds(result), guildId);
      const seen = new Set<number>();
      return describeFreshness({
        question: result.question,
        citations: result.citations,
        now,
        troubles: troubles.filter((t) => !seen.has(t.sourceId) && seen.add(t.sourceId)),
        newestInScope: result.citations.length ? null : store.stories.newestPublished(guildId),
      });
    },
    snapshotAnswer(result, guildId, at = new Date()) {
      return store.digests.saveSnapshot({ guildId, question: result.question, answeredAt: at.toISOString(), articleIds: citedIds(result) });
    },
    updatesSince: (snapshotId, guildId) =>
      updatesSince({ retriever: deps.retriever, answerer: deps.answerer, stories: store.stories, digests: store.digests }, snapshotId, guildId),
  };
}
