import { afterEach, describe, expect, it } from 'vitest';
import { sendText, startFixtureServer, type FixtureServer } from '../fakes/http-server.ts';
import type { App } from '../../src/app.ts';
import { probeStore } from '../helpers/store.ts';
import { articlePage, MAYOR_FAKE, MAYOR_QUESTION, MAYOR_REAL, rssFeed } from '../helpers/news-fixtures.ts';
import { HTML, RSS, openCore } from './support.ts';

/**
 * Identity is earned, not claimed: only text fetched from an article's own URL, or delivered again
 * by the source that stored it, may replace that article. Two origins = two ports of 127.0.0.1.
 */

let servers: FixtureServer[] = [];
let core: App | undefined;

afterEach(async () => {
  await core?.close();
  for (const s of servers) await s.close();
  servers = [];
  core = undefined;
});

async function origin(routes: Parameters<typeof startFixtureServer>[0]): Promise<FixtureServer> {
  const s = await startFixtureServer(routes);
  servers.push(s);
  return s;
}

interface Row {
  id: number;
  url: string | null;
  title: string;
  outlet: string | null;
  text: string;
  content_hash: string;
  duplicate_of: number | null;
}

function articles(nd: App): Row[] {
  return probeStore(nd.config.dataDir).rows<Row>('SELECT id, url, title, outlet, text, content_hash, duplicate_of FROM articles ORDER BY id');
}

const realPage = (canonical?: string) =>
  articlePage({ title: 'Dana Okafor elected mayor of Quillmere', outlet: 'Quill Courier', canonical, paragraphs: MAYOR_REAL });
const fakePage = (canonical: string) =>
  articlePage({ title: 'Victor Brannagh wins Quillmere landslide', outlet: 'Brannagh Bulletin', canonical, paragraphs: MAYOR_FAKE });

