import type { Leadership } from '../db/leadership.ts';
import type { Logger } from '../logger.ts';

/** Work that runs only in the leader: the poll scheduler, the digest scheduler, topic alerts. */
export interface LeaderService {
  start(): void;
  stop(): void | Promise<void>;
}

/**
 * Runs `make()`'s services while this process leads and stops them when it stops leading (its lock
 * connection died) — fresh ones on each term, since a stopped scheduler does not restart. `stop()`
 * stops the services first and then gives the lock up, so a standby never overlaps a poll in progress.
 */
export function whileLeader(leadership: Leadership, make: () => LeaderService[], logger: Logger): { start(): void; stop(): Promise<void> } {
  const log = logger.child({ module: 'leadership' });
  let running: LeaderService[] = [];
  let stopping: Promise<void> = Promise.resolve();
  let unsubscribe: (() => void) | null = null;
  let stopped = false;

  async function stopRunning(): Promise<void> {
    const services = running;
    running = [];
    await Promise.allSettled(services.map((s) => Promise.resolve(s.stop()).catch((err: unknown) => log.warn('service did not stop cleanly', { err }))));
  }

  function onChange(leader: boolean): void {
    if (stopped) return;
    if (leader) {
      // A term that ended is fully stopped before the next begins.
      void stopping.then(() => {
        if (stopped || !leadership.isLeader() || running.length > 0) return;
        running = make();
        for (const s of running) s.start();
      });
    } else {
      stopping = stopping.then(stopRunning);
    }
  }

  return {
    start() {
      if (unsubscribe || stopped) return;
      unsubscribe = leadership.onChange(onChange);
      if (leadership.isLeader()) onChange(true);
      else log.info('standing by: another process is the leader (polls, digests, alerts)', { lock: leadership.kind });
    },
    async stop() {
      stopped = true;
      unsubscribe?.();
      await stopping;
      await stopRunning();
      await leadership.stop();
    },
  };
}
