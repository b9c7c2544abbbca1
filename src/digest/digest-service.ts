import { UserError } from '../errors.ts';
import type { DigestFrequency, DigestRepo, DigestSchedule } from '../db/digest-repo.ts';
import type { StoryRepo } from '../db/story-repo.ts';
import { buildDigest, type Digest, type DigestOptions } from './digest-builder.ts';
import { assertTimeZone, localParts, nextRunAfter, parseClock } from './schedule-time.ts';

export type DigestOutcome = { kind: 'digest'; digest: Digest } | { kind: 'empty'; since: string };

export interface DigestService {
  /** The top stories a guild's sources added since `sinceRaw` (default: the last digest, or 24 h). */
  now(guildId: string, sinceRaw?: string | null): DigestOutcome;
  schedule(input: {
    guildId: string;
    channelId: string;
    time: string;
    timeZone?: string | null;
    frequency?: DigestFrequency | null;
    createdBy: string | null;
  }): DigestSchedule;
  off(guildId: string): DigestSchedule;
  get(guildId: string): DigestSchedule | undefined;
  /** Schedules whose run is due at `now` (not paused). */
  due(now: number): DigestSchedule[];
  /** Moves a schedule past `now` after it ran (a missed run is posted once, not once per missed day). */
  markRan(guildId: string, ranAt: number): DigestSchedule | undefined;
  pause(guildId: string, reason: string): void;
}

export interface DigestServiceDeps {
  stories: StoryRepo;
  digests: DigestRepo;
  /** Whether the guild sees any source at all (its own or a global one). */
  hasSources(guildId: string): boolean;
  idf(terms: string[]): Map<string, number>;
  options?: Partial<DigestOptions>;
  now?: () => number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Articles published more than this before `since` are archive, not news, even when just fetched. */
const ARCHIVE_SLACK_DAYS = 7;

/** `since` as users type it: a span ("12h", "3d", "2w") or a date/time ("2024-11-01", "2024-11-01T08:00"), as an instant. */
export function parseSinceInstant(raw: string, now: number): number {
  const s = raw.trim().toLowerCase();
  const rel = /^(\d{1,4})\s*(h|hours?|d|days?|w|weeks?)$/.exec(s);
  if (rel) {
    const n = Number(rel[1]);
    const unit = rel[2]!.startsWith('h') ? HOUR_MS : rel[2]!.startsWith('w') ? 7 * DAY_MS : DAY_MS;
    return now - n * unit;
  }
  if (/^\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2})?$/.test(s)) {
    const t = Date.parse(s.length === 10 ? `${s}T00:00:00Z` : `${s.replace(' ', 't').toUpperCase()}:00Z`);
    if (!Number.isNaN(t)) {
      if (t > now) throw new UserError('bad-input', `"since" ${raw} is in the future.`);
      return t;
    }
  }
  throw new UserError('bad-input', `"since" takes a span such as 12h, 3d or 2w, or a date such as 2024-11-01 (got "${raw}").`);
}

export function createDigestService(deps: DigestServiceDeps): DigestService {
  const clock = deps.now ?? Date.now;

  function now(guildId: string, sinceRaw?: string | null): DigestOutcome {
    if (!deps.hasSources(guildId)) {
      throw new UserError('not-found', 'This server tracks no sources yet, so there is nothing to digest. An admin can add one with /sources add.');
    }
    const t = clock();
    const last = deps.digests.lastRun(guildId);
    const sinceMs = sinceRaw?.trim() ? parseSinceInstant(sinceRaw, t) : last ? Date.parse(last) : t - DAY_MS;
    const since = new Date(sinceMs).toISOString();
    const minPublished = new Date(sinceMs - ARCHIVE_SLACK_DAYS * DAY_MS).toISOString().slice(0, 10);
    const articles = deps.stories.addedSince(guildId, since, minPublished);
    const digest = buildDigest(articles, since, deps.idf, deps.options);
    deps.digests.recordRun(guildId, new Date(t).toISOString(), since, digest.stories.length);
    return digest.stories.length ? { kind: 'digest', digest } : { kind: 'empty', since };
  }

  function schedule(input: Parameters<DigestService['schedule']>[0]): DigestSchedule {
    const timeZone = assertTimeZone(input.timeZone);
    const { text: time } = parseClock(input.time);
    const frequency = input.frequency ?? 'daily';
    if (frequency !== 'daily' && frequency !== 'weekly') throw new UserError('bad-input', 'frequency is daily or weekly.');
    const t = clock();
    // Weekly digests fall on the weekday the schedule was made (in its own time zone).
    const weekday = frequency === 'weekly' ? localParts(t, timeZone).weekday : null;
    const nextRunAt = new Date(nextRunAfter({ time, timeZone, frequency, weekday }, t)).toISOString();
    return deps.digests.upsertSchedule({
      guildId: input.guildId,
      channelId: input.channelId,
      time,
      timeZone,
      frequency,
      weekday,
      nextRunAt,
      createdBy: input.createdBy,
      at: new Date(t).toISOString(),
    });
  }

  return {
    now,
    schedule,
    off(guildId) {
      const s = deps.digests.schedule(guildId);
      if (!s || !deps.digests.removeSchedule(guildId)) throw new UserError('not-found', 'This server has no digest schedule. /digest schedule sets one.');
      return s;
    },
    get: (guildId) => deps.digests.schedule(guildId),
    due(t) {
      return deps.digests.schedules().filter((s) => !s.pausedReason && Date.parse(s.nextRunAt) <= t);
    },
    markRan(guildId, ranAt) {
      const s = deps.digests.schedule(guildId);
      if (!s) return undefined;
      deps.digests.ran(guildId, new Date(ranAt).toISOString(), new Date(nextRunAfter(s, ranAt)).toISOString());
      return deps.digests.schedule(guildId);
    },
    pause(guildId, reason) {
      deps.digests.pauseSchedule(guildId, reason);
    },
  };
}
