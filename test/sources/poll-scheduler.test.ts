import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { UserError } from '../../src/errors.ts';
import { createLogger, silentLogger } from '../../src/logger.ts';
import { createPollScheduler } from '../../src/sources/poll-scheduler.ts';
import type { Source } from '../../src/db/source-repo.ts';

/** Scheduler behaviour that needs no network: logging, error containment, dispatch order. */

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting for a condition');
    await sleep(5);
  }
}

/** A stand-in for core.sources, for behaviour that needs no network. */
function fakeCore(opts: { due?: () => Source[]; refresh?: (id: number) => Promise<unknown> }) {
  const sources = {
    due: opts.due ?? (() => []),
    refresh: opts.refresh ?? (async () => ({ report: { added: 0, updated: 0, alternates: 0, skipped: [] }, notModified: true })),
    get: (id: number) => ({ id, enabled: true }),
  };
  return { sources } as unknown as Pick<App, 'sources'>;
}

const src = (id: number, url: string) => ({ id, url }) as Source;
const POLLING = { polling: { intervalMin: 15, concurrency: 4, maxFailures: 5, maxItemsPerPoll: 50 } };

describe('poll scheduler', () => {
  it('logs one JSON line per poll with source id, host, added, notModified, ms and error', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', write: (l) => lines.push(l) });
    const core = fakeCore({
      due: () => [src(1, 'http://one.example/feed'), src(2, 'http://two.example/feed')],
      refresh: async (id) => {
        if (id === 2) throw new UserError('fetch-failed', 'http://two.example/feed answered HTTP 503.');
        return { report: { added: 3, updated: 0, alternates: 0, skipped: [] }, notModified: false };
      },
    });
    const s = await createPollScheduler(core, POLLING, logger).pollDue();
    expect(s).toMatchObject({ polled: 2, failed: 1, added: 3 });
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toHaveLength(2);
    expect(records.find((r) => r.sourceId === 1)).toMatchObject({ msg: 'poll', level: 'info', host: 'one.example', added: 3, notModified: false, ok: true });
    expect(records.find((r) => r.sourceId === 2)).toMatchObject({
      msg: 'poll',
      level: 'warn',
      host: 'two.example',
      ok: false,
      error: 'http://two.example/feed answered HTTP 503.',
      code: 'fetch-failed',
    });
    for (const r of records) expect(typeof r.ms).toBe('number');
  });

  it('never throws out of the timer: a failing pass or a bug in a poll is logged and the next tick runs', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', write: (l) => lines.push(l) });
    let calls = 0;
    const core = fakeCore({
      due: () => {
        calls++;
        if (calls % 2 === 1) throw new Error('database is locked');
        return [src(7, 'http://bug.example/feed')];
      },
      refresh: async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'items')");
      },
    });
    const scheduler = createPollScheduler(core, POLLING, logger, { tickMs: 5 });
    scheduler.start();
    await waitFor(() => calls >= 4);
    await scheduler.stop();
    const records = lines.map((l) => JSON.parse(l) as { msg: string; level: string; err?: { message: string } });
    expect(records.some((r) => r.msg === 'poll pass failed' && r.level === 'error' && r.err?.message === 'database is locked')).toBe(true);
    expect(records.some((r) => r.msg === 'poll' && r.level === 'error' && r.err?.message.includes('reading'))).toBe(true);
  });

  it('does not start a source twice when passes overlap', async () => {
    let refreshes = 0;
    const core = fakeCore({
      due: () => [src(1, 'http://a.example/f'), src(2, 'http://b.example/f')],
      refresh: async () => {
        refreshes++;
        await sleep(30);
        return { report: { added: 0, updated: 0, alternates: 0, skipped: [] }, notModified: true };
      },
    });
    const scheduler = createPollScheduler(core, POLLING, silentLogger);
    const [a, b] = await Promise.all([scheduler.pollDue(), scheduler.pollDue()]);
    expect(a.polled + b.polled).toBe(2);
    expect(refreshes).toBe(2);
  });

  it('lets sources on free hosts overtake a busy host instead of wasting a slot', async () => {
    const order: string[] = [];
    const core = fakeCore({
      due: () => [src(1, 'http://busy.example/1'), src(2, 'http://busy.example/2'), src(3, 'http://free.example/3')],
      refresh: async (id) => {
        order.push(`start ${id}`);
        await sleep(20);
        order.push(`end ${id}`);
        return { report: { added: 0, updated: 0, alternates: 0, skipped: [] }, notModified: true };
      },
    });
    await createPollScheduler(core, { polling: { ...POLLING.polling, concurrency: 2 } }, silentLogger).pollDue();
    expect(order.slice(0, 2)).toEqual(['start 1', 'start 3']);
    expect(order.indexOf('start 2')).toBeGreaterThan(order.indexOf('end 1'));
  });
});

describe('poll scheduler timer', () => {
  it('keeps polling newly due sources while a slow poll from an earlier tick is still running', async () => {
    const started: number[] = [];
    let slowDone = false;
    let dueNow = [src(1, 'http://slow.example/f')];
    const core = fakeCore({
      due: () => dueNow,
      refresh: async (id) => {
        started.push(id);
        if (id === 1) {
          await sleep(150);
          slowDone = true;
        }
        return { report: { added: 0, updated: 0, alternates: 0, skipped: [] }, notModified: true };
      },
    });
    const scheduler = createPollScheduler(core, POLLING, silentLogger, { tickMs: 10 });
    scheduler.start();
    await waitFor(() => started.includes(1));
    dueNow = [src(1, 'http://slow.example/f'), src(2, 'http://fast.example/f')];
    await waitFor(() => started.includes(2));
    expect(slowDone).toBe(false);
    expect(started.filter((id) => id === 1)).toHaveLength(1);
    await scheduler.stop();
    expect(slowDone).toBe(true);
  });
});
