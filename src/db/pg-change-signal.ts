import pg from 'pg';
import type { Logger } from '../logger.ts';
import { CHANGES_CHANNEL, type ChangeSignal } from './change-signal.ts';
import { describePgTarget, pgTarget } from './pg/open-pg.ts';

export { CHANGES_CHANNEL };

export interface PgChangeSignalOptions {
  logger: Logger;
  /** First reconnect delay; doubles up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * PostgreSQL: a dedicated async connection that `LISTEN`s on {@link CHANGES_CHANNEL}. Notifications
 * are delivered only after the writer's transaction commits, so the rows are visible when we read
 * them. When the connection drops it reconnects with back-off and catches up once connected again.
 */
export function pgChangeSignal(url: string, opts: PgChangeSignalOptions): ChangeSignal {
  const log = opts.logger.child({ module: 'change-signal' });
  const where = describePgTarget(pgTarget(url));
  const firstBackoff = opts.backoffMs ?? 500;
  const maxBackoff = opts.maxBackoffMs ?? 30_000;
  let backoff = firstBackoff;
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = true;
  let pending = false;
  let notify: () => void = () => undefined;

  /** One catch-up per turn of the event loop, however many notifications arrived in it. */
  function signal(): void {
    if (pending || stopped) return;
    pending = true;
    setImmediate(() => {
      pending = false;
      if (!stopped) notify();
    });
  }

  function retryLater(): void {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, backoff);
    timer.unref();
    backoff = Math.min(backoff * 2, maxBackoff);
  }

  async function connect(): Promise<void> {
    if (stopped) return;
    const c = new pg.Client({ connectionString: url, application_name: 'newsdesk-listen', keepAlive: true, keepAliveInitialDelayMillis: 5_000 });
    let lost = false;
    const onLost = (err?: unknown) => {
      if (lost) return;
      lost = true;
      if (client === c) client = null;
      if (!stopped) log.warn('change notifications lost; reconnecting (the change log is still read every few seconds)', { where, err });
      c.end().catch(() => undefined);
      retryLater();
    };
    c.on('error', onLost);
    c.on('end', () => onLost());
    c.on('notification', (n) => {
      if (n.channel === CHANGES_CHANNEL) signal();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (err) {
      onLost(err);
      return;
    }
    if (stopped) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
    backoff = firstBackoff;
    log.info('listening for changes', { where, channel: CHANGES_CHANNEL });
    signal(); // whatever was committed while we were not listening
  }

  return {
    start(onChange) {
      if (!stopped) return;
      stopped = false;
      notify = onChange;
      void connect();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
