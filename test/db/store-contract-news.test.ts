/**
 * The storage port's contract, part two: watches and alerts, digests and answer snapshots, the
 * question log with citations and votes, channel settings — the same suite on both adapters.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/db/store.ts';
import { dropTemplate, freshStore, STORE_ADAPTERS, type StoreTarget } from '../helpers/store-adapters.ts';
import { article, chunksOf } from '../helpers/store-fixtures.ts';

describe.each(STORE_ADAPTERS)('the store on $name', ({ name, available }) => {
  let target: StoreTarget;
  let store: Store;

  beforeEach(async (ctx) => {
    if (!available) ctx.skip();
    target = await freshStore(name);
    store = target.open();
  });
  afterEach(async () => {
    store?.close();
    await target?.cleanup();
  });
  afterAll(() => dropTemplate());

  it('keeps watches per guild, claims each story once per channel, counts sent alerts and mutes stories', () => {
    const w = store.watches.insert({ guildId: 'g1', channelId: 'c1', topic: 'storm', createdBy: 'u1', at: '2026-12-01T10:00:00.000Z' });
    const other = store.watches.insert({ guildId: 'g2', channelId: 'c9', topic: 'budget', createdBy: null, at: '2026-12-01T10:01:00.000Z' });
    expect(w).toEqual({
      id: w.id,
      guildId: 'g1',
      channelId: 'c1',
      topic: 'storm',
      createdBy: 'u1',
      createdAt: '2026-12-01T10:00:00.000Z',
      alertsSent: 0,
      lastAlertAt: null,
      pausedReason: null,
    });
    expect(store.watches.get(w.id)).toEqual(w);
    expect(store.watches.list('g1').map((x) => x.id)).toEqual([w.id]);
    expect(store.watches.list().map((x) => x.id)).toEqual([w.id, other.id]);

    const claim = { channelId: 'c1', storyId: 7, watchId: w.id, guildId: 'g1', articleId: 7, at: '2026-12-01T11:00:00.000Z' };
    expect(store.watches.claim(claim, false)).toBe(true);
    expect(store.watches.claim({ ...claim, articleId: 8 }, false)).toBe(false); // the same story again
    expect(store.watches.claim({ ...claim, storyId: 9, articleId: 9 }, true)).toBe(true); // collapsed
    expect(store.watches.alertsSince('c1', '2026-12-01T10:30:00.000Z')).toBe(1);
    expect(store.watches.alertsSince('c1', '2026-12-01T11:30:00.000Z')).toBe(0);

    store.watches.sent('c1', 7, 'm-1', '2026-12-01T11:00:05.000Z');
    expect(store.watches.get(w.id)).toMatchObject({ alertsSent: 1, lastAlertAt: '2026-12-01T11:00:05.000Z' });
    expect(store.watches.alertOfMessage('m-1')).toEqual({ watchId: w.id, storyId: 7, guildId: 'g1' });
    expect(store.watches.alertOfMessage('m-404')).toBeUndefined();

    store.watches.unclaim('c1', 9);
    expect(store.watches.claim({ ...claim, storyId: 9, articleId: 9 }, false)).toBe(true);

    expect(store.watches.isMuted('g1', 7)).toBe(false);
    store.watches.mute('g1', 7, 'u1', '2026-12-01T12:00:00.000Z');
    store.watches.mute('g1', 7, 'u2', '2026-12-01T12:01:00.000Z'); // again: no error
    expect(store.watches.isMuted('g1', 7)).toBe(true);
    expect(store.watches.isMuted('g2', 7)).toBe(false);

    store.watches.pause(w.id, 'Missing Access');
    expect(store.watches.get(w.id)?.pausedReason).toBe('Missing Access');
    store.watches.remove(w.id);
    expect(store.watches.get(w.id)).toBeUndefined();
    // The alert outlives its watch (a later copy still must not alert), its watch id cleared.
    expect(store.watches.alertOfMessage('m-1')).toEqual({ watchId: null, storyId: 7, guildId: 'g1' });
  });

  it('keeps one digest schedule per guild, its runs, and answer snapshots', () => {
    const base = { guildId: 'g1', channelId: 'c1', time: '08:00', timeZone: 'Europe/Berlin', nextRunAt: '2026-12-03T07:00:00.000Z', createdBy: 'u1' };
    const s1 = store.digests.upsertSchedule({ ...base, frequency: 'daily', weekday: null, at: '2026-12-02T05:00:00.000Z' });
    const { createdBy: _by, ...shown } = base;
    expect(s1).toEqual({ ...shown, frequency: 'daily', weekday: null, lastRunAt: null, pausedReason: null });
    store.digests.pauseSchedule('g1', 'Missing Access');
    const s2 = store.digests.upsertSchedule({ ...base, channelId: 'c2', frequency: 'weekly', weekday: 1, at: '2026-12-02T05:01:00.000Z' });
    expect(s2).toMatchObject({ channelId: 'c2', frequency: 'weekly', weekday: 1, pausedReason: null });
    store.digests.upsertSchedule({ ...base, guildId: 'g0', frequency: 'daily', weekday: null, at: '2026-12-02T05:02:00.000Z' });
    expect(store.digests.schedules().map((s) => s.guildId)).toEqual(['g0', 'g1']);

    store.digests.ran('g1', '2026-12-03T07:00:01.000Z', '2026-12-10T07:00:00.000Z');
    expect(store.digests.schedule('g1')).toMatchObject({ lastRunAt: '2026-12-03T07:00:01.000Z', nextRunAt: '2026-12-10T07:00:00.000Z' });
    expect(store.digests.lastRun('g1')).toBeUndefined();
    store.digests.recordRun('g1', '2026-12-03T07:00:01.000Z', '2026-12-02T07:00:00.000Z', 4);
    store.digests.recordRun('g1', '2026-12-10T07:00:01.000Z', '2026-12-03T07:00:01.000Z', 2);
    expect(store.digests.lastRun('g1')).toBe('2026-12-10T07:00:01.000Z');
    expect(store.digests.removeSchedule('g1')).toBe(true);
    expect(store.digests.removeSchedule('g1')).toBe(false);
    expect(store.digests.schedule('g1')).toBeUndefined();

    const id = store.digests.saveSnapshot({ guildId: null, question: 'What happened?', answeredAt: '2026-12-02T05:00:00.000Z', articleIds: [3, 1] });
    const id2 = store.digests.saveSnapshot({ guildId: 'g1', question: 'And then?', answeredAt: '2026-12-02T05:01:00.000Z', articleIds: [] });
    expect(id2).toBeGreaterThan(id);
    expect(store.digests.snapshot(id)).toEqual({ id, guildId: null, question: 'What happened?', answeredAt: '2026-12-02T05:00:00.000Z', articleIds: [3, 1] });
    expect(store.digests.snapshot(id + 1000)).toBeUndefined();
  });

  it('logs questions with citations per scope, votes on them, and deletes by age and scope', () => {
    const src = store.sources.upsert({ guildId: 'g1', kind: 'feed', url: 'https://news.example/feed' });
    const a = article();
    const { articleId } = store.transaction(() => store.articles.insert(a, chunksOf(a), src.id));
    const entry = (over: Partial<Parameters<Store['questions']['insert']>[0]> = {}) => ({
      guildId: 'g1',
      channelId: 'c1',
      via: 'slash' as const,
      question: 'What hit the coast?',
      answer: 'A storm [1].',
      grounded: true,
      citations: [{ n: 1, articleId, title: a.title, url: a.url, source: 'Example News' }],
      askedAt: '2026-12-01T10:00:00.000Z',
      ...over,
    });
    const q1 = store.questions.insert(entry());
    const q2 = store.questions.insert(
      entry({
        guildId: null,
        channelId: null,
        via: 'mention',
        grounded: false,
        notCoveredReason: 'no sources',
        citations: [],
        askedAt: '2026-12-01T11:00:00.000Z',
      }),
    );
    const q3 = store.questions.insert(entry({ threadId: 't1', question: 'And the damage?', askedAt: '2026-12-02T09:00:00.000Z' }));
    expect(store.questions.get(q1)).toEqual({
      id: q1,
      guildId: 'g1',
      channelId: 'c1',
      threadId: null,
      via: 'slash',
      question: 'What hit the coast?',
      answer: 'A storm [1].',
      grounded: true,
      notCoveredReason: null,
      askedAt: '2026-12-01T10:00:00.000Z',
    });
    expect(store.questions.get(q2)).toMatchObject({ grounded: false, notCoveredReason: 'no sources', guildId: null });
    expect(store.questions.citations(q1)).toEqual([{ n: 1, articleId, title: a.title, url: a.url, source: 'Example News' }]);
    expect(store.questions.citations(q2)).toEqual([]);

    store.questions.setThread(q1, 't1');
    expect(store.questions.threadQuestions('t1', 10)).toEqual(['What hit the coast?', 'And the damage?']);
    expect(store.questions.threadQuestions('t1', 1)).toEqual(['And the damage?']);

    expect(store.questions.since({ kind: 'guild', guildId: 'g1' }, '2026-12-01T00:00:00.000Z').map((q) => q.id)).toEqual([q1, q3]);
    expect(store.questions.since({ kind: 'guild', guildId: null }, '2026-12-01T00:00:00.000Z').map((q) => q.id)).toEqual([q2]);
    expect(store.questions.since({ kind: 'all' }, '2026-12-01T10:30:00.000Z').map((q) => q.id)).toEqual([q2, q3]);
    expect(store.questions.citedSourceIds({ kind: 'guild', guildId: 'g1' })).toEqual(new Set([src.id]));
    expect(store.questions.citedSourceIds({ kind: 'guild', guildId: 'g2' })).toEqual(new Set());

    store.feedback.upsert({ questionId: q1, userId: 'u1', vote: -1, reason: 'outdated', comment: 'old news', votedAt: '2026-12-01T10:05:00.000Z' });
    store.feedback.upsert({ questionId: q1, userId: 'u2', vote: 1, votedAt: '2026-12-01T10:06:00.000Z' });
    expect(store.feedback.counts(q1)).toEqual({ up: 1, down: 1 });
    store.feedback.upsert({ questionId: q1, userId: 'u1', vote: 1, votedAt: '2026-12-01T10:07:00.000Z' }); // changed their mind
    expect(store.feedback.counts(q1)).toEqual({ up: 2, down: 0 });
    expect(store.feedback.get(q1, 'u1')).toEqual({ questionId: q1, userId: 'u1', vote: 1, reason: null, comment: null, votedAt: '2026-12-01T10:07:00.000Z' });
    expect(store.feedback.counts(q2)).toEqual({ up: 0, down: 0 });
    expect(store.feedback.since({ kind: 'guild', guildId: 'g1' }, '2026-12-01T00:00:00.000Z').map((v) => v.userId)).toEqual(['u2', 'u1']);
    expect(store.feedback.since({ kind: 'guild', guildId: null }, '2026-12-01T00:00:00.000Z')).toEqual([]);

    expect(store.questions.deleteOlderThan('2026-12-01T10:30:00.000Z')).toBe(1);
    expect(store.questions.get(q1)).toBeUndefined();
    expect(store.feedback.get(q1, 'u2')).toBeUndefined(); // votes go with their question
    expect(store.questions.deleteAll({ kind: 'guild', guildId: null })).toBe(1);
    expect(store.questions.since({ kind: 'all' }, '2000-01-01').map((q) => q.id)).toEqual([q3]);
  });

  it('keeps per-channel settings', () => {
    expect(store.channelSettings.get('g1', 'c1')).toEqual({ guildId: 'g1', channelId: 'c1', askInThreads: false });
    expect(store.channelSettings.setAskInThreads('g1', 'c2', true)).toEqual({ guildId: 'g1', channelId: 'c2', askInThreads: true });
    store.channelSettings.setAskInThreads('g1', 'c1', true);
    store.channelSettings.setAskInThreads('g2', 'c3', true);
    expect(store.channelSettings.list('g1').map((c) => c.channelId)).toEqual(['c1', 'c2']);
    store.channelSettings.setAskInThreads('g1', 'c1', false);
    expect(store.channelSettings.list('g1')).toEqual([{ guildId: 'g1', channelId: 'c2', askInThreads: true }]);
  });

  it('answers the story queries a guild asks: what was added since, when, and which sources behind a citation are in trouble', () => {
    const ok = store.sources.upsert({ guildId: 'g1', kind: 'feed', url: 'https://ok.example/feed' });
    const failing = store.sources.upsert({ guildId: 'g1', kind: 'feed', url: 'https://bad.example/feed', name: 'Bad Feed' });
    const hidden = store.sources.upsert({ guildId: 'g2', kind: 'feed', url: 'https://g2.example/feed' });
    const a = article({ url: 'https://ok.example/a', externalId: 'ext-a' });
    const b = article({ url: 'https://bad.example/b', contentHash: 'hb', published: '2026-12-01' });
    const c = article({ url: 'https://g2.example/c', contentHash: 'hc', published: '2026-12-02' });
    const ra = store.transaction(() => store.articles.insert(a, chunksOf(a), ok.id));
    const rb = store.transaction(() => store.articles.insert(b, chunksOf(b), failing.id));
    store.transaction(() => store.articles.insert(c, chunksOf(c), hidden.id));
    store.transaction(() => store.articles.linkSource(rb.articleId, hidden.id));
    store.sources.update(failing.id, { consecutiveFailures: 2, lastError: 'HTTP 503' });
    store.sources.update(hidden.id, { enabled: false });

    const since = store.stories.addedSince('g1', '2000-01-01T00:00:00.000Z', '2026-11-01', 9);
    expect(since.map((s) => [s.id, s.lead])).toEqual([
      [ra.articleId, 'The storm'],
      [rb.articleId, 'The storm'],
    ]);
    expect(store.stories.addedSince('g1', '2000-01-01T00:00:00.000Z', '2026-12-01').map((s) => s.id)).toEqual([rb.articleId]);
    const fetched = store.stories.fetchedAt([ra.articleId, rb.articleId, 999]);
    expect([...fetched.keys()].sort()).toEqual([ra.articleId, rb.articleId].sort());
    expect(store.stories.troubleFor([ra.articleId, rb.articleId], 'g1')).toEqual([
      { articleId: rb.articleId, sourceId: failing.id, name: 'Bad Feed', state: 'failing', lastError: 'HTTP 503', lastSuccessAt: null },
    ]);
    expect(store.stories.troubleFor([rb.articleId], 'g2')).toEqual([
      { articleId: rb.articleId, sourceId: hidden.id, name: 'https://g2.example/feed', state: 'paused', lastError: null, lastSuccessAt: null },
    ]);
    expect(store.stories.troubleFor([], 'g1')).toEqual([]);
    expect(store.stories.newestPublished('g1')).toBe('2026-12-01');
    expect(store.stories.newestPublished('g2')).toBe('2026-12-02');
    expect(store.stories.newestPublished(null)).toBeNull();
    expect(store.stories.guildsOf(rb.articleId)).toEqual(['g1', 'g2']);
    const byExt = store.stories.byExternalId();
    expect([...byExt.keys()]).toEqual(['ext-a']);
    expect(byExt.get('ext-a')).toEqual({ id: ra.articleId, storyId: ra.articleId, title: a.title, text: a.text });
    expect(store.articles.indexedIdOfExternal('ext-a')).toBe(ra.articleId);
    expect(store.articles.externalId(ra.articleId)).toBe('ext-a');
    expect([...store.articles.canonicalArticles({ withChunks: true })].map((r) => r.id)).toEqual([ra.articleId, rb.articleId, ra.articleId + 2]);
  });
});
