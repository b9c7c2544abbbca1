import { afterEach, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../fakes/http-server.ts';
import type { App } from '../../src/app.ts';
import { HTML, RSS, openCore, serve } from './support.ts';

/** Two servers tracking the same feed share its stories; removing one source keeps what the other holds. */

let server: FixtureServer | undefined;
let core: App | undefined;

afterEach(async () => {
  await core?.close();
  await server?.close();
  core = undefined;
  server = undefined;
});

const BRIDGE_QUESTION = 'How much did the Port Calloway bridge repairs cost?';

describe('shared feeds', () => {
  it('a second server adding a teaser-only feed whose items are stored gets them at once, and keeps them when the first removes its source', async () => {
    server = await startFixtureServer({
      '/rss.xml': serve('rss2-linked-items.xml', RSS),
      '/news/harbor-bridge.html': serve('article-harbor-bridge.html', HTML),
      '/news/solar-farm.html': serve('article-solar-farm.html', HTML),
      '/news/library-hours.html': serve('article-library-hours.html', HTML),
    });
    core = await openCore();
    const a = await core.sources.addUrl(`${server.url}/rss.xml`, { guildId: 'guild-a' });
    expect(a.report.added).toBe(3);
    const pageFetches = () => server!.requests.filter((r) => r.path.startsWith('/news/')).length;
    expect(pageFetches()).toBe(3);

    const b = await core.sources.addUrl(`${server.url}/rss.xml`, { guildId: 'guild-b' });
    // Found 3 (0 new), without fetching the pages again.
    expect(b.report).toMatchObject({ added: 0, unchanged: 3 });
    expect(b.source.articleCount).toBe(3);
    expect(pageFetches()).toBe(3);
    expect((await core.ask(BRIDGE_QUESTION, { guildId: 'guild-b' })).answer).toContain('14.2 million');

    const removed = await core.sources.remove(a.source.id, { kind: 'guild', guildId: 'guild-a' });
    expect(removed.removedArticles).toBe(0);
    expect(core.stats().articles).toBe(3);
    expect((await core.ask(BRIDGE_QUESTION, { guildId: 'guild-b' })).answer).toContain('14.2 million');
    expect((await core.ask(BRIDGE_QUESTION, { guildId: 'guild-a' })).grounded).toBe(false);

    // The last holder's removal takes the stories (and their vectors) with it.
    const last = await core.sources.remove(b.source.id, { kind: 'guild', guildId: 'guild-b' });
    expect(last.removedArticles).toBe(3);
    expect(core.stats()).toMatchObject({ articles: 0, chunks: 0, index: { vectors: 0 } });
  });
});
