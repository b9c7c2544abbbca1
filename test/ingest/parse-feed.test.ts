import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../src/errors.ts';
import { FULL_ARTICLE_MIN_WORDS, feedItemToArticle, isProbablyFeed, parseFeed } from '../../src/ingest/parse-feed.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url), 'utf8');

async function expectMalformed(body: string, url = 'https://feeds.example/feed') {
  try {
    await parseFeed(body, url);
    expect.unreachable('parseFeed should have thrown');
  } catch (err) {
    expect(isUserError(err) && err.code).toBe('malformed-feed');
    return (err as Error).message;
  }
}

describe('parseFeed', () => {
  it('reads RSS 2.0: relative links resolved, entities decoded, dates as written, author names', async () => {
    const feed = await parseFeed(fixture('rss2.xml'), 'https://coastal-ledger.example/news/feed.xml');
    expect(feed.title).toBe('The Coastal Ledger – Local News');
    expect(feed.link).toBe('https://coastal-ledger.example/news/');
    expect(feed.items).toHaveLength(3);
    expect(feed.items[0]).toEqual({
      guid: 'ledger-2024-0314-solar',
      url: 'https://coastal-ledger.example/news/2024/03/14/floating-solar-reservoir?utm_source=rss&utm_medium=feed',
      title: 'Harbor City approves floating solar farm & reservoir plan',
      published: '2024-03-14',
      updated: null,
      author: 'Dana Whitlock',
      contentHtml: null,
      summary: 'The council voted 7 to 2 for a $46 million array on the Millbrook Reservoir.',
    });
    // 23:15 at -05:00 is the 13th in UTC, but the story was published on the 12th where it was written.
    expect(feed.items[1]).toMatchObject({ published: '2024-03-12', author: 'Sam Ito' });
  });

  it('gives an item without title or link its guid permalink and a title from its summary', async () => {
    const feed = await parseFeed(fixture('rss2.xml'), 'https://coastal-ledger.example/news/feed.xml');
    expect(feed.items[2]).toMatchObject({
      url: 'https://coastal-ledger.example/news/2024/03/11/library-hours',
      title: expect.stringMatching(/^A private donation will keep the downtown library/),
    });
  });

  it('reads Atom: alternate links, HTML titles as text, published and updated dates', async () => {
    const feed = await parseFeed(fixture('atom.xml'), 'https://harbor-business.example/atom.xml');
    expect(feed.title).toBe('Harbor Business Weekly');
    expect(feed.link).toBe('https://harbor-business.example/');
    expect(feed.items[0]).toMatchObject({
      guid: 'tag:harbor-business.example,2024:northgate',
      url: 'https://harbor-business.example/2024/03/20/northgate-shipyard',
      title: 'Shipyard deal saves 900 jobs for now',
      published: '2024-03-20',
      updated: '2024-03-21',
      author: 'Priya Raman',
      summary: 'How a Norwegian ferry operator and two banks kept the Northgate yard open.',
      contentHtml: null,
    });
    // No <published>: fall back to <updated>.
    expect(feed.items[1]).toMatchObject({ published: '2024-03-18', summary: expect.stringMatching(/^Commuter passes/) });
  });

  it('does not lose an Atom feed to one unparseable date', async () => {
    const body = fixture('atom.xml').replace('2024-03-20T06:00:00+01:00', 'sometime in March');
    const feed = await parseFeed(body, 'https://harbor-business.example/atom.xml');
    expect(feed.items[0]).toMatchObject({ title: 'Shipyard deal saves 900 jobs for now', published: '2024-03-21' });
  });

  it('reads RSS 1.0 (RDF) with dc:date and dc:creator', async () => {
    const feed = await parseFeed(fixture('rdf.xml'), 'https://south-shore-gazette.example/index.rdf');
    expect(feed.title).toBe('South Shore Gazette');
    expect(feed.items.map((i) => [i.title, i.published, i.author])).toEqual([
      ['Storm damage estimate tops $3 million', '2024-03-09', 'Ana Lucero'],
      ['Regional cod quota cut again', '2024-03-08', null],
    ]);
    expect(feed.items[0]!.guid).toBe('https://south-shore-gazette.example/2024/storm-damage');
  });

  it('reads JSON Feed 1.1 with relative URLs, authors and full HTML content', async () => {
    const feed = await parseFeed(fixture('jsonfeed.json'), 'https://schools-report.example/feed.json');
    expect(feed.title).toBe('Harbor Schools Report');
    expect(feed.link).toBe('https://schools-report.example/');
    expect(feed.items[0]).toMatchObject({
      guid: '2024-03-19-bus-routes',
      url: 'https://schools-report.example/2024/03/19/bus-routes?utm_campaign=feed',
      published: '2024-03-19',
      author: 'Jordan Pike',
      summary: 'About 350 students will lose bus service in the fall.',
    });
    expect(feed.items[0]!.contentHtml).toMatch(/^<p>The Harbor City school board/);
    expect(feed.items[1]).toMatchObject({ url: 'https://district.example/lunch', author: 'Harbor Schools Report staff', contentHtml: null });
  });

  it('reads JSON Feed 1.0 author objects', async () => {
    const body = JSON.stringify({
      version: 'https://jsonfeed.org/version/1',
      title: 'Old',
      author: { name: 'Feed Desk' },
      items: [{ id: 1, url: 'https://a.example/1', title: 'One', content_text: 'Short.' }],
    });
    const feed = await parseFeed(body, 'https://a.example/feed.json');
    expect(feed.items[0]).toMatchObject({ guid: '1', author: 'Feed Desk', title: 'One' });
  });

  it('keeps full article bodies from content:encoded and leaves teasers out', async () => {
    const feed = await parseFeed(fixture('full-content-rss.xml'), 'https://islandpost.example/feed/');
    expect(feed.items[0]!.contentHtml).toContain('hydraulic loading ramp');
    expect(feed.items[0]!.summary).toMatch(/^The Gull Island ferry terminal will close from May 6/);
    expect(feed.items[1]!.contentHtml).toBeNull();
  });

  it('repairs HTML entities and bare ampersands that strict XML rejects', async () => {
    const body =
      '<rss version="2.0"><channel><title>Q&A Daily</title><item><title>Fish&nbsp;&amp; chips &mdash; a history</title><link>https://qa.example/1</link></item></channel></rss>';
    const feed = await parseFeed(body, 'https://qa.example/rss');
    expect(feed.title).toBe('Q&A Daily');
    expect(feed.items[0]!.title).toBe('Fish & chips — a history');
  });

  it('rejects malformed XML with a malformed-feed UserError', async () => {
    expect(await expectMalformed(fixture('malformed.xml'))).toMatch(/not a readable RSS or Atom feed/);
  });

  it('rejects an HTML page and JSON that is not a JSON Feed', async () => {
    expect(await expectMalformed(fixture('not-a-feed.html'))).toMatch(/web page/);
    await expectMalformed('{"hello": "world"}');
    await expectMalformed('{"version": "https://jsonfeed.org/version/1.1", "items": [');
    await expectMalformed('<?xml version="1.0"?><catalog><book/></catalog>');
    await expectMalformed('');
  });
});

