import { describe, expect, it } from 'vitest';
import { canonicalizeUrl } from '../../src/ingest/canonical-url.ts';
import { isUserError } from '../../src/errors.ts';

describe('canonicalizeUrl', () => {
  it('lowercases scheme and host, drops default ports, fragments and www.', () => {
    expect(canonicalizeUrl('HTTPS://WWW.Example.COM:443/News/Story?id=7#comments')).toBe('https://example.com/News/Story?id=7');
    expect(canonicalizeUrl('http://example.com:80/a')).toBe('http://example.com/a');
    expect(canonicalizeUrl('http://example.com:8080/a')).toBe('http://example.com:8080/a');
  });

  it('removes tracking parameters and sorts the rest', () => {
    expect(
      canonicalizeUrl(
        'https://example.com/a?utm_source=tw&b=2&fbclid=x&a=1&gclid=y&mc_cid=1&mc_eid=2&igshid=3&ref=home&ref_src=twsrc&cmpid=rss&ocid=msn&smid=nytcore',
      ),
    ).toBe('https://example.com/a?a=1&b=2');
    expect(canonicalizeUrl('https://example.com/a?UTM_Medium=email')).toBe('https://example.com/a');
  });

  it('keeps the spelling of parameters it keeps', () => {
    expect(canonicalizeUrl('https://example.com/search?q=a%20b&ids=1,2')).toBe('https://example.com/search?ids=1,2&q=a%20b');
  });

  it('removes a trailing slash except on the root', () => {
    expect(canonicalizeUrl('https://example.com/news/story/')).toBe('https://example.com/news/story');
    expect(canonicalizeUrl('https://example.com/')).toBe('https://example.com/');
    expect(canonicalizeUrl('https://example.com')).toBe('https://example.com/');
  });

  it('maps every AMP spelling to the regular page', () => {
    const plain = 'https://example.com/news/story';
    expect(canonicalizeUrl('https://example.com/amp/news/story')).toBe(plain);
    expect(canonicalizeUrl('https://example.com/news/amp/story')).toBe(plain);
    expect(canonicalizeUrl('https://example.com/news/story/amp')).toBe(plain);
    expect(canonicalizeUrl('https://example.com/news/story/amp/')).toBe(plain);
    expect(canonicalizeUrl('https://amp.example.com/news/story')).toBe(plain);
    expect(canonicalizeUrl('https://example.com/news/story?amp')).toBe(plain);
    expect(canonicalizeUrl('https://example.com/news/story?amp=1')).toBe(plain);
    expect(canonicalizeUrl('https://example.com/news/story?outputType=amp')).toBe(plain);
    expect(canonicalizeUrl('https://example.com/news/story.amp.html')).toBe('https://example.com/news/story.html');
  });

  it('does not mistake words containing "amp" for AMP markers', () => {
    expect(canonicalizeUrl('https://example.com/camp/ampere-record')).toBe('https://example.com/camp/ampere-record');
    expect(canonicalizeUrl('https://amp.com/x')).toBe('https://amp.com/x');
  });

  it('is idempotent', () => {
    const once = canonicalizeUrl('https://www.example.com/amp/a/b/?z=1&utm_campaign=x&a=2#top');
    expect(canonicalizeUrl(once)).toBe(once);
  });

  it('throws a bad-input UserError for text that is not an absolute URL', () => {
    try {
      canonicalizeUrl('not a url');
      expect.unreachable();
    } catch (err) {
      expect(isUserError(err) && err.code).toBe('bad-input');
    }
  });
});
