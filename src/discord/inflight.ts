/** Work the bot has accepted and not finished: interactions and mention replies. */
export interface Inflight {
  /** True once shutdown began: new work is refused politely. */
  readonly closing: boolean;
  readonly size: number;
  /**
   * True once drain has told the users of unfinished jobs that we stopped: whatever those jobs still
   * produce (a late answer, or an error after the store closed) must not reach Discord — users are
   * told once.
   */
  readonly abandoned: boolean;
  /** Tracks `job`; `abandon` tells the user we stopped if the job outlives the shutdown grace period. */
  track(job: Promise<unknown>, abandon: () => Promise<unknown>): void;
  /** Refuses new work, waits up to `graceMs` for running jobs, then abandons the rest. */
  drain(graceMs: number): Promise<{ finished: number; abandoned: number }>;
}

export const SHUTDOWN_MESSAGE = 'Newsdesk is restarting and could not finish this one. Please try again in a minute.';

export function createInflight(): Inflight {
  const jobs = new Map<Promise<unknown>, () => Promise<unknown>>();
  let closing = false;
  let abandoned = false;
  return {
    get closing() {
      return closing;
    },
    get abandoned() {
      return abandoned;
    },
    get size() {
      return jobs.size;
    },
    track(job, abandon) {
      const settled = job.then(
        () => undefined,
        () => undefined,
      );
      jobs.set(settled, abandon);
      void settled.then(() => jobs.delete(settled));
    },
    async drain(graceMs) {
      closing = true;
      const before = jobs.size;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([Promise.all(jobs.keys()), timeout]);
      clearTimeout(timer);
      const left = [...jobs.values()];
      jobs.clear();
      abandoned = left.length > 0;
      await Promise.allSettled(left.map((abandon) => abandon()));
      return { finished: before - left.length, abandoned: left.length };
    },
  };
}
