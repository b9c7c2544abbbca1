import path from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../logger.ts';

/**
 * Which one of the processes sharing a store does the work that must happen once: polling sources,
 * posting scheduled digests and topic alerts. Every process asks; one holds it; when the holder dies
 * another takes over within a few seconds (`retryMs`). Questions are answered by every process.
 */
export interface Leadership {
  /** How the lock is held, for logs and `doctor`: `lock-file` (SQLite, one machine) or `advisory-lock` (PostgreSQL). */
  readonly kind: 'lock-file' | 'advisory-lock';
  isLeader(): boolean;
  /** Resolves once the first try for the lock has finished (at once for the lock file; a round trip on PostgreSQL). */
  ready(): Promise<void>;
  /** Called with `true` when this process becomes the leader and `false` when it stops being it; returns an unsubscribe. */
  onChange(listener: (leader: boolean) => void): () => void;
  /** Gives the lock up (a standby takes over at its next try) and stops trying. */
  stop(): Promise<void>;
}

export interface LeadershipOptions {
  /** How often a standby tries to take the lock (and the holder checks it still holds it). Default 2 s. */
  retryMs?: number;
  logger: Logger;
}

export const LEADERSHIP_DEFAULTS = { retryMs: 2_000 };
export const LEADER_LOCK_FILE = 'leader.lock';

/**
 * Calls listeners on every change of `leader`; a listener's error is logged, never thrown into the
 * lock's timer. Shared by both implementations.
 */
export function leaderState(log: Logger): { get(): boolean; set(leader: boolean): void; onChange: Leadership['onChange'] } {
  let leader = false;
  const listeners = new Set<(leader: boolean) => void>();
  return {
    get: () => leader,
    set(next) {
      if (next === leader) return;
      leader = next;
      log.info(next ? 'became the leader' : 'no longer the leader', { pid: process.pid });
      for (const l of listeners) {
        try {
          l(next);
        } catch (err) {
          log.error('leadership listener failed', { err });
        }
      }
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * SQLite: one machine. The lock is an exclusive SQLite lock (`BEGIN EXCLUSIVE`, a POSIX `fcntl` lock)
 * on a small file of its own beside the store, held for as long as this process leads. The kernel
 * drops it when the process dies, however it dies (SIGKILL, OOM), so there is no stale pid to judge,
 * no pid reuse to fool it, and no window in which two standbys both take over a dead holder's lock.
 */
export function openFileLeadership(dataDir: string, opts: LeadershipOptions): Leadership {
  const log = opts.logger.child({ module: 'leadership' });
  const retryMs = opts.retryMs ?? LEADERSHIP_DEFAULTS.retryMs;
  const file = path.join(dataDir, LEADER_LOCK_FILE);
  const state = leaderState(log);
  let db: Database.Database | null = null;
  let stopped = false;

  function attempt(): void {
    if (stopped || db) return;
    const conn = new Database(file, { timeout: 0 });
    try {
      conn.exec('BEGIN EXCLUSIVE');
      db = conn;
      state.set(true);
    } catch (err) {
      conn.close();
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') log.warn('could not try the leader lock', { file, err });
    }
  }

  attempt();
  const timer = setInterval(attempt, retryMs);
  timer.unref();
  return {
    kind: 'lock-file',
    isLeader: state.get,
    ready: () => Promise.resolve(),
    onChange: state.onChange,
    async stop() {
      stopped = true;
      clearInterval(timer);
      state.set(false);
      db?.close(); // closing rolls the transaction back and releases the lock
      db = null;
    },
  };
}
