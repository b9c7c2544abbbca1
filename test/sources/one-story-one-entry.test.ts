import { afterEach, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../fakes/http-server.ts';
import type { App } from '../../src/app.ts';
import { HTML, openCore, passagesFor, serve } from './support.ts';
import { probeStore } from '../helpers/store.ts';

/** Syndicated copies become alternates; an article updated in place replaces its chunks. */

let server: FixtureServer | undefined;
let core: App | undefined;

afterEach(async () => {
  await core?.close();
  await server?.close();
  core = undefined;
  server = undefined;
});

describe('one story, one entry', () => {
  it('records a syndicated copy at another URL as an alternate, indexing one copy only', async () => {
    server = await startFixtureServer({
      '/ledger/science/halvard-glacier.html': serve('wire-glacier-original.html', HTML),
      '/gazette/world/record-retreat-halvard.html': serve('wire-glacier-syndicated-copy.html', HTML),
      '/fjordside/halvard-shrinks.html': serve('wire-glacier-edited-copy.html', HTML),
    });
    core = await openCore();
    const original = await core.sources.addUrl(`${server.url}/ledger/science/halvard-glacier.html`, { guildId: null });
    expect(original.report.added).toBe(1);
    const originalId = original.report.articleIds[0]!;
    const chunks = core.stats().chunks;
    const vectors = core.stats().index.vectors;

    const copy = await core.sources.addUrl(`${server.url}/gazette/world/record-retreat-halvard.html`, { guildId: null });
    expect(copy.report).toMatchObject({ added: 0, alternates: 1, chunks: 0 });
    expect(core.stats().chunks).toBe(chunks);
    expect(core.stats().index.vectors).toBe(vectors);
    expect(core.stats().articles).toBe(2);
    expect(core.alternates(originalId)).toEqual([
      { outlet: 'Valley Gazette', url: `${server.url}/gazette/world/record-retreat-halvard.html`, title: 'Record retreat measured at Halvard glacier' },
    ]);
    // A copy-edited version (a reworded lead, the last sentence cut) is the same story too.
    const edited = await core.sources.addUrl(`${server.url}/fjordside/halvard-shrinks.html`, { guildId: null });
    expect(edited.report).toMatchObject({ added: 0, alternates: 1 });
    expect(core.stats().chunks).toBe(chunks);
    expect(
      core
        .alternates(originalId)
        .map((a) => a.outlet)
        .sort(),
    ).toEqual(['Fjordside Weekly', 'Valley Gazette']);
    // The copy's source counts the story too.
    expect(core.sources.get(copy.source.id)!.articleCount).toBe(1);

    // Answers cite the one indexed copy.
    const ps = await core.retriever.retrieve('How far did the Halvard glacier retreat last summer?', { k: 5 });
    expect(new Set(ps.map((p) => p.articleId))).toEqual(new Set([originalId]));
    // …and say who else carried it.
    const answer = await core.ask('How far did the Halvard glacier retreat last summer?');
    expect(answer.citations[0]?.also_reported_by?.sort()).toEqual(['Fjordside Weekly', 'Valley Gazette']);

    // Polling the copy again is free: its URL is known, nothing changes.
    const again = await core.sources.refresh(copy.source.id);
    expect(again.report.added + again.report.alternates + again.report.updated).toBe(0);
    expect(core.stats().articles).toBe(3);
  });

  it('replaces the chunks of an article updated in place: the new text is answerable, the old is gone', async () => {
    let version = 1;
    server = await startFixtureServer({
      '/news/budget.html': (req, res) => serve(version === 1 ? 'article-council-budget-v1.html' : 'article-council-budget-v2.html', HTML)(req, res),
    });
    core = await openCore();
    const first = await core.sources.addUrl(`${server.url}/news/budget.html`, { guildId: null });
    expect(first.source.kind).toBe('page');
    const articleId = first.report.articleIds[0]!;
    const oldChunkIds = probeStore(core).values('SELECT id FROM chunks WHERE article_id = ?', articleId);
    expect((await passagesFor(core, 'How much was the grant to restore the Skerry Point lighthouse?')).join(' ')).toContain(
      'restore the lighthouse on Skerry Point',
    );

    version = 2;
    const second = await core.sources.refresh(first.source.id);
    expect(second.report).toMatchObject({ added: 0, updated: 1 });
    expect(second.report.articleIds).toEqual([articleId]);

    const stats = core.stats();
    expect(stats.articles).toBe(1);
    expect(stats.index.vectors).toBe(stats.chunks);
    const newChunkIds = probeStore(core).values('SELECT id FROM chunks WHERE article_id = ?', articleId);
    expect(newChunkIds.some((id) => oldChunkIds.includes(id))).toBe(false);
    expect(core.index.ids().some((id: number) => oldChunkIds.includes(id))).toBe(false);

    const fresh = await core.ask('How large is the ferry subsidy for the Tarn Island crossing?');
    expect(fresh.answer).toContain('9 million');
    const old = await passagesFor(core, 'How much was the grant to restore the Skerry Point lighthouse?');
    expect(old.join(' ')).not.toContain('lighthouse');
    const text = probeStore(core).value<string>('SELECT text FROM articles WHERE id = ?', articleId);
    expect(text).not.toContain('Skerry Point');
    expect(text).toContain('Tarn Island');
  });
});
