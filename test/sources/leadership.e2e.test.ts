import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sendText, startFixtureServer, type FixtureServer } from '../fakes/http-server.ts';
import { harbourFeed } from '../discord/bot-harness.ts';
import { runCliAsync } from '../helpers/run-cli.ts';
import { killAll, spawnNewsdesk } from '../helpers/processes.ts';
import { tempDir } from '../helpers/test-core.ts';

/**
 * Two `newsdesk poll` processes on one SQLite data dir: one leads (the leader lock), the other stands
 * by; SIGKILL the leader and the standby takes over within seconds, and — since when a source is due
 * is kept in the store — never polls a source again before its interval has passed.
 */
const INTERVAL_MIN = 0.1; // 6 s, so the test sees several polls
const INTERVAL_MS = INTERVAL_MIN * 60_000;

let feed: FixtureServer;
/** When the feed was fetched, ms since the epoch. */
const hits: number[] = [];

beforeAll(async () => {
  feed = await startFixtureServer({
    '/feed.xml': (_req, res) => {
      hits.push(Date.now());
      sendText(res, 200, harbourFeed(feed.url), 'application/rss+xml');
    },
  });
});
afterEach(killAll);
afterAll(async () => {
  await feed?.close();
});

describe('one poller among several processes (SQLite, one machine)', () => {
  it('kill -9 the leader: the standby takes over within seconds and polls nothing twice in one interval', async () => {
    const env = {
      NEWSDESK_DATA_DIR: tempDir('newsdesk-leader-'),
      NEWSDESK_FETCH_ALLOWLIST: '127.0.0.1',
      NEWSDESK_RESPECT_ROBOTS: 'false',
      NEWSDESK_SEED: 'false',
      NEWSDESK_POLL_INTERVAL_MIN: String(INTERVAL_MIN),
      NEWSDESK_LOG_LEVEL: 'info',
    };
    const add = await runCliAsync(['sources', 'add', `${feed.url}/feed.xml`], { env });
    expect(add.code, add.err).toBe(0);

    const a = spawnNewsdesk('poll A', ['poll'], env);
    await a.waitFor(/became the leader/);
    const b = spawnNewsdesk('poll B', ['poll'], env);
    await b.waitFor(/standing by: another process is the leader/);
    await a.waitFor(/"msg":"poll"/, 30_000);
    const polledByA = hits.length;
    await a.kill9();

    await b.waitFor(/became the leader/, 15_000);
    await b.waitFor(/"msg":"poll"/, 30_000);
    await b.stop();

    expect(polledByA).toBe(2); // the add, then A's poll one interval later
    expect(hits.length).toBe(3); // then B's, and nothing at the take-over itself
    // Polls stay an interval apart (less the ±10 % jitter) across the hand-over.
    const gaps = hits.slice(1).map((t, i) => t - hits[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(0.85 * INTERVAL_MS);
    expect(b.err).not.toMatch(/"level":"error"/);
  }, 90_000);
});
