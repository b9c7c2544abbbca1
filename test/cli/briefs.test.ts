import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendText, startFixtureServer, type FixtureServer } from '../fakes/http-server.ts';
import { tempDir } from '../helpers/test-core.ts';
import { runCliAsync as runCli } from '../helpers/run-cli.ts';

// 38 words in three sentences: a news brief, not a full story.
const BRIEF =
  'The Varnholm ferry will stop running on Sundays from January, the operator said on Tuesday. Passenger numbers fell by a third this year. The weekday timetable stays the same, and season tickets will be refunded on request.';

const briefPage = `<!doctype html><html><head><title>Varnholm ferry drops Sunday service</title></head>
<body><article><h1>Varnholm ferry drops Sunday service</h1><p>${BRIEF}</p></article></body></html>`;

function feed(base: string, items: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Varnholm Gazette</title><link>${base}/</link><description>News</description>${items}</channel></rss>`;
}

const fullTextItems = (base: string) =>
  [1, 2]
    .map(
      (n) => `<item><title>Harbour brief ${n}</title><link>${base}/articles/${n}</link><guid>${base}/articles/${n}</guid>
<pubDate>Mon, 0${n} Dec 2024 09:00:00 GMT</pubDate><description>Short teaser ${n}.</description>
<content:encoded><![CDATA[<p>The harbour office in Varnholm opened berth ${n} for cargo ships on Monday morning.</p><p>Dock workers said the new crane for berth ${n} can lift twice as much as the old one.</p>]]></content:encoded></item>`,
    )
    .join('\n');

const teaserItems = (base: string) => `<item><title>Teaser</title><link>${base}/listing</link><description>Read more.</description></item>`;

const listingPage = '<!doctype html><html><head><title>All news</title></head><body><p>Nothing to see.</p></body></html>';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer({
    '/brief.html': (_q, res) => sendText(res, 200, briefPage, 'text/html'),
    '/full.xml': (_q, res) => sendText(res, 200, feed(server.url, fullTextItems(server.url)), 'application/rss+xml'),
    '/teasers.xml': (_q, res) => sendText(res, 200, feed(server.url, teaserItems(server.url)), 'application/rss+xml'),
    '/listing': (_q, res) => sendText(res, 200, listingPage, 'text/html'),
  });
});
afterAll(() => server?.close());

const env = { NEWSDESK_FETCH_ALLOWLIST: '127.0.0.1', NEWSDESK_RESPECT_ROBOTS: 'false' };

describe('short briefs and full-text feeds', async () => {
  it('accepts a two-sentence brief page under the one article rule', async () => {
    const dataDir = tempDir();
    const r = await runCli(['ingest', `${server.url}/brief.html`], { dataDir, env });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/1 added/);
  });

  it('uses feed items that carry their full text without fetching their pages', async () => {
    const dataDir = tempDir();
    const before = server.requests.length;
    const r = await runCli(['sources', 'add', `${server.url}/full.xml`], { dataDir, env });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Tracking #1 Varnholm Gazette \(feed\): 2 new articles/);
    const paths = server.requests.slice(before).map((q) => q.path);
    expect(paths).toEqual(['/full.xml']);
  });

  it('refuses a feed whose items are all unreadable, says why, and tracks nothing', async () => {
    const dataDir = tempDir();
    const r = await runCli(['sources', 'add', `${server.url}/teasers.xml`], { dataDir, env });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Nothing could be read from .*teasers\.xml, so it is not tracked\. 1 item skipped: Teaser \(.*too little text/);
    expect(JSON.parse((await runCli(['sources', 'list', '--json'], { dataDir })).out)).toEqual([]);
  });
});
