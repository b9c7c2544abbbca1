import { afterEach, describe, expect, it } from 'vitest';
import { sendText, startFixtureServer, type FixtureServer } from '../fakes/http-server.ts';
import type { App } from '../../src/app.ts';
import { silentLogger } from '../../src/logger.ts';
import { createPollScheduler } from '../../src/sources/poll-scheduler.ts';
import { ATOM, openCore, renderFixture } from './support.ts';

/** Failure back-off, recovery and pausing, driven through the scheduler as the bot would. */

let server: FixtureServer | undefined;
let core: App | undefined;

afterEach(async () => {
  await core?.close();
  await server?.close();
  core = undefined;
  server = undefined;
});

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

/** A feed whose next `failures` answers are HTTP 500. */
async function flakyFeed() {
  const state = { failures: 0 };
  server = await startFixtureServer({
    '/atom.xml': (req, res) => {
      if (state.failures > 0) {
        state.failures--;
        sendText(res, 500, 'database is down');
      } else sendText(res, 200, renderFixture('atom-full-text.xml', req), ATOM);
    },
  });
  return state;
}

describe('source health', () => {
  it('records a 500 with last_error and a backed-off next poll, then resets on success', async () => {
    const state = await flakyFeed();
    core = await openCore({ NEWSDESK_POLL_INTERVAL_MIN: '15' });
    const { source } = await core.sources.addUrl(`${server!.url}/atom.xml`, { guildId: null });
    let clock = Date.now() + DAY;
    const scheduler = createPollScheduler(core, core.config, silentLogger, { now: () => clock });

    state.failures = 2;
    const t1 = Date.now();
    const s1 = await scheduler.pollDue();
    expect(s1).toMatchObject({ polled: 1, failed: 1 });
    expect(s1.results[0]!.error).toMatch(/HTTP 500/);
    let s = core.sources.get(source.id)!;
    expect(s.lastError).toMatch(/atom\.xml answered HTTP 500/);
    expect(s.consecutiveFailures).toBe(1);
    expect(s.enabled).toBe(true);
    // First back-off: one interval (±10 % jitter).
    const wait1 = Date.parse(s.nextPollAt!) - t1;
    expect(wait1).toBeGreaterThanOrEqual(0.9 * 15 * MIN - 1000);
    expect(wait1).toBeLessThanOrEqual(1.1 * 15 * MIN + 1000);
    // Not due again before the back-off has passed.
    expect(core.sources.due(new Date(t1 + 10 * MIN))).toHaveLength(0);

    clock += DAY;
    const t2 = Date.now();
    await scheduler.pollDue();
    s = core.sources.get(source.id)!;
    expect(s.consecutiveFailures).toBe(2);
    // Second back-off doubles.
    const wait2 = Date.parse(s.nextPollAt!) - t2;
    expect(wait2).toBeGreaterThanOrEqual(0.9 * 30 * MIN - 1000);
    expect(wait2).toBeLessThanOrEqual(1.1 * 30 * MIN + 1000);

    clock += DAY;
    const s3 = await scheduler.pollDue();
    expect(s3).toMatchObject({ polled: 1, failed: 0 });
    s = core.sources.get(source.id)!;
    expect(s.lastError).toBeNull();
    expect(s.consecutiveFailures).toBe(0);
    expect(s.pausedReason).toBeNull();
    expect(Date.parse(s.lastSuccessAt!)).toBeGreaterThanOrEqual(t2);
    const wait3 = Date.parse(s.nextPollAt!) - Date.parse(s.lastSuccessAt!);
    expect(wait3).toBeLessThanOrEqual(1.1 * 15 * MIN + 1000);
  });

  it('pauses a source after N consecutive failures and says why; a manual refresh revives it', async () => {
    const state = await flakyFeed();
    core = await openCore({ NEWSDESK_MAX_FAILURES: '3' });
    const { source } = await core.sources.addUrl(`${server!.url}/atom.xml`, { guildId: null });
    let clock = Date.now();
    const scheduler = createPollScheduler(core, core.config, silentLogger, { now: () => clock });

    state.failures = 100;
    for (let i = 1; i <= 3; i++) {
      clock += 2 * DAY; // past any back-off
      const r = await scheduler.pollDue();
      expect(r.polled).toBe(1);
      expect(r.results[0]!.paused).toBe(i === 3);
    }
    const s = core.sources.get(source.id)!;
    expect(s.enabled).toBe(false);
    expect(s.nextPollAt).toBeNull();
    expect(s.pausedReason).toMatch(/paused after 3 consecutive failures; last: .*HTTP 500/);
    expect(s.lastError).toMatch(/HTTP 500/);

    // A paused source is not polled, however late it gets.
    const before = server!.requests.length;
    clock += 30 * DAY;
    expect((await scheduler.pollDue()).polled).toBe(0);
    expect(server!.requests.length).toBe(before);

    // An admin's refresh after the site is fixed resumes polling.
    state.failures = 0;
    const r = await core.sources.refresh(source.id);
    expect(r.source).toMatchObject({ enabled: true, pausedReason: null, consecutiveFailures: 0, lastError: null });
  });
});
