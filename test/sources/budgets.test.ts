import { afterEach, describe, expect, it } from 'vitest';
import { sendText, startFixtureServer, type FixtureServer } from '../fakes/http-server.ts';
import type { App } from '../../src/app.ts';
import { formatSourceAdded } from '../../src/discord/format-sources.ts';
import { articlePage, rssFeed } from '../helpers/news-fixtures.ts';
import { HTML, RSS, openCore, sleep } from './support.ts';

/** Time budgets per fetch, failed polls that store nothing, and a cap on each server's sources. */

let server: FixtureServer | undefined;
let core: App | undefined;

afterEach(async () => {
  await core?.close();
  await server?.close();
  core = undefined;
  server = undefined;
});

const TOPICS = ['bridge', 'ferry', 'library', 'orchard', 'quarry', 'brewery', 'lighthouse', 'tramway', 'harbour', 'windmill'];
const PLACES = ['Ashby', 'Brindle', 'Corrow', 'Dunhallow', 'Elsmere', 'Fernwick', 'Gorsedd', 'Holloway', 'Ivybridge', 'Jessop'];
/** Distinct stories (no two are near-duplicates of each other). */
const story = (n: number) =>
  articlePage({
    title: `${PLACES[n]} ${TOPICS[n]} reopens`,
    outlet: 'Slowtown Echo',
    paragraphs: [
      `The ${TOPICS[n]} in ${PLACES[n]} reopened on Tuesday after ${n + 2} years of repairs paid for by the county.`,
      `Residents of ${PLACES[n]} queued from early morning, and the ${TOPICS[n]} keeper ${PLACES[(n + 3) % 10]} Marsh cut the ribbon.`,
      `Work on the ${TOPICS[n]} cost ${n + 1}.${n} million crowns, ${n * 3 + 4} percent more than planned, the ${PLACES[n]} council said.`,
      `Visitors to ${PLACES[n]} can tour the ${TOPICS[n]} on weekends from May, with guided walks led by volunteers from the ${TOPICS[(n + 5) % 10]} society.`,
    ],
  });

const teaserFeed = (base: string, n: number, path: (i: number) => string) =>
  rssFeed(
    'Slowtown Echo',
    `${base}/`,
    Array.from({ length: n }, (_, i) => ({ title: `Slowtown story ${i}`, link: `${base}${path(i)}`, paragraphs: ['A teaser.'] })),
  );

describe('budgets', () => {
  it('stops fetching item pages when the time budget of /sources add runs out, and says what it fetched and skipped', async () => {
    server = await startFixtureServer(async (req, res) => {
      const url = req.url ?? '/';
      if (url === '/feed.xml')
        return sendText(
          res,
          200,
          teaserFeed(`http://${req.headers.host}`, 8, (i) => `/slow/${i}.html`),
          RSS,
        );
      const m = /^\/slow\/(\d+)\.html$/.exec(url);
      if (!m) return sendText(res, 404, 'no');
      await sleep(700); // a slow site: 8 pages would take 5.6 s, the budget allows 2 s
      sendText(res, 200, story(Number(m[1])), HTML);
    });
    core = await openCore({ NEWSDESK_ADD_BUDGET_MS: '2000', NEWSDESK_POLL_BUDGET_MS: '2000' });
    const r = await core.sources.addUrl(`${server.url}/feed.xml`, { guildId: 'g1' });
    expect(r.fetchedPages).toBeGreaterThanOrEqual(1);
    expect(r.skippedForTime).toBeGreaterThanOrEqual(1);
    expect(r.fetchedPages! + r.skippedForTime!).toBe(8);
    expect(r.report.added).toBe(r.fetchedPages);
    const text = formatSourceAdded(r);
    expect(text).toContain(`Fetched ${r.fetchedPages} item page`);
    expect(text).toMatch(/skipped for time/);
    // What was left is fetched by later polls; what is stored is not fetched again.
    const slowPaths = () => server!.requests.filter((q) => q.path.startsWith('/slow/')).map((q) => q.path);
    const firstRun = slowPaths();
    const storedPaths = firstRun.slice(0, r.fetchedPages);
    const again = await core.sources.refresh(r.source.id);
    expect(again.report.added).toBeGreaterThanOrEqual(1);
    const secondRun = slowPaths().slice(firstRun.length);
    for (const p of storedPaths) expect(secondRun).not.toContain(p);
  }, 30_000);

  it('counts a poll whose every item failed as a failure, backs off and pauses the source', async () => {
    let version = 1;
    server = await startFixtureServer((req, res) => {
      const base = `http://${req.headers.host}`;
      if (req.url === '/feed.xml') {
        // First one good story; later only new items whose pages are gone.
        const feed = version === 1 ? teaserFeed(base, 1, () => '/ok.html') : teaserFeed(base, 3, (i) => `/gone/${i}.html`);
        return sendText(res, 200, feed, RSS);
      }
      if (req.url === '/ok.html') return sendText(res, 200, story(1), HTML);
      sendText(res, 404, 'gone');
    });
    core = await openCore({ NEWSDESK_MAX_FAILURES: '2' });
    const r = await core.sources.addUrl(`${server.url}/feed.xml`, { guildId: 'g1' });
    expect(r.report.added).toBe(1);
    version = 2;

    await expect(core.sources.refresh(r.source.id)).rejects.toThrow(/none of the 3 items could be stored/);
    const failed = core.sources.get(r.source.id)!;
    expect(failed).toMatchObject({ consecutiveFailures: 1, enabled: true });
    expect(failed.lastError).toMatch(/none of the 3 items/);
    expect(Date.parse(failed.nextPollAt!)).toBeGreaterThan(Date.now()); // backed off

    await expect(core.sources.refresh(r.source.id)).rejects.toThrow(/none of the 3 items could be stored/);
    const paused = core.sources.get(r.source.id)!;
    expect(paused).toMatchObject({ consecutiveFailures: 2, enabled: false });
    expect(paused.pausedReason).toMatch(/paused after 2 consecutive failures/);
  });

  it('lets one server track at most NEWSDESK_MAX_SOURCES_PER_GUILD sources, with a clear message', async () => {
    server = await startFixtureServer((req, res) => {
      const m = /^\/page\/(\d+)\.html$/.exec(req.url ?? '');
      if (!m) return sendText(res, 404, 'no');
      sendText(res, 200, story(Number(m[1])), HTML);
    });
    core = await openCore({ NEWSDESK_MAX_SOURCES_PER_GUILD: '2' });
    await core.sources.addUrl(`${server.url}/page/1.html`, { guildId: 'g1' });
    await core.sources.addUrl(`${server.url}/page/2.html`, { guildId: 'g1' });
    const requests = server.requests.length;
    await expect(core.sources.addUrl(`${server.url}/page/3.html`, { guildId: 'g1' })).rejects.toMatchObject({
      code: 'limit-reached',
      message: expect.stringMatching(/already tracks 2 sources, the most allowed \(2\).*\/sources remove/),
    });
    expect(server.requests.length).toBe(requests); // refused before fetching anything
    // Re-adding a tracked URL is a refresh, not a new source; other servers and the operator are not limited by g1.
    await core.sources.addUrl(`${server.url}/page/1.html`, { guildId: 'g1' });
    await core.sources.addUrl(`${server.url}/page/3.html`, { guildId: 'g2' });
    await core.sources.addUrl(`${server.url}/page/4.html`, { guildId: null });
    expect(core.sources.list({ kind: 'guild', guildId: 'g1' }).filter((s) => s.guildId === 'g1')).toHaveLength(2);
  });
});
