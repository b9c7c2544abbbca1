import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractArticle, type ExtractedArticle } from '../../src/ingest/extract-article.ts';
import { htmlToText } from '../../src/ingest/html-text.ts';
import { toIsoDate } from '../../src/text/dates.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/pages/${name}`, import.meta.url), 'utf8');

function article(html: string, url: string): ExtractedArticle {
  const r = extractArticle(html, url);
  if (r.kind !== 'article') throw new Error(`skipped: ${r.reason}`);
  return r.article;
}

const PARA =
  '<p>The harbor commission met on Tuesday to review the dredging schedule for the outer channel, which pilots say has silted up faster than expected since the autumn storms moved sand from the northern bar.</p>';
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
/** n distinct paragraphs (identical ones would be collapsed by the extractor). */
const story = (n: number) =>
  DAYS.slice(0, n)
    .map((d) => PARA.replace('Tuesday', d))
    .join('');

describe('extractArticle on a full news page', () => {
  const a = article(fixture('article.html'), 'https://www.coastal-ledger.example/news/2024/03/14/floating-solar-reservoir?utm_source=twitter&fbclid=abc');

  it('recovers title, outlet, author and dates from meta tags and JSON-LD', () => {
    expect(a.title).toBe('Harbor City approves floating solar farm on Millbrook Reservoir');
    expect(a.outlet).toBe('The Coastal Ledger');
    expect(a.author).toBe('Dana Whitlock');
    expect(a.published).toBe('2024-03-14');
    expect(a.updated).toBe('2024-03-15');
  });

  it('resolves the relative canonical link and canonicalises it', () => {
    expect(a.url).toBe('https://coastal-ledger.example/news/2024/03/14/floating-solar-reservoir');
    expect(a.aliases).toEqual([]);
  });

  it('keeps the story paragraphs, separated by blank lines, without markup or page furniture', () => {
    const paragraphs = a.text.split('\n\n');
    expect(paragraphs).toHaveLength(8);
    expect(paragraphs[0]).toMatch(/^The Harbor City council voted 7 to 2/);
    expect(paragraphs[7]).toMatch(/where open land for ground-mounted panels is scarce and expensive\.$/);
    expect(a.text).toContain('"Every pump, every treatment basin');
    for (const junk of ['<', 'Share', 'Advertisement', 'newsletter', 'cookies', 'Related', 'Copyright', 'Sports', 'tracking', 'Water rates']) {
      expect(a.text).not.toContain(junk);
    }
    expect(a.text).not.toMatch(/ {2}|\t|\n{3}/);
  });
});

describe('extractArticle metadata fallbacks', () => {
  it('uses meta date, meta author, a <title> without the outlet suffix and the host as outlet', () => {
    const a = article(fixture('syndicated-copy.html'), 'https://valleydailypress.example/wire/harbor-city-floating-solar?utm_source=fb');
    expect(a.title).toBe('Harbor City OKs floating solar farm');
    expect(a.outlet).toBe('valleydailypress.example');
    expect(a.author).toBe('Dana Whitlock, Regional Wire');
    expect(a.published).toBe('2024-03-14');
    expect(a.updated).toBeNull();
    // og:url names the AMP twin on the same site; canonicalisation maps it to the regular page.
    expect(a.url).toBe('https://valleydailypress.example/wire/harbor-city-floating-solar.html');
    expect(a.aliases).toEqual(['https://valleydailypress.example/wire/harbor-city-floating-solar']);
  });

  it('reads JSON-LD author lists, string publishers and datePublished when meta tags are missing', () => {
    const html = `<html><head><title>x</title><script type="application/ld+json">[{"@type":["NewsArticle"],"headline":"Channel dredging to start in May","datePublished":"2024-02-29T22:00:00-08:00","dateModified":"2024-03-01","author":[{"name":"Ana Lucero"},"By Sam Ito"],"publisher":"Harbor Radio","url":"/news/dredging"}]</script></head><body><article>${story(4)}</article></body></html>`;
    const a = article(html, 'https://harbor-radio.example/news/dredging?ocid=x');
    expect(a).toMatchObject({
      title: 'Channel dredging to start in May',
      outlet: 'Harbor Radio',
      author: 'Ana Lucero, Sam Ito',
      published: '2024-02-29',
      updated: '2024-03-01',
      url: 'https://harbor-radio.example/news/dredging',
    });
  });

  it('falls back to <time datetime> and DC.date, and tolerates broken JSON-LD', () => {
    const withTime = `<html><head><script type="application/ld+json">{ not json</script></head><body><article><h1>Dredging</h1><time datetime="2023-12-05T08:00:00Z">Dec 5</time>${story(4)}</article></body></html>`;
    expect(article(withTime, 'https://a.example/x').published).toBe('2023-12-05');
    const withDc = `<html><head><meta name="DC.date" content="2022-07-01"></head><body><article>${story(4)}</article></body></html>`;
    expect(article(withDc, 'https://a.example/x').published).toBe('2022-07-01');
  });

  it('ignores a canonical URL that points at another site', () => {
    const html = `<html><head><link rel="canonical" href="https://victim.example/real-story"><meta property="og:site_name" content="Evil"></head><body><article>${story(4)}</article></body></html>`;
    expect(article(html, 'https://evil.example/copy').url).toBe('https://evil.example/copy');
  });

  it('accepts a fragment without <html> or <body>', () => {
    const a = article(`<h1>Dredging schedule</h1>${story(4)}`, 'https://www.a.example/x/');
    expect(a.text.split('\n\n')).toHaveLength(4);
    expect(a.outlet).toBe('a.example');
    expect(a.url).toBe('https://a.example/x');
  });
});

