import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../src/errors.ts';
import { parseHtmlFile, parseTextArticle } from '../../src/ingest/parse-text-file.ts';

const SEED = '000_b1a89999ae2187ff.txt';
const seedText = readFileSync(new URL(`../../data/seed/${SEED}`, import.meta.url), 'utf8');
const pageFixture = (name: string) => readFileSync(new URL(`../fixtures/pages/${name}`, import.meta.url), 'utf8');

const BODY = [
  'The harbor commission met on Tuesday to review the dredging schedule for the outer channel.',
  'Pilots say the channel has silted up faster than expected since the autumn storms.',
];

describe('parseTextArticle on the MENAFN seed article', () => {
  const a = parseTextArticle(seedText, SEED);

  it('takes the first line as title and recovers outlet and date from the MENAFN id line', () => {
    expect(a.title).toBe('Russia expresses openness to reconsider ties with US under new leadership');
    expect(a.outlet).toBe('MENAFN');
    expect(a.published).toBe('2024-11-07');
    expect(a.url).toBeNull();
  });

  it('removes the id line, the bare MENAFN line, the disclaimer and the (MENAFN) marker', () => {
    expect(a.text).not.toMatch(/MENAFN/);
    expect(a.text).not.toMatch(/Legal Disclaimer|as is|without warranty/);
    expect(a.text.startsWith('Russian Foreign Minister Sergey Lavrov stated on Thursday')).toBe(true);
    expect(a.text.endsWith('aligning with its stated openness to renewed dialogue.')).toBe(true);
  });

  it('keeps the four paragraphs separated by one blank line', () => {
    expect(a.text.split('\n\n')).toHaveLength(4);
    expect(a.text).not.toMatch(/\n{3}/);
  });

  it('reads the same with Windows line endings and a BOM', () => {
    expect(parseTextArticle(`\uFEFF${seedText.replace(/\n/g, '\r\n')}`, SEED)).toEqual(a);
  });
});

describe('parseTextArticle boilerplate table', () => {
  it('strips "(Outlet) —" markers, keeps a leading place name, and takes the outlet from them', () => {
    const ap = parseTextArticle(`Dredging to begin\n\nHARBOR CITY (AP) — ${BODY[0]}\n\n${BODY[1]}`, 'a.txt');
    expect(ap.outlet).toBe('AP');
    expect(ap.text.startsWith(`HARBOR CITY — ${BODY[0]}`)).toBe(true);
    const reuters = parseTextArticle(`Dredging to begin\n\n(Reuters) - ${BODY[0]}\n\n${BODY[1]}`, 'a.txt');
    expect(reuters).toMatchObject({ outlet: 'Reuters', text: BODY.join('\n\n') });
  });

  it('leaves a first paragraph that merely starts with a parenthesis sentence alone', () => {
    const a = parseTextArticle(`Title here\n\n(This story has been corrected to fix the date.) ${BODY[0]}\n\n${BODY[1]}`, 'a.txt');
    expect(a.outlet).toBeNull();
    expect(a.text.startsWith('(This story has been corrected')).toBe(true);
  });

  it('cuts copyright trailers but keeps paragraphs about copyright', () => {
    const a = parseTextArticle(
      `Title here\n\nCopyright law is changing, the court said.\n\n${BODY[0]}\n\n© 2024 Harbor Radio. All rights reserved.\n\nSee our other stories.`,
      'a.txt',
    );
    expect(a.text).toBe(`Copyright law is changing, the court said.\n\n${BODY[0]}`);
  });

  it('rejoins hard-wrapped lines within a paragraph', () => {
    const a = parseTextArticle(`Title here\n\nThe harbor commission met on Tuesday\nto review the dredging schedule.\n\n${BODY[1]}`, 'a.txt');
    expect(a.text.split('\n\n')[0]).toBe('The harbor commission met on Tuesday to review the dredging schedule.');
  });
});

describe('parseTextArticle on Markdown', () => {
  it('reads front matter and drops a heading that repeats its title', () => {
    const md = [
      '---',
      'title: "Channel dredging to start in May"',
      'source: Harbor Radio',
      'published: 2024-03-01T10:00:00-05:00',
      'url: https://www.harbor-radio.example/news/dredging/?utm_source=x',
      'author: Ana Lucero',
      '---',
      '',
      '# Channel dredging to start in May',
      '',
      `The **harbor commission** met on [Tuesday](https://x.example) to review the _dredging_ schedule.`,
      '',
      '![A dredger](dredger.jpg)',
      '',
      '- Work starts in May',
      '- Ferries keep running',
    ].join('\n');
    expect(parseTextArticle(md, 'dredging.md')).toEqual({
      url: 'https://harbor-radio.example/news/dredging',
      title: 'Channel dredging to start in May',
      text: 'The harbor commission met on Tuesday to review the dredging schedule.\n\nWork starts in May\n\nFerries keep running',
      outlet: 'Harbor Radio',
      published: '2024-03-01',
      author: 'Ana Lucero',
    });
  });

  it('takes a # heading as the title when there is no front matter', () => {
    const a = parseTextArticle(`# Dredging to begin\n\n${BODY.join('\n\n')}`, 'notes.md');
    expect(a).toMatchObject({ title: 'Dredging to begin', text: BODY.join('\n\n'), outlet: null, published: null });
  });

  it('uses the file name as title when the first line is a whole paragraph', () => {
    const long = `${BODY[0]} ${BODY[1]} ${BODY[0]}`;
    const a = parseTextArticle(`${long}\n\n${BODY[1]}`, 'harbor_dredging-update.txt');
    expect(a.title).toBe('harbor dredging update');
    expect(a.text.startsWith(long)).toBe(true);
  });

  it('throws not-an-article for an empty file or a title with no body', () => {
    for (const text of ['', '\n\n  \n', 'Just a title\n']) {
      try {
        parseTextArticle(text, 'empty.txt');
        expect.unreachable();
      } catch (err) {
        expect(isUserError(err) && err.code).toBe('not-an-article');
      }
    }
  });
});

describe('parseHtmlFile', () => {
  it('extracts a saved article page like a fetched one, with no file:// URL', () => {
    const r = parseHtmlFile(pageFixture('article.html'), 'solar.html');
    expect(r.kind).toBe('article');
    if (r.kind !== 'article') return;
    expect(r.article).toMatchObject({
      title: 'Harbor City approves floating solar farm on Millbrook Reservoir',
      url: 'https://coastal-ledger.example/news/2024/03/14/floating-solar-reservoir',
      outlet: 'The Coastal Ledger',
      published: '2024-03-14',
    });
  });

  it('falls back to <title> and body text where a page would be skipped', () => {
    const r = parseHtmlFile(
      '<html><head><title>Council notes</title></head><body><p>Short note: the meeting moved to Thursday.</p></body></html>',
      'notes.html',
    );
    expect(r).toEqual({
      kind: 'article',
      article: { url: null, title: 'Council notes', text: 'Short note: the meeting moved to Thursday.', outlet: null, published: null, updated: null },
    });
  });

  it('skips a file with no text and refuses hostile markup', () => {
    expect(parseHtmlFile('<html><body><img src="x.png"></body></html>', 'blank.html').kind).toBe('skipped');
    expect(parseHtmlFile('<div>'.repeat(50_000), 'deep.html')).toMatchObject({ kind: 'skipped', code: 'too-deep' });
  });
});
