import type { Logger } from '../logger.ts';
import type { DigestSchedule } from '../db/digest-repo.ts';
import type { DigestOutcome, DigestService } from './digest-service.ts';
import type { PostOutcome } from '../watches/watch-service.ts';

/** Time, injectable: tests drive the scheduler with a fake clock. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface DigestScheduler {
  /** Posts missed runs once, then checks every `tickMs`. Idempotent. */
  start(): void;
  /** Stops the timer and waits for a run in progress; nothing starts afterwards. */
  stop(): Promise<void>;
  /** One pass: every schedule due now (plus its jitter) is run; resolves with how many were posted. */
  runDue(): Promise<number>;
}

export interface DigestSchedulerDeps {
  digests: Pick<DigestService, 'due' | 'now' | 'markRan' | 'pause'>;
  post(schedule: DigestSchedule, outcome: DigestOutcome): Promise<PostOutcome>;
  clock?: Clock;
  /** How often due-ness is checked. */
  tickMs?: number;
  /** Each guild's run is delayed by a stable offset below this, so guilds on the same minute spread out. */
  jitterMs?: number;
  logger: Logger;
}

export const DIGEST_SCHEDULER_DEFAULTS = {
  tickMs: 30_000, // 30 s
  jitterMs: 60_000, // up to 1 min after the hour
};

/** A stable offset in [0, max) per guild (FNV-1a of the id). */
export function jitterFor(guildId: string, max: number): number {
  let h = 0x811c9dc5;
  for (const ch of guildId) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return max > 0 ? h % max : 0;
}

/**
 * Posts scheduled digests from inside the bot process, in the poll scheduler's manner: a timer that
 * checks what is due, jitter so that guilds do not all post at once, a missed run (the bot was down)
 * posted once on start and then the schedule moves to its next future time, a graceful stop.
 */
export function createDigestScheduler(deps: DigestSchedulerDeps): DigestScheduler {
  const clock = deps.clock ?? systemClock;
  const tickMs = deps.tickMs ?? DIGEST_SCHEDULER_DEFAULTS.tickMs;
  const jitterMs = deps.jitterMs ?? DIGEST_SCHEDULER_DEFAULTS.jitterMs;
  const log = deps.logger.child({ module: 'digest-scheduler' });
  let timer: unknown = null;
  let stopped = false;
  let started = false;
  let running: Promise<number> | null = null;

  async function pass(): Promise<number> {
    let posted = 0;
    const t = clock.now();
    for (const s of deps.digests.due(t)) {
      if (stopped) break;
      if (Date.parse(s.nextRunAt) + jitterFor(s.guildId, jitterMs) > t) continue;
      try {
        const outcome = deps.digests.now(s.guildId);
        const result = await deps.post(s, outcome);
        if (result.kind === 'forbidden') {
          deps.digests.pause(s.guildId, result.reason);
          log.warn('digest schedule paused', { guildId: s.guildId, reason: result.reason });
        } else if (result.kind === 'failed') {
          log.warn('digest post failed', { guildId: s.guildId, reason: result.reason });
        } else posted++;
      } catch (err) {
        log.warn('digest run failed', { guildId: s.guildId, err });
      }
      // Whatever happened, the schedule moves on: a failing run is not retried every tick.
      deps.digests.markRan(s.guildId, clock.now());
      log.info('digest run', { guildId: s.guildId, channelId: s.channelId, scheduledFor: s.nextRunAt });
    }
    return posted;
  }

  function runDue(): Promise<number> {
    if (stopped) return Promise.resolve(0);
    // One pass at a time: a slow post never lets a second pass post the same digest.
    if (!running) running = pass().finally(() => (running = null));
    return running;
  }

  function loop(): void {
    if (stopped) return;
    timer = clock.setTimeout(() => {
      void runDue()
        .catch((err: unknown) => log.error('digest pass failed', { err }))
        .finally(loop);
    }, tickMs);
  }

  return {
    start() {
      if (started || stopped) return;
      started = true;
      // Catch-up: anything whose time passed while the bot was down runs now, once.
      void runDue()
        .catch((err: unknown) => log.error('digest pass failed', { err }))
        .finally(loop);
    },
    async stop() {
      stopped = true;
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      if (running) await running.catch(() => undefined);
    },
    runDue,
  };
}
