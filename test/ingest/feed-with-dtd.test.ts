import { describe, expect, it } from 'vitest';
import { isProbablyFeed, parseFeed } from '../../src/ingest/parse-feed.ts';

/** A feed with an internal DTD is a feed (and its entities are not expanded into a bomb). */

const DTD_FEED = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ELEMENT rss ANY>
]>
<rss version="2.0"><channel><title>Entity Gazette</title><link>https://example.org/</link>
<item><title>Harbour reopens</title><link>https://example.org/harbour</link><description>Short.</description></item>
</channel></rss>`;

describe('a feed with an internal DTD', () => {
  it('is recognised as a feed, not called a web page', async () => {
    expect(isProbablyFeed('text/xml', DTD_FEED)).toBe(true);
    let message = '';
    try {
      const feed = await parseFeed(DTD_FEED, 'https://example.org/feed.xml');
      expect(feed.title).toBe('Entity Gazette');
      expect(feed.items.map((i) => i.title)).toEqual(['Harbour reopens']);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).not.toMatch(/web page/);
  });
});
