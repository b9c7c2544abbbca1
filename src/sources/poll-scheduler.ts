import type { Config } from '../config.ts';
import { isUserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { SourceService } from './source-service.ts';
import type { Source } from '../db/source-repo.ts';
import { hostOf } from '../fetch/host-limiter.ts';

/** What one poll of one source did; one JSON log line each. */
export interface PollResult {
  sourceId: number;
  host: string;
  ok: boolean;
  added: number;
  updated: number;
  alternates: number;
  skipped: number;
  notModified: boolean;
  ms: number;
  error?: string;
  /** Set when this failure paused the source (consecutive failures reached the limit). */
  paused?: boolean;
}

export interface PollSummary {
  polled: number;
  failed: number;
  notModified: number;
  added: number;
  updated: number;
  results: PollResult[];
}

export interface PollScheduler {
  /** Polls what is due now, then checks again every `tickMs`. Idempotent. */
  start(): void;
  /** Stops the timer and waits for polls already running; no new poll starts afterwards. */
  stop(): Promise<void>;
  /** One pass over the sources due now; resolves when every one of them has been polled. */
  pollDue(): Promise<PollSummary>;
}

export interface PollSchedulerOptions {
  now?: () => number;
  /** How often due-ness is checked (default 30 s, or a tenth of a shorter global interval); each source keeps its own interval. */
  tickMs?: number;
}

const DEFAULT_TICK_MS = 30_000; // 30 s

/**
 * Keeps tracked URL sources fresh. Each source is polled when `core.sources.due()` says so (its own
 * interval, or the global one, jittered and backed off by the source service), with at most
 * `config.polling.concurrency` polls at once and at most one poll per host at a time: a source whose
 * host is busy waits while sources on free hosts go ahead. Conditional GET, back-off and pausing
 * after repeated failures happen in `core.sources.refresh`.
 */
export function createPollScheduler(
  core: { sources: Pick<SourceService, 'due' | 'refresh' | 'get'> },
  config: Pick<Config, 'polling'>,
  logger: Logger,
  opts: PollSchedulerOptions = {},
): PollScheduler {
  const log = logger.child({ module: 'poll-scheduler' });
  const now = opts.now ?? Date.now;
  // A tick longer than the poll interval would poll late: check at least ten times per interval (≥ 1 s).
  const tickMs = opts.tickMs ?? Math.max(1_000, Math.min(DEFAULT_TICK_MS, (config.polling.intervalMin * 60_000) / 10));
  const concurrency = Math.max(1, config.polling.concurrency);

  interface Job {
    source: Source;
    host: string;
    done: (r: PollResult) => void;
  }
  const queue: Job[] = [];
  const busyHosts = new Set<string>();
  /** Source ids queued or running: a slow poll is never started twice by overlapping passes. */
  const pending = new Set<number>();
  const inFlight = new Set<Promise<unknown>>();
  let running = 0;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  function pump(): void {
    while (running < concurrency && !stopped) {
      const i = queue.findIndex((j) => !busyHosts.has(j.host));
      if (i < 0) return;
      const [job] = queue.splice(i, 1);
      running++;
      busyHosts.add(job!.host);
      const p = pollOne(job!.source, job!.host).then((r) => {
        running--;
        busyHosts.delete(job!.host);
        pending.delete(job!.source.id);
        inFlight.delete(p);
        job!.done(r);
        pump();
      });
      inFlight.add(p);
    }
  }

  async function pollOne(source: Source, host: string): Promise<PollResult> {
    const started = performance.now();
    const base = { sourceId: source.id, host };
    let result: PollResult;
    try {
      const r = await core.sources.refresh(source.id);
      result = {
        ...base,
        ok: true,
        added: r.report.added,
        updated: r.report.updated,
        alternates: r.report.alternates,
        skipped: r.report.skipped.length,
        notModified: r.notModified === true,
        ms: Math.round(performance.now() - started),
      };
      log.info('poll', { ...result });
    } catch (err) {
      const after = safeGet(source.id);
      result = {
        ...base,
        ok: false,
        added: 0,
        updated: 0,
        alternates: 0,
        skipped: 0,
        notModified: false,
        ms: Math.round(performance.now() - started),
        error: err instanceof Error ? err.message : String(err),
        paused: after ? !after.enabled : undefined,
      };
      // Upstream trouble (a UserError: HTTP 500, refused, timeout) is a warning; anything else is a bug.
      if (isUserError(err)) log.warn('poll', { ...result, code: err.code });
      else log.error('poll', { ...result, err });
    }
    return result;
  }

  function safeGet(id: number): Source | undefined {
    try {
      return core.sources.get(id);
    } catch {
      return undefined;
    }
  }

  async function pollDue(): Promise<PollSummary> {
    const due = stopped ? [] : core.sources.due(new Date(now())).filter((s) => !pending.has(s.id));
    const results = await Promise.all(
      due.map(
        (source) =>
          new Promise<PollResult>((done) => {
            pending.add(source.id);
            queue.push({ source, host: hostOf(source.url), done });
          }),
      ),
    );
    // Pushing all jobs first, then pumping once, lets the dispatcher pick across hosts.
    return summarize(results);
  }

  function summarize(results: PollResult[]): PollSummary {
    return {
      polled: results.length,
      failed: results.filter((r) => !r.ok).length,
      notModified: results.filter((r) => r.notModified).length,
      added: results.reduce((n, r) => n + r.added, 0),
      updated: results.reduce((n, r) => n + r.updated, 0),
      results,
    };
  }

  async function tick(): Promise<void> {
    // Passes may overlap: sources of a pass still running stay in `pending`, so a new tick only
    // adds newly due ones, and one slow source never holds up the rest.
    if (stopped) return;
    try {
      const pass = pollDue();
      pump();
      const s = await pass;
      if (s.polled > 0) log.debug('poll pass', { polled: s.polled, failed: s.failed, added: s.added });
    } catch (err) {
      // Never let a failure escape the timer: log it and try again next tick.
      log.error('poll pass failed', { err });
    }
  }

  return {
    start() {
      if (timer || stopped) return;
      timer = setInterval(() => void tick(), tickMs);
      timer.unref?.();
      void tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      // Queued but not started polls are answered as "not polled" so their passes finish.
      for (const job of queue.splice(0)) {
        pending.delete(job.source.id);
        job.done({
          sourceId: job.source.id,
          host: job.host,
          ok: false,
          added: 0,
          updated: 0,
          alternates: 0,
          skipped: 0,
          notModified: false,
          ms: 0,
          error: 'scheduler stopped',
        });
      }
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async pollDue() {
      const pass = pollDue();
      pump();
      return pass;
    },
  };
}