describe('identity is earned, not claimed', () => {
  it("a page on the same site whose canonical names another server's article is stored under its own URL and changes nothing", async () => {
    const site = await origin({
      '/news/mayor.html': (_q, r) => sendText(r, 200, realPage(`${site.url}/news/mayor.html`), HTML),
      '/opinion/mayor-take.html': (_q, r) => sendText(r, 200, fakePage(`${site.url}/news/mayor.html`), HTML),
    });
    core = await openCore();
    const a = await core.sources.addUrl(`${site.url}/news/mayor.html`, { guildId: 'guild-a' });
    expect(a.report.added).toBe(1);
    const before = articles(core)[0]!;

    const b = await core.sources.addUrl(`${site.url}/opinion/mayor-take.html`, { guildId: 'guild-b' });
    // B's page is stored, apart, under the URL it was fetched from.
    expect(b.report.added).toBe(1);
    const rows = articles(core);
    expect(rows.find((r) => r.id === before.id)).toEqual(before);
    const apart = rows.find((r) => r.id !== before.id)!;
    expect(apart.url).toBe(`${site.url}/opinion/mayor-take.html`);
    expect(apart.outlet).toBe('Brannagh Bulletin');

    const answerA = await core.ask(MAYOR_QUESTION, { guildId: 'guild-a' });
    expect(answerA.answer).toContain('Okafor');
    expect(answerA.answer).not.toContain('Brannagh');
    expect(answerA.citations.map((c) => c.source)).toEqual(['Quill Courier']);
    // B's article never borrows A's link.
    const answerB = await core.ask(MAYOR_QUESTION, { guildId: 'guild-b' });
    for (const c of answerB.citations) if (c.source === 'Brannagh Bulletin') expect(c.url).toBe(`${site.url}/opinion/mayor-take.html`);
  });

  it("a feed on another origin whose item links to the operator's article stores the item apart; the article stays as fetched", async () => {
    const home = await origin({ '/story.html': (_q, r) => sendText(r, 200, realPage(), HTML) });
    const attacker = await origin({
      '/feed.xml': (_q, r) =>
        sendText(
          r,
          200,
          rssFeed('Brannagh Bulletin', `${attacker.url}/`, [
            { title: 'Victor Brannagh wins Quillmere landslide', link: `${home.url}/story.html`, paragraphs: MAYOR_FAKE },
          ]),
          RSS,
        ),
    });
    core = await openCore();
    const global = await core.sources.addUrl(`${home.url}/story.html`, { guildId: null });
    const before = articles(core).find((r) => r.id === global.report.articleIds[0])!;

    await core.sources.addUrl(`${attacker.url}/feed.xml`, { guildId: 'guild-b' });
    expect(articles(core).find((r) => r.id === before.id)).toEqual(before);
    for (const guildId of ['guild-a', 'guild-b', null]) {
      const answer = await core.ask(MAYOR_QUESTION, { guildId });
      const cited = answer.citations.find((c) => c.url === `${home.url}/story.html`);
      if (cited) expect(cited.source).toBe('Quill Courier');
      if (guildId !== 'guild-b') expect(answer.answer).not.toContain('Brannagh');
    }
    // Polling the attacker's feed again neither duplicates its item nor touches the article.
    const again = await core.sources.refresh(core.sources.list().find((s) => s.guildId === 'guild-b')!.id);
    expect(again.report.added + again.report.updated).toBe(0);
    expect(articles(core)).toHaveLength(2);
    expect(articles(core).find((r) => r.id === before.id)).toEqual(before);
  });

  it('a page and a feed on one origin claiming an article stored from another origin change nothing', async () => {
    const home = await origin({ '/news/mayor.html': (_q, r) => sendText(r, 200, realPage(), HTML) });
    const target = `${home.url}/news/mayor.html`;
    const attacker = await origin({
      '/claim.html': (_q, r) => sendText(r, 200, fakePage(target), HTML),
      '/feed.xml': (_q, r) =>
        sendText(r, 200, rssFeed('Brannagh Bulletin', `${attacker.url}/`, [{ title: 'Brannagh wins', link: target, paragraphs: MAYOR_FAKE }]), RSS),
    });
    core = await openCore();
    const a = await core.sources.addUrl(target, { guildId: 'guild-a' });
    const before = articles(core).find((r) => r.id === a.report.articleIds[0])!;

    // Another port is another origin: the cross-origin canonical is ignored, the page is its own article.
    const page = await core.sources.addUrl(`${attacker.url}/claim.html`, { guildId: 'guild-b' });
    expect(page.report.added).toBe(1);
    expect(articles(core).find((r) => r.id === page.report.articleIds[0])!.url).toBe(`${attacker.url}/claim.html`);
    await core.sources.addUrl(`${attacker.url}/feed.xml`, { guildId: 'guild-b' });

    expect(articles(core).find((r) => r.id === before.id)).toEqual(before);
    const answerA = await core.ask(MAYOR_QUESTION, { guildId: 'guild-a' });
    expect(answerA.answer).toContain('Okafor');
    expect(answerA.answer).not.toContain('Brannagh');
  });

  it('the same feed delivering an updated item replaces it and records the previous version', async () => {
    let version = 1;
    const site = await origin({
      '/feed.xml': (_q, r) =>
        sendText(
          r,
          200,
          rssFeed('Quill Courier', `${site.url}/`, [
            {
              title: version === 1 ? 'Dana Okafor elected mayor of Quillmere' : 'Dana Okafor elected mayor of Quillmere (corrected)',
              link: `${site.url}/news/mayor.html`,
              paragraphs: version === 1 ? MAYOR_REAL : MAYOR_REAL.map((p) => p.replace('58 percent', '57 percent')),
            },
          ]),
          RSS,
        ),
    });
    core = await openCore();
    const first = await core.sources.addUrl(`${site.url}/feed.xml`, { guildId: 'guild-a' });
    const id = first.report.articleIds[0]!;
    const oldHash = articles(core)[0]!.content_hash;
    version = 2;
    const second = await core.sources.refresh(first.source.id);
    expect(second.report.updated).toBe(1);
    expect(articles(core)[0]!.text).toContain('57 percent');
    const versions = probeStore(core).rows<{ article_id: number; content_hash: string; title: string; stored_at: string; replaced_at: string }>(
      'SELECT article_id, content_hash, title, stored_at, replaced_at FROM article_versions',
    );
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ article_id: id, content_hash: oldHash, title: 'Dana Okafor elected mayor of Quillmere' });
    expect(Date.parse(versions[0]!.replaced_at)).toBeGreaterThanOrEqual(Date.parse(versions[0]!.stored_at));
  });

  it("another server's feed carrying the same text is linked, not stored twice", async () => {
    const site = await origin({
      '/feed.xml': (_q, r) =>
        sendText(
          r,
          200,
          rssFeed('Quill Courier', `${site.url}/`, [
            { title: 'Dana Okafor elected mayor of Quillmere', link: `${site.url}/news/mayor.html`, paragraphs: MAYOR_REAL },
          ]),
          RSS,
        ),
    });
    core = await openCore();
    await core.sources.addUrl(`${site.url}/feed.xml`, { guildId: 'guild-a' });
    const b = await core.sources.addUrl(`${site.url}/feed.xml`, { guildId: 'guild-b' });
    expect(b.report).toMatchObject({ added: 0, unchanged: 1 });
    expect(b.source.articleCount).toBe(1);
    expect(articles(core)).toHaveLength(1);
  });
});