describe('extractArticle skips pages that are not articles', () => {
  const cases = [
    ['index-page.html', 'listing'],
    ['paywall.html', 'paywall'],
    ['cookie-wall.html', 'cookie-wall'],
  ] as const;
  for (const [file, code] of cases) {
    it(`skips ${file} as ${code}`, () => {
      const r = extractArticle(fixture(file), 'https://coastal-ledger.example/some/page');
      expect(r).toMatchObject({ kind: 'skipped', code });
      if (r.kind === 'skipped') expect(r.reason.length).toBeGreaterThan(10);
    });
  }

  it('skips empty and too-short extractions', () => {
    expect(extractArticle('', 'https://a.example/')).toMatchObject({ kind: 'skipped', code: 'too-short' });
    expect(extractArticle(`<html><body>${PARA}</body></html>`, 'https://a.example/')).toMatchObject({ kind: 'skipped', code: 'too-short' });
  });
});

describe('extractArticle on hostile input', () => {
  const timed = (html: string) => {
    const t = performance.now();
    const r = extractArticle(html, 'https://a.example/x');
    return { r, ms: performance.now() - t };
  };

  it('refuses deeply nested markup quickly instead of recursing', () => {
    const deep = timed('<div>'.repeat(100_000) + PARA + '</div>'.repeat(100_000));
    expect(deep.r).toMatchObject({ kind: 'skipped', code: 'too-deep' });
    const unclosed = timed(`<p>${'<span><b>'.repeat(500_000)}x`);
    expect(unclosed.r).toMatchObject({ kind: 'skipped', code: 'too-deep' });
    expect(deep.ms + unclosed.ms).toBeLessThan(1500);
  });

  it('refuses markup that would make the DOM parser crawl', () => {
    const stray = timed('<<<<<<'.repeat(500_000));
    expect(stray.r).toMatchObject({ kind: 'skipped', code: 'too-large' });
    const tagNames = timed('<a'.repeat(1_500_000));
    expect(tagNames.r).toMatchObject({ kind: 'skipped', code: 'too-large' });
    const elements = timed('<div><i>x</i></div>'.repeat(20_000));
    expect(elements.r).toMatchObject({ kind: 'skipped', code: 'too-large' });
    expect(stray.ms + tagNames.ms + elements.ms).toBeLessThan(3000);
  });

  it('survives unclosed scripts and comments', () => {
    expect(extractArticle(`<html><body>${PARA}<script>${'<script>'.repeat(100_000)}`, 'https://a.example/')).toMatchObject({ kind: 'skipped' });
    expect(extractArticle(`<html><body>${'<!--'.repeat(100_000)}`, 'https://a.example/')).toMatchObject({ kind: 'skipped' });
  });

  it('reads only the first 3 MB of a huge page', () => {
    const page = `<html><body><article><h1>Dredging</h1>${story(4)}</article>`;
    const { r, ms } = timed(page + `<p>${'filler '.repeat(1_000_000)}</p>`);
    expect(r.kind).toBe('article');
    expect(ms).toBeLessThan(10_000);
  });
});

describe('htmlToText', () => {
  it('turns an HTML fragment into blank-line separated paragraphs with entities decoded', () => {
    expect(htmlToText('<p>One &amp; two</p><div>Three<br>Four</div><script>x()</script><ul><li>Five</li></ul>')).toBe('One & two\n\nThree\n\nFour\n\nFive');
  });

  it('falls back to tag stripping for fragments too deep to parse safely', () => {
    expect(htmlToText(`${'<div>'.repeat(50_000)}<p>deep &amp; text</p>`)).toBe('deep & text');
  });
});

describe('toIsoDate', () => {
  it.each([
    ['2024-11-07T23:30:00-05:00', '2024-11-07'],
    ['2024-11-07', '2024-11-07'],
    ['20241107', '2024-11-07'],
    ['2024/11/7 10:00', '2024-11-07'],
    ['Thu, 07 Nov 2024 23:30:00 -0500', '2024-11-07'],
    ['November 7, 2024', '2024-11-07'],
    ['7th November 2024', '2024-11-07'],
    ['2024-02-30', null],
    ['yesterday', null],
    ['', null],
  ])('%s → %s', (raw, expected) => {
    expect(toIsoDate(raw)).toBe(expected);
  });
});
