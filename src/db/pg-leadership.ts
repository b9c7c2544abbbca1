import pg from 'pg';
import { LEADERSHIP_DEFAULTS, leaderState, type Leadership, type LeadershipOptions } from './leadership.ts';
import { LEADER_LOCK } from './pg/locks.ts';
import { describePgTarget, pgTarget } from './pg/open-pg.ts';

/** The advisory lock key of the leader (`pg_try_advisory_lock`), kept with the other keys in `pg/locks.ts`. */
export const LEADER_LOCK_KEY = LEADER_LOCK;

/**
 * How long a check on the lock connection may take before the connection counts as dead. Generous:
 * the store's synchronous client blocks this thread during long statements, and a check answered
 * late because of that must not count as a dead network.
 */
const CHECK_TIMEOUT_MS = 10_000;

/**
 * PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) on a dedicated connection of its
 * own (async `pg`, not the store's connection), tried every `retryMs`. The lock lives as long as the
 * session: when the holder dies (SIGKILL included) its socket closes, the server ends the session and
 * drops the lock, and a standby's next try takes it. TCP keep-alive plus a `SELECT 1` every `retryMs`
 * on the holder's side notice a dead network: a holder whose check fails stops leading at once (it
 * steps down before the server, which notices through its own keep-alive, lets a standby in).
 */
export function openPgLeadership(url: string, opts: LeadershipOptions & { key?: number }): Leadership {
  const log = opts.logger.child({ module: 'leadership' });
  const retryMs = opts.retryMs ?? LEADERSHIP_DEFAULTS.retryMs;
  const key = opts.key ?? LEADER_LOCK_KEY;
  const where = describePgTarget(pgTarget(url));
  const state = leaderState(log);
  let client: pg.Client | null = null;
  let busy = false;
  let stopped = false;
  let warned = false;

  function drop(c: pg.Client, why: string, err?: unknown): void {
    if (client !== c) return;
    client = null;
    if (state.get()) log.warn('lost the leader lock connection', { where, why, err });
    state.set(false);
    c.end().catch(() => undefined);
  }

  async function connect(): Promise<pg.Client> {
    const c = new pg.Client({
      connectionString: url,
      application_name: 'newsdesk-leader',
      keepAlive: true,
      keepAliveInitialDelayMillis: 5_000,
      connectionTimeoutMillis: CHECK_TIMEOUT_MS,
      query_timeout: CHECK_TIMEOUT_MS,
    });
    c.on('error', (err) => drop(c, 'connection error', err));
    c.on('end', () => drop(c, 'connection closed'));
    await c.connect();
    return c;
  }

  async function attempt(): Promise<void> {
    if (stopped || busy) return;
    busy = true;
    try {
      if (!client) {
        const fresh = await connect();
        if (stopped) {
          await fresh.end().catch(() => undefined);
          return;
        }
        client = fresh;
        warned = false;
      }
      const c = client;
      if (state.get()) {
        await c.query('SELECT 1'); // still connected, so still holding the lock
      } else {
        const r = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [key]);
        if (stopped) return;
        if (r.rows[0]?.ok) state.set(true);
      }
    } catch (err) {
      if (client) drop(client, 'check failed', err);
      // Once per outage, not every 2 s.
      else if (!warned) log.warn('cannot reach PostgreSQL for the leader lock; retrying', { where, err });
      warned = true;
    } finally {
      busy = false;
    }
  }

  const first = attempt();
  const timer = setInterval(() => void attempt(), retryMs);
  timer.unref();
  return {
    kind: 'advisory-lock',
    isLeader: state.get,
    ready: () => first,
    onChange: state.onChange,
    async stop() {
      stopped = true;
      clearInterval(timer);
      const c = client;
      client = null;
      state.set(false);
      if (!c) return;
      // Ending the session releases the lock; unlocking first makes it explicit.
      await c.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
      await c.end().catch(() => undefined);
    },
  };
}
