import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Watch, WatchRepo } from '../db/watch-repo.ts';
import type { StoryArticle, StoryRepo } from '../db/story-repo.ts';
import { MATCH_DEFAULTS, MAX_TOPIC_CHARS, matchingSentences, prepareTopic, scoreTopic, type MatchTuning, type PreparedTopic } from './topic-matcher.ts';

/** A new article became visible through a source (the ingest pipeline's "article added" event). */
export interface ArticleAddedEvent {
  articleId: number;
  /** The source it came through; null for an import without a source. */
  sourceId: number | null;
  /** Given instead of the source for an article another process stored: the guild that sees it (null: every guild). */
  guildId?: string | null;
}

/** Everything an alert message shows; the Discord layer formats it. */
export interface AlertDraft {
  watch: Watch;
  article: StoryArticle;
  /** One or two verbatim sentences of the article that match the topic. */
  sentences: string[];
  /** Other outlets of the same story among the guild's own sources. */
  alsoReportedBy: string[];
  score: number;
}

export type PostOutcome =
  | { kind: 'posted'; messageId: string }
  /** The bot may not post there (missing permission, unknown channel): the watch is paused. */
  | { kind: 'forbidden'; reason: string }
  | { kind: 'failed'; reason: string };

/** Where alerts go: the Discord bot implements it; the evaluation records instead. */
export interface AlertSink {
  postAlert(channelId: string, alert: AlertDraft): Promise<PostOutcome>;
  /** "…and 5 more stories on <topic>": what exceeded the channel's hourly cap. */
  postCollapsed(channelId: string, summary: { watch: Watch; count: number; titles: string[] }): Promise<PostOutcome>;
}

export interface WatchService {
  add(input: { guildId: string; channelId: string; topic: string; createdBy: string | null }): { watch: Watch; resumed: boolean };
  list(guildId: string): Watch[];
  remove(guildId: string, id: number): Watch;
  /** Stops alerts about one story in the whole guild. */
  mute(guildId: string, storyId: number, by: string | null): void;
  alertOfMessage(messageId: string): ReturnType<WatchRepo['alertOfMessage']>;
  /** Subscribe this to the ingest pipeline's article-added hook. */
  onArticleAdded(event: ArticleAddedEvent): void;
  /** Alerts are posted only while a sink is attached (the bot is connected). */
  attach(sink: AlertSink | null): void;
  /** Resolves when every event received so far has been handled. */
  idle(): Promise<void>;
  /** Scores one article against one topic (the evaluation and tests use this). */
  score(topic: string, article: { title: string; text: string }): number;
}

export interface WatchServiceDeps {
  watches: WatchRepo;
  stories: StoryRepo;
  /** Guild of a source: a string, null for a global source (every guild sees it), undefined if unknown. */
  guildOfSource(sourceId: number): string | null | undefined;
  idf(terms: string[]): Map<string, number>;
  limits: { alertsPerChannelHour: number; maxWatchesPerGuild: number };
  tuning?: Partial<MatchTuning>;
  now?: () => number;
  logger: Logger;
}

const HOUR_MS = 3_600_000;

/**
 * Topic watches: stored per guild; matching runs on ingest for new articles only, in one queue so
 * decisions are sequential (a story claimed for a channel is never alerted there twice, whichever
 * outlet's copy arrives later). Alerts beyond the hourly cap of a channel are folded into one
 * "and N more" message per topic and batch.
 */
