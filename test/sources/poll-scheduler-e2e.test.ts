import type http from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sendText, startFixtureServer, type FixtureServer } from '../fakes/http-server.ts';
import { openApp, type App } from '../../src/app.ts';
import { createFetcher } from '../../src/fetch/fetcher.ts';
import { silentLogger } from '../../src/logger.ts';
import { limitFetcherPerHost } from '../../src/fetch/host-limiter.ts';
import { createPollScheduler } from '../../src/sources/poll-scheduler.ts';
import { ATOM, HTML, openCore, renderFixture, sleep, sourcesConfig, waitFor } from './support.ts';
import { probeStore } from '../helpers/store.ts';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

let server: FixtureServer | undefined;
let core: App | undefined;

afterEach(async () => {
  vi.useRealTimers();
  await core?.close();
  await server?.close();
  core = undefined;
  server = undefined;
});

function rss(title: string, links: Array<{ title: string; url: string }>): string {
  const items = links.map((l) => `<item><title>${l.title}</title><link>${l.url}</link><guid>${l.url}</guid></item>`).join('\n');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title><link>http://x/</link>\n${items}\n</channel></rss>`;
}

describe('poll scheduler against loopback servers', () => {
  it('keeps to the global concurrency limit and to one request at a time per host', async () => {
    // Three "hosts" (all loopback) with two feeds each; every feed links to a new page on its own
    // host and on the next host each poll, so polls compete for hosts at the request level too.
    const hosts = ['alpha.test', 'beta.test', 'gamma.test'];
    const inFlight = new Map<string, number>();
    const maxPerHost = new Map<string, number>();
    let global = 0;
    let maxGlobal = 0;
    const polls = new Map<string, number>();
    const handler = async (req: http.IncomingMessage, res: http.ServerResponse) => {
      const [host, port] = req.headers.host!.split(':') as [string, string];
      inFlight.set(host, (inFlight.get(host) ?? 0) + 1);
      maxPerHost.set(host, Math.max(maxPerHost.get(host) ?? 0, inFlight.get(host)!));
      maxGlobal = Math.max(maxGlobal, ++global);
      await sleep(25);
      // Counted down before the last byte leaves, so the client cannot overlap the next request.
      inFlight.set(host, inFlight.get(host)! - 1);
      global--;
      const path = req.url!;
      if (path.startsWith('/feed/')) {
        const key = `${host}${path}`;
        const k = (polls.get(key) ?? 0) + 1;
        polls.set(key, k);
        const next = hosts[(hosts.indexOf(host) + 1) % hosts.length]!;
        const id = path.replace(/\W/g, '');
        sendText(
          res,
          200,
          rss(`${host} ${path}`, [
            { title: `own ${k}`, url: `http://${host}:${port}/page/${id}-${k}.html` },
            { title: `cross ${k}`, url: `http://${next}:${port}/page/${host}-${id}-${k}.html` },
          ]),
          'application/rss+xml',
        );
      } else sendText(res, 200, renderFixture('article-harbor-bridge.html', req), HTML);
    };
    server = await startFixtureServer(handler);
    const config = sourcesConfig({ NEWSDESK_POLL_CONCURRENCY: '2' });
    const fetcher = limitFetcherPerHost(createFetcher(config.fetch, { resolve: async () => [{ address: '127.0.0.1', family: 4 }] }));
    core = await openApp(config, { fetcher });
    for (const h of hosts) for (const f of ['one', 'two']) await core.sources.addUrl(`http://${h}:${server.port}/feed/${f}.xml`, { guildId: null });
    maxPerHost.clear();
    maxGlobal = 0;
    const before = server.requests.length;

    const scheduler = createPollScheduler(core, config, silentLogger, { now: () => Date.now() + DAY });
    const summary = await scheduler.pollDue();

    expect(summary).toMatchObject({ polled: 6, failed: 0 });
    expect(server.requests.length - before).toBe(6 * 3); // a feed and two new pages per source
    expect([...maxPerHost.values()]).toEqual([1, 1, 1]);
    expect(maxGlobal).toBe(2);
  });

  it('polls each source when due on its own interval, with ±10 % jitter, on an injected clock', async () => {
    // Date is faked too, so the next-poll times the source service writes follow the same clock.
    vi.useFakeTimers({ toFake: ['Date'] });
    let clock = Date.parse('2024-06-01T12:00:00Z');
    vi.setSystemTime(clock);
    const etag = '"v1"';
    server = await startFixtureServer((req, res) => {
      if (req.headers['if-none-match'] === etag) res.writeHead(304).end();
      else sendText(res, 200, renderFixture('atom-full-text.xml', req), ATOM, { etag });
    });
    core = await openCore({ NEWSDESK_POLL_INTERVAL_MIN: '15' });
    const ids: number[] = [];
    for (let i = 1; i <= 10; i++) ids.push((await core.sources.addUrl(`${server.url}/feed/${i}.atom`, { guildId: null })).source.id);
    const hourly = ids.at(-1)!;
    probeStore(core).run('UPDATE sources SET poll_interval_min = 60 WHERE id = ?', hourly);

    const ratios = core.sources.list().map((s) => (Date.parse(s.nextPollAt!) - Date.parse(s.lastSuccessAt!)) / (15 * MIN));
    for (const r of ratios) {
      expect(r).toBeGreaterThanOrEqual(0.9);
      expect(r).toBeLessThanOrEqual(1.1);
    }
    expect(new Set(ratios).size).toBeGreaterThan(5);

    const scheduler = createPollScheduler(core, core.config, silentLogger, { now: () => clock });
    const at = async (minutes: number) => {
      clock = Date.parse('2024-06-01T12:00:00Z') + minutes * MIN;
      vi.setSystemTime(clock);
      const s = await scheduler.pollDue();
      return s.results.map((r) => r.sourceId).sort((a, b) => a - b);
    };
    const every = ids.slice(0, 9);
    expect(await at(13)).toEqual([]);
    expect(await at(17)).toEqual(ids); // the hourly source was still on its first 15-minute slot
    const h = core.sources.get(hourly)!;
    const wait = (Date.parse(h.nextPollAt!) - Date.parse(h.lastSuccessAt!)) / MIN;
    expect(wait).toBeGreaterThanOrEqual(54);
    expect(wait).toBeLessThanOrEqual(66);
    expect(await at(29)).toEqual([]);
    expect(await at(34)).toEqual(every);
    expect(await at(51)).toEqual(every);
    expect(await at(68)).toEqual(every);
    expect(await at(85)).toEqual(ids);
    // Every re-poll after the first was a conditional GET answered 304.
    expect(core.sources.list().every((s) => s.etag === etag && s.lastError === null)).toBe(true);
  });

  it('stop() waits for the poll in flight and nothing starts afterwards', async () => {
    let slow = false;
    let answeredAt = 0;
    server = await startFixtureServer(async (req, res) => {
      if (slow) await sleep(300);
      answeredAt = Date.now();
      sendText(res, 200, renderFixture('atom-full-text.xml', req), ATOM);
    });
    core = await openCore();
    const { source } = await core.sources.addUrl(`${server.url}/atom.xml`, { guildId: null });
    const firstSuccess = core.sources.get(source.id)!.lastSuccessAt!;
    slow = true;
    const before = server.requests.length;
    const scheduler = createPollScheduler(core, core.config, silentLogger, { now: () => Date.now() + DAY, tickMs: 20 });
    scheduler.start();
    await waitFor(() => server!.requests.length > before);
    await scheduler.stop();
    const stoppedAt = Date.now();
    expect(stoppedAt).toBeGreaterThanOrEqual(answeredAt);
    expect(answeredAt).toBeGreaterThan(0);
    expect(core.sources.get(source.id)!.lastSuccessAt! > firstSuccess).toBe(true);
    const count = server.requests.length;
    await sleep(100);
    expect(server.requests.length).toBe(count);
    expect((await scheduler.pollDue()).polled).toBe(0);
    scheduler.start(); // no effect once stopped
    await sleep(60);
    expect(server.requests.length).toBe(count);
  });
});
