import type { Client } from 'discord.js';
import type { Logger } from '../logger.ts';
import type { NewsFeatures } from '../news/news-features.ts';
import { createDigestScheduler, type Clock } from '../digest/digest-scheduler.ts';
import type { PostOutcome } from '../watches/watch-service.ts';
import { createChannelPoster } from './channel-poster.ts';
import { formatAlert, formatCollapsed } from './format-alert.ts';
import { formatDigest, formatEmptyDigest } from './format-digest.ts';

/** Started once the bot is ready, stopped before the store closes. */
export interface NewsService {
  start(): void;
  stop(): Promise<void>;
}

/**
 * Topic alerts: while the bot is connected, the watch service posts its alerts through the client.
 * Stopping detaches the sink (no post after shutdown starts) and waits for a batch in progress.
 */
export function createAlertService(core: Pick<NewsFeatures, 'watches'>, client: Client): NewsService {
  const poster = createChannelPoster(client);
  return {
    start() {
      core.watches.attach({
        postAlert: (channelId, alert) => poster.post(alert.watch.guildId, channelId, formatAlert(alert)),
        postCollapsed: (channelId, s) => poster.post(s.watch.guildId, channelId, formatCollapsed(s)),
      });
    },
    async stop() {
      core.watches.attach(null);
      await core.watches.idle();
    },
  };
}

/** Scheduled digests, posted page by page into the schedule's channel. */
export function createDigestService(
  core: Pick<NewsFeatures, 'digests'>,
  client: Client,
  logger: Logger,
  opts: { clock?: Clock; tickMs?: number; jitterMs?: number } = {},
): NewsService {
  const poster = createChannelPoster(client);
  return createDigestScheduler({
    digests: core.digests,
    logger,
    ...opts,
    async post(schedule, outcome): Promise<PostOutcome> {
      const now = new Date(opts.clock?.now() ?? Date.now());
      const pages = outcome.kind === 'digest' ? formatDigest(outcome.digest, now) : [formatEmptyDigest(outcome.since)];
      let last: PostOutcome = { kind: 'failed', reason: 'nothing to post' };
      for (const page of pages) {
        last = await poster.post(schedule.guildId, schedule.channelId, page);
        if (last.kind !== 'posted') return last;
      }
      return last;
    },
  });
}
