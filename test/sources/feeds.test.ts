import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sendText, startFixtureServer, type FixtureServer } from '../fakes/http-server.ts';
import type { App } from '../../src/app.ts';
import { ATOM, HTML, JSON_FEED, RSS, openCore, passagesFor, renderFixture, serve } from './support.ts';
import { probeStore } from '../helpers/store.ts';

/** End to end: a feed URL on a loopback server → fetch → parse → follow / extract → store → answer. */

const NEWS_PAGES = {
  '/news/harbor-bridge.html': serve('article-harbor-bridge.html', HTML),
  '/news/solar-farm.html': serve('article-solar-farm.html', HTML),
  '/news/library-hours.html': serve('article-library-hours.html', HTML),
};

let server: FixtureServer | undefined;
let core: App | undefined;

afterEach(async () => {
  await core?.close();
  await server?.close();
  core = undefined;
  server = undefined;
});

function articleRows(nd: App) {
  return probeStore(nd).rows<{
    id: number;
    url: string;
    title: string;
    outlet: string | null;
    author: string | null;
    published: string | null;
    duplicate_of: number | null;
  }>('SELECT id, url, title, outlet, author, published, duplicate_of FROM articles ORDER BY id');
}

describe('feeds', () => {
  it('follows RSS 2.0 items to their article pages and extracts title, outlet, author, date and canonical URL', async () => {
    server = await startFixtureServer({ '/rss.xml': serve('rss2-linked-items.xml', RSS), ...NEWS_PAGES });
    core = await openCore();
    const r = await core.sources.addUrl(`${server.url}/rss.xml`, { guildId: 'g1' });

    expect(r.source.kind).toBe('feed');
    expect(r.source.name).toBe('Calloway Courier');
    expect(r.report.added).toBe(3);
    expect(r.listed).toBe(3);
    expect(r.source.articleCount).toBe(3);
    const rows = articleRows(core);
    const bridge = rows.find((a) => a.title.includes('swing bridge'))!;
    // The utm_* tracking parameters of the feed link are gone from the stored URL.
    expect(bridge.url).toBe(`${server.url}/news/harbor-bridge.html`);
    expect(bridge.outlet).toBe('Calloway Courier');
    expect(bridge.author).toBe('Maren Holt');
    expect(bridge.published).toBe('2024-03-12');
    expect(server.requests.map((q) => q.path.split('?')[0]).sort()).toEqual(
      ['/rss.xml', '/news/harbor-bridge.html', '/news/solar-farm.html', '/news/library-hours.html'].sort(),
    );
    // Navigation and footer are not part of the stored text.
    const text = probeStore(core).value<string>('SELECT text FROM articles WHERE id = ?', bridge.id);
    expect(text).toContain('central pivot bearing');
    expect(text).not.toContain('All rights reserved');

    const answer = await core.ask('How much did the Port Calloway bridge repairs cost?', { guildId: 'g1' });
    expect(answer.answer).toContain('14.2 million');
  });

  it('stores Atom entries that carry full text without fetching their pages', async () => {
    server = await startFixtureServer({ '/atom.xml': serve('atom-full-text.xml', ATOM) });
    core = await openCore();
    const r = await core.sources.addUrl(`${server.url}/atom.xml`, { guildId: null });
    expect(r.source.kind).toBe('feed');
    expect(r.report.added).toBe(2);
    expect(server.requests.map((q) => q.path)).toEqual(['/atom.xml']);
    const rows = articleRows(core);
    expect(rows.map((a) => a.title).sort()).toEqual([
      'Velholm tram line to reach the hospital by 2026',
      'Volunteers pull two tonnes of rubbish from the Dunmere river',
    ]);
    expect(rows.find((a) => a.title.startsWith('Volunteers'))).toMatchObject({ author: 'Ruth Ekholm', published: '2024-05-02' });
    expect((await passagesFor(core, 'How many shopping trolleys came out of the Dunmere river?')).join(' ')).toContain('eleven shopping trolleys');
  });

  it('reads a JSON Feed with content_text and content_html items', async () => {
    server = await startFixtureServer({ '/feed.json': serve('jsonfeed-full-text.json', JSON_FEED) });
    core = await openCore();
    const r = await core.sources.addUrl(`${server.url}/feed.json`, { guildId: null });
    expect(r.report.added).toBe(2);
    expect(r.source.name).toBe('Kestrel Valley Times');
    const rows = articleRows(core);
    expect(rows.find((a) => a.title.startsWith('Late frost'))).toMatchObject({
      url: `${server.url}/2024/04/orchard-frost`,
      published: '2024-04-18',
    });
    // content_html arrives as text: no markup is stored.
    const text = probeStore(core).value<string>("SELECT text FROM articles WHERE title LIKE 'Brackwater pupils%'");
    expect(text).toContain('nicknamed Magpie');
    expect(text).not.toMatch(/<\/?p>/);
  });

  it('refuses malformed XML with a clear error and stores nothing, not even the source', async () => {
    server = await startFixtureServer({ '/broken.xml': serve('malformed.xml', RSS) });
    core = await openCore();
    const err = await core.sources.addUrl(`${server.url}/broken.xml`, { guildId: 'g1' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'UserError', code: 'malformed-feed' });
    expect((err as Error).message).toMatch(/broken\.xml/);
    expect(core.stats()).toMatchObject({ sources: 0, articles: 0, chunks: 0 });
    expect(core.sources.list()).toEqual([]);
  });

  it('costs one request and adds nothing when the feed answers 304 to If-None-Match', async () => {
    const etag = '"courier-v1"';
    server = await startFixtureServer({
      '/rss.xml': (req, res) => {
        if (req.headers['if-none-match'] === etag) res.writeHead(304, { etag }).end();
        else sendText(res, 200, renderFixture('rss2-linked-items.xml', req), RSS, { etag, 'last-modified': 'Fri, 15 Mar 2024 08:00:00 GMT' });
      },
      ...NEWS_PAGES,
    });
    core = await openCore();
    const first = await core.sources.addUrl(`${server.url}/rss.xml`, { guildId: null });
    expect(first.report.added).toBe(3);
    expect(first.source.etag).toBe(etag);
    const before = server.requests.length;
    const chunksBefore = core.stats().chunks;
    const indexDir = path.join(core.config.dataDir, 'index');
    const mtimes = () => fs.readdirSync(indexDir).map((f) => `${f}@${fs.statSync(path.join(indexDir, f)).mtimeMs}`);
    const savedIndex = mtimes();

    const second = await core.sources.refresh(first.source.id);
    expect(second.notModified).toBe(true);
    expect(second.report.added).toBe(0);
    expect(server.requests.length - before).toBe(1);
    const sent = server.requests.at(-1)!;
    expect(sent.headers['if-none-match']).toBe(etag);
    expect(sent.headers['if-modified-since']).toBe('Fri, 15 Mar 2024 08:00:00 GMT');
    expect(core.stats().chunks).toBe(chunksBefore);
    expect(mtimes()).toEqual(savedIndex); // nothing new: the index is not rewritten
    expect(second.source.lastError).toBeNull();
  });

  it('on a 200 re-poll fetches only the pages of new items', async () => {
    let withFourth = false;
    server = await startFixtureServer({
      '/rss.xml': (req, res) => {
        let xml = renderFixture('rss2-linked-items.xml', req);
        if (withFourth) {
          xml = xml.replace(
            '<item>',
            `<item><title>Council budget</title><link>${`http://${req.headers.host}`}/news/budget.html</link><guid>courier-1004</guid></item>\n<item>`,
          );
        }
        sendText(res, 200, xml, RSS);
      },
      '/news/budget.html': serve('article-council-budget-v1.html', HTML),
      ...NEWS_PAGES,
    });
    core = await openCore();
    const first = await core.sources.addUrl(`${server.url}/rss.xml`, { guildId: null });
    withFourth = true;
    const before = server.requests.length;
    const second = await core.sources.refresh(first.source.id);
    expect(second.report.added).toBe(1);
    expect(server.requests.slice(before).map((q) => q.path)).toEqual(['/rss.xml', '/news/budget.html']);
  });

  it('skips a page that is not an article, with a reason, both as a source and as a feed item', async () => {
    server = await startFixtureServer({
      '/news/': serve('not-an-article-index.html', HTML),
      '/rss.xml': (req, res) => sendText(res, 200, renderFixture('rss2-linked-items.xml', req).replace('/news/library-hours.html', '/news/'), RSS),
      ...NEWS_PAGES,
    });
    core = await openCore();
    const err = await core.sources.addUrl(`${server.url}/news/`, { guildId: null }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'not-an-article' });
    expect((err as Error).message).toMatch(/does not look like a news article/);
    expect(core.stats()).toMatchObject({ sources: 0, articles: 0 });

    const r = await core.sources.addUrl(`${server.url}/rss.xml`, { guildId: null });
    expect(r.report.added).toBe(2);
    expect(r.report.skipped).toEqual([{ title: 'Ashgrove library opens in the evenings with volunteer staff', reason: expect.any(String) }]);
    expect(r.report.skipped[0]!.reason.length).toBeGreaterThan(3);
    expect(core.stats().articles).toBe(2);
  });

  it('honours robots.txt for article pages and names the bot in its User-Agent', async () => {
    server = await startFixtureServer({
      '/robots.txt': serve('robots-disallow-private.txt', 'text/plain'),
      '/rss.xml': (req, res) =>
        sendText(res, 200, renderFixture('rss2-linked-items.xml', req).replace('/news/solar-farm.html', '/private/solar-farm.html'), RSS),
      '/private/solar-farm.html': serve('article-solar-farm.html', HTML),
      ...NEWS_PAGES,
    });
    core = await openCore({ NEWSDESK_RESPECT_ROBOTS: 'true' });
    const r = await core.sources.addUrl(`${server.url}/rss.xml`, { guildId: null });
    expect(r.report.added).toBe(2);
    expect(r.report.skipped).toEqual([{ title: 'Mirefield council approves solar farm on old quarry land', reason: 'disallowed by robots.txt' }]);
    const paths = server.requests.map((q) => q.path);
    expect(paths).not.toContain('/private/solar-farm.html');
    expect(paths.filter((p) => p === '/robots.txt')).toHaveLength(1);
    for (const q of server.requests) expect(q.headers['user-agent']).toMatch(/^NewsdeskBot\//);

    const err = await core.sources.addUrl(`${server.url}/private/solar-farm.html`, { guildId: null }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'robots-disallowed' });
    expect(core.stats()).toMatchObject({ sources: 1, articles: 2 });
  });
});