export function createWatchService(deps: WatchServiceDeps): WatchService {
  const tuning: MatchTuning = { ...MATCH_DEFAULTS, ...deps.tuning };
  const now = deps.now ?? Date.now;
  const log = deps.logger.child({ module: 'watches' });
  let sink: AlertSink | null = null;
  let queue: ArticleAddedEvent[] = [];
  let worker: Promise<void> = Promise.resolve();
  let scheduled = false;

  function add(input: { guildId: string; channelId: string; topic: string; createdBy: string | null }) {
    const topic = input.topic.replace(/\s+/g, ' ').trim();
    if (!topic) throw new UserError('bad-input', 'The topic is empty: give a few words, e.g. `topic: harbour ferry tolls`.');
    if (topic.length > MAX_TOPIC_CHARS) {
      throw new UserError('bad-input', `The topic is too long (${topic.length} characters; at most ${MAX_TOPIC_CHARS}). A few key words match best.`);
    }
    if (prepareTopic(topic, deps.idf).terms.length === 0) {
      throw new UserError('bad-input', `"${topic}" has no words to match on (only very common words). Name the subject, e.g. a place, a person or an event.`);
    }
    const existing = deps.watches.list(input.guildId);
    const same = existing.find((w) => w.channelId === input.channelId && w.topic.toLowerCase() === topic.toLowerCase());
    if (same) {
      if (same.pausedReason) deps.watches.pause(same.id, null);
      return { watch: deps.watches.get(same.id)!, resumed: same.pausedReason !== null };
    }
    if (existing.length >= deps.limits.maxWatchesPerGuild) {
      throw new UserError('bad-input', `This server already has ${existing.length} watches (the most allowed). Remove one with /watch remove.`);
    }
    const watch = deps.watches.insert({ ...input, topic, at: new Date(now()).toISOString() });
    log.info('watch added', { guildId: input.guildId, watchId: watch.id });
    return { watch, resumed: false };
  }

  function remove(guildId: string, id: number): Watch {
    const w = deps.watches.get(id);
    if (!w || w.guildId !== guildId) throw new UserError('not-found', `No watch with id ${id} in this server. /watch list shows the ids.`);
    deps.watches.remove(id);
    return w;
  }

  function onArticleAdded(event: ArticleAddedEvent): void {
    if (!sink) return; // nobody to tell: alerts are for news that arrives while the bot runs
    queue.push(event);
    if (scheduled) return;
    scheduled = true;
    // Drain on a later turn so that a burst from one ingest is handled (and capped) as one batch.
    worker = worker.then(
      () =>
        new Promise<void>((resolve) => {
          setImmediate(() => {
            scheduled = false;
            const batch = queue;
            queue = [];
            drain(batch)
              .catch((err: unknown) => log.error('alert batch failed', { err }))
              .finally(resolve);
          });
        }),
    );
  }

  interface Candidate {
    watch: Watch;
    prepared: PreparedTopic;
  }

  async function drain(batch: ArticleAddedEvent[]): Promise<void> {
    const prepared = new Map<number, PreparedTopic>();
    const topicOf = (w: Watch) => {
      const known = prepared.get(w.id);
      if (known) return known;
      const p = prepareTopic(w.topic, deps.idf);
      prepared.set(w.id, p);
      return p;
    };
    const collapsed = new Map<string, { channelId: string; watch: Watch; titles: string[] }>();
    for (const event of batch) {
      if (!sink) return;
      const article = deps.stories.article(event.articleId);
      if (!article) continue;
      const guild = event.guildId !== undefined ? event.guildId : event.sourceId === null ? undefined : deps.guildOfSource(event.sourceId);
      if (guild === undefined) continue;
      const watches = deps.watches.list(guild ?? undefined).filter((w) => !w.pausedReason);
      // Best matching watch per channel: one alert per story per channel, however many topics match.
      const best = new Map<string, Candidate & { score: number }>();
      for (const watch of watches) {
        const p = topicOf(watch);
        const { score } = scoreTopic(p, { title: article.title, text: article.lead }, tuning);
        if (score < tuning.threshold) continue;
        const prev = best.get(watch.channelId);
        if (!prev || score > prev.score) best.set(watch.channelId, { watch, prepared: p, score });
      }
      for (const [channelId, c] of best) {
        if (deps.watches.isMuted(c.watch.guildId, article.storyId)) continue;
        const at = new Date(now()).toISOString();
        const overCap = deps.watches.alertsSince(channelId, new Date(now() - HOUR_MS).toISOString()) >= deps.limits.alertsPerChannelHour;
        const claim = { channelId, storyId: article.storyId, watchId: c.watch.id, guildId: c.watch.guildId, articleId: article.id, at };
        if (!deps.watches.claim(claim, overCap)) continue; // this story was already alerted here
        if (overCap) {
          const key = `${channelId}:${c.watch.id}`;
          const entry = collapsed.get(key) ?? { channelId, watch: c.watch, titles: [] };
          entry.titles.push(article.title);
          collapsed.set(key, entry);
          continue;
        }
        const alsoReportedBy = [
          ...new Set(
            deps.stories
              .storyMembers(article.storyId, c.watch.guildId)
              .map((m) => m.outlet)
              .filter((o): o is string => !!o && o !== article.outlet),
          ),
        ];
        const draft: AlertDraft = { watch: c.watch, article, sentences: matchingSentences(c.prepared, article.lead), alsoReportedBy, score: c.score };
        const outcome = await sink.postAlert(channelId, draft);
        settle(outcome, c.watch, channelId, article.storyId, at);
      }
    }
    for (const entry of collapsed.values()) {
      if (!sink) return;
      const outcome = await sink.postCollapsed(entry.channelId, { watch: entry.watch, count: entry.titles.length, titles: entry.titles });
      if (outcome.kind === 'forbidden') pause(entry.watch, outcome.reason);
      else if (outcome.kind === 'failed') log.warn('could not post a collapsed alert', { watchId: entry.watch.id, reason: outcome.reason });
    }
  }

  function settle(outcome: PostOutcome, watch: Watch, channelId: string, storyId: number, at: string): void {
    if (outcome.kind === 'posted') {
      deps.watches.sent(channelId, storyId, outcome.messageId, at);
      log.info('alert posted', { guildId: watch.guildId, watchId: watch.id, channelId, storyId });
      return;
    }
    deps.watches.unclaim(channelId, storyId);
    if (outcome.kind === 'forbidden') pause(watch, outcome.reason);
    else log.warn('could not post an alert', { watchId: watch.id, channelId, reason: outcome.reason });
  }

  function pause(watch: Watch, reason: string): void {
    deps.watches.pause(watch.id, reason);
    watch.pausedReason = reason;
    log.warn('watch paused', { guildId: watch.guildId, watchId: watch.id, reason });
  }

  return {
    add,
    list: (guildId) => deps.watches.list(guildId),
    remove,
    mute(guildId, storyId, by) {
      deps.watches.mute(guildId, storyId, by, new Date(now()).toISOString());
    },
    alertOfMessage: (messageId) => deps.watches.alertOfMessage(messageId),
    onArticleAdded,
    attach(s) {
      sink = s;
    },
    async idle() {
      let last: Promise<void> | undefined;
      while (last !== worker || scheduled) {
        last = worker;
        await worker;
        if (scheduled) await new Promise((r) => setImmediate(r));
      }
    },
    score(topic, article) {
      return scoreTopic(prepareTopic(topic, deps.idf), article, tuning).score;
    },
  };
}