describe('isProbablyFeed', () => {
  it('recognises every fixture feed by its body, whatever the content type says', () => {
    for (const f of ['rss2.xml', 'atom.xml', 'rdf.xml', 'jsonfeed.json', 'full-content-rss.xml']) {
      expect(isProbablyFeed('text/html; charset=utf-8', fixture(f))).toBe(true);
      expect(isProbablyFeed(null, fixture(f))).toBe(true);
    }
  });

  it('says no to HTML pages and plain JSON', () => {
    expect(isProbablyFeed('text/html', fixture('not-a-feed.html'))).toBe(false);
    expect(isProbablyFeed('application/rss+xml', fixture('not-a-feed.html'))).toBe(false);
    expect(isProbablyFeed('application/json', '{"data": []}')).toBe(false);
  });

  it('falls back to the content type when the body is unclear', () => {
    expect(isProbablyFeed('application/rss+xml; charset=utf-8', 'garbage')).toBe(true);
    expect(isProbablyFeed('text/plain', 'garbage')).toBe(false);
  });

  it('looks past a BOM, XML declaration, stylesheet instruction and comments', () => {
    const body = '\uFEFF<?xml version="1.0"?>\n<?xml-stylesheet href="/rss.xsl"?>\n<!-- generated -->\n<rss version="2.0"><channel/></rss>';
    expect(isProbablyFeed('text/xml', body)).toBe(true);
  });
});

describe('feedItemToArticle', () => {
  it('turns a full-text item into a clean article without the feed footer', async () => {
    const feed = await parseFeed(fixture('full-content-rss.xml'), 'https://islandpost.example/feed/');
    const a = feedItemToArticle(feed.items[0]!, feed.title);
    expect(a).toMatchObject({
      url: 'https://islandpost.example/2024/04/05/ferry-terminal-repairs',
      title: 'Gull Island ferry terminal to close for six weeks of repairs',
      outlet: 'Island Post',
      published: '2024-04-05',
      author: 'Tomas Brandt',
      externalId: 'https://islandpost.example/?p=4812',
    });
    expect(a!.text.split('\n\n')[0]).toMatch(/^The Gull Island ferry terminal will close for six weeks/);
    expect(a!.text).toContain('the island’s north side');
    expect(a!.text).not.toMatch(/<|appeared first on/);
    expect(a!.text.split(/\s+/).length).toBeGreaterThanOrEqual(FULL_ARTICLE_MIN_WORDS);
  });

  it('returns null for teaser items', async () => {
    const feed = await parseFeed(fixture('rss2.xml'), 'https://coastal-ledger.example/news/feed.xml');
    expect(feed.items.map((i) => feedItemToArticle(i, feed.title))).toEqual([null, null, null]);
    expect(feedItemToArticle({ ...feed.items[0]!, contentHtml: '<p>Too short to be the whole story.</p>' }, 'X')).toBeNull();
  });

  it('uses JSON Feed content_html', async () => {
    const feed = await parseFeed(fixture('jsonfeed.json'), 'https://schools-report.example/feed.json');
    const a = feedItemToArticle(feed.items[0]!, feed.title);
    expect(a).toMatchObject({ url: 'https://schools-report.example/2024/03/19/bus-routes', outlet: 'Harbor Schools Report' });
    expect(a!.text.split('\n\n')).toHaveLength(5);
  });
});
