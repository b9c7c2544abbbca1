import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.ts';
import type { App } from '../../src/app.ts';
import type { DigestSchedule } from '../../src/db/digest-repo.ts';
import { createDigestScheduler, jitterFor } from '../../src/digest/digest-scheduler.ts';
import { nextRunAfter } from '../../src/digest/schedule-time.ts';
import { SEED_DIR, openTestCore } from '../helpers/test-core.ts';
import { manualClock } from '../watches/news-harness.ts';

const DAY = 86_400_000;
const settle = () => new Promise((r) => setTimeout(r, 20));

let core: App | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
});

async function withSchedule(): Promise<App> {
  core = await openTestCore();
  await core.sources.addPath(SEED_DIR);
  core.digests.schedule({ guildId: 'g1', channelId: 'c1', time: '08:00', timeZone: 'Europe/Berlin', createdBy: null });
  return core;
}

describe('digest scheduler (fake clock, real store)', () => {
  it('posts a run missed while the bot was down once on start, then waits for the next time', async () => {
    const app = await withSchedule();
    const first = Date.parse(app.digests.get('g1')!.nextRunAt);
    const clock = manualClock(first + 3 * DAY + 5 * 3_600_000); // three days and five hours late
    const posted: DigestSchedule[] = [];
    const s = createDigestScheduler({
      digests: app.digests,
      clock,
      jitterMs: 0,
      tickMs: 30_000,
      logger: silentLogger,
      post: async (sch) => {
        posted.push(sch);
        return { kind: 'posted', messageId: 'm' };
      },
    });
    s.start();
    await settle();
    expect(posted).toHaveLength(1);
    const next = Date.parse(app.digests.get('g1')!.nextRunAt);
    expect(next).toBe(nextRunAfter({ time: '08:00', timeZone: 'Europe/Berlin', frequency: 'daily', weekday: null }, clock.now()));
    expect(next).toBeGreaterThan(clock.now());
    for (let i = 0; i < 4; i++) {
      clock.advance(30_000);
      await settle();
    }
    expect(posted).toHaveLength(1); // not once per missed day
    clock.advance(next - clock.now() + 1);
    await settle();
    expect(posted).toHaveLength(2);
    await s.stop();
  });

  it('waits for a stable per-server jitter after the scheduled minute', async () => {
    const app = await withSchedule();
    const at = Date.parse(app.digests.get('g1')!.nextRunAt);
    const jitter = jitterFor('g1', 60_000);
    const clock = manualClock(at + jitter - 1);
    let posts = 0;
    const s = createDigestScheduler({
      digests: app.digests,
      clock,
      jitterMs: 60_000,
      logger: silentLogger,
      post: async () => {
        posts++;
        return { kind: 'posted', messageId: 'm' };
      },
    });
    expect(await s.runDue()).toBe(0);
    clock.advance(1);
    expect(await s.runDue()).toBe(1);
    expect(posts).toBe(1);
    expect(jitterFor('g1', 60_000)).toBe(jitter);
  });

  it('stops gracefully: a post in progress finishes, nothing starts afterwards', async () => {
    const app = await withSchedule();
    const clock = manualClock(Date.parse(app.digests.get('g1')!.nextRunAt) + 1);
    let release: () => void = () => {};
    let posts = 0;
    const s = createDigestScheduler({
      digests: app.digests,
      clock,
      jitterMs: 0,
      logger: silentLogger,
      post: () =>
        new Promise((resolve) => {
          posts++;
          release = () => resolve({ kind: 'posted', messageId: 'm' });
        }),
    });
    s.start();
    await settle();
    expect(posts).toBe(1);
    let stopped = false;
    const stopping = s.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    release();
    await stopping;
    clock.advance(10 * DAY);
    await settle();
    expect(posts).toBe(1);
    expect(await s.runDue()).toBe(0);
  });

  it('pauses a schedule whose channel refuses the post', async () => {
    const app = await withSchedule();
    const clock = manualClock(Date.parse(app.digests.get('g1')!.nextRunAt) + 1);
    const s = createDigestScheduler({
      digests: app.digests,
      clock,
      jitterMs: 0,
      logger: silentLogger,
      post: async () => ({ kind: 'forbidden', reason: 'the bot lacks Send Messages in <#c1>' }),
    });
    await s.runDue();
    expect(app.digests.get('g1')!.pausedReason).toBe('the bot lacks Send Messages in <#c1>');
    clock.advance(2 * DAY);
    expect(await s.runDue()).toBe(0);
  });
});
