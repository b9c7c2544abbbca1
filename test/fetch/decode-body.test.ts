import { afterEach, describe, expect, it } from 'vitest';
import { decodeBody } from '../../src/fetch/decode-body.ts';
import { sendText, startFixtureServer, type FixtureServer } from '../fakes/http-server.ts';
import type { App } from '../../src/app.ts';
import { probeStore } from '../helpers/store.ts';
import { articlePage, rssFeed } from '../helpers/news-fixtures.ts';
import { openCore } from '../sources/support.ts';

/** Declared charsets are honoured: BOM, HTTP header, <meta>, XML declaration; UTF-8 otherwise. */

const ZURICH = [
  'Die Stadt Zürich hat am Dienstag beschlossen, die Tramlinie über den Bürkliplatz bis zur Seepromenade zu verlängern, teilte der Stadtrat mit.',
  'Die Bauarbeiten an der Strecke in Zürich sollen im Frühling beginnen und rund zwei Jahre dauern; die Kosten liegen bei 84 Millionen Franken.',
  'Anwohner am Bürkliplatz äußerten Sorge über Lärm während der Bauzeit, die Stadt versprach Ruhezeiten an Wochenenden und in der Nacht.',
];

let server: FixtureServer | undefined;
let core: App | undefined;
afterEach(async () => {
  await core?.close();
  await server?.close();
  core = undefined;
  server = undefined;
});

describe('declared charsets', () => {
  it('decodes by BOM, then the HTTP charset, then <meta> or the XML declaration, else UTF-8', () => {
    const latin1 = Buffer.from('<p>Zürich</p>', 'latin1');
    expect(decodeBody(latin1, 'text/html; charset=ISO-8859-1')).toBe('<p>Zürich</p>');
    expect(decodeBody(Buffer.concat([Buffer.from('<meta charset="iso-8859-1">', 'latin1'), latin1]), 'text/html')).toContain('Zürich');
    expect(decodeBody(Buffer.from('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><p>Zürich</p>', 'latin1'), null)).toContain(
      'Zürich',
    );
    expect(decodeBody(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><rss>Zürich</rss>', 'latin1'), 'application/rss+xml')).toContain('Zürich');
    expect(decodeBody(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Zürich')]), 'text/html; charset=iso-8859-1')).toBe('Zürich');
    expect(decodeBody(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Zürich', 'utf16le')]), null)).toBe('Zürich');
    expect(decodeBody(Buffer.from('Zürich'), null)).toBe('Zürich');
    expect(decodeBody(Buffer.from('Zürich'), 'text/html; charset=no-such-charset')).toBe('Zürich');
  });

  it('stores an ISO-8859-1 page and feed with their umlauts intact', async () => {
    const page = Buffer.from(
      articlePage({ title: 'Zürich verlängert die Tramlinie', outlet: 'Zürcher Bote', paragraphs: ZURICH }, { charset: 'iso-8859-1' }),
      'latin1',
    );
    // A teaser item linking to the page stored below: the feed's own name must decode too.
    const feed = (host: string) =>
      Buffer.from(
        rssFeed('Zürcher Bote', `http://${host}/`, [
          { title: 'Tram in Zürich', link: `http://${host}/header.html`, paragraphs: ['Kurz: Zürich baut.'] },
        ]).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'),
        'latin1',
      );
    server = await startFixtureServer({
      '/header.html': (_q, r) => sendText(r, 200, page, 'text/html; charset=ISO-8859-1'),
      '/meta-only.html': (_q, r) => sendText(r, 200, Buffer.from(page.toString('latin1').replace('Tramlinie', 'Strecke'), 'latin1'), 'text/html'),
      '/feed.xml': (q, r) => sendText(r, 200, feed(q.headers.host ?? ''), 'application/rss+xml'),
    });
    core = await openCore();
    await core.sources.addUrl(`${server.url}/header.html`, { guildId: null });
    await core.sources.addUrl(`${server.url}/meta-only.html`, { guildId: null });
    const texts = probeStore(core).values<string>("SELECT title || ' ' || text || ' ' || coalesce(outlet, '') FROM articles");
    expect(texts).toHaveLength(2);
    for (const t of texts) {
      expect(t).toContain('Zürich');
      expect(t).toContain('Bürkliplatz');
      expect(t).not.toContain('\ufffd');
    }
    const f = await core.sources.addUrl(`${server.url}/feed.xml`, { guildId: 'g1' });
    expect(f.source.name).toBe('Zürcher Bote');
  });
});
