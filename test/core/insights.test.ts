import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/db/store.ts';
import type { Source } from '../../src/db/source-repo.ts';
import { createInsightsService, type InsightsService } from '../../src/core/insights.ts';
import { groupQuestions } from '../../src/core/coverage-gaps.ts';
import { isUserError } from '../../src/errors.ts';
import { tempDir } from '../helpers/test-core.ts';

const G = '2001';
const OTHER = '2002';
const notCovered = { answer: "The tracked news doesn't cover this.", grounded: false, citations: [] };
const answered = {
  answer: 'Tolls doubled [1].',
  grounded: true,
  citations: [{ n: 1, title: 'Tolls', url: 'https://x.example/1', source: 'Gazette' }],
  passages: [{ n: 1, article_id: 99 }],
};

const source = (id: number, patch: Partial<Source> = {}): Source =>
  ({
    id,
    guildId: G,
    kind: 'feed',
    url: `https://x.example/${id}.xml`,
    name: `S${id}`,
    enabled: true,
    consecutiveFailures: 0,
    pausedReason: null,
    lastError: null,
    articleCount: 3,
    ...patch,
  }) as Source;

let dir: string;
let store: Store;
let sources: Source[];
let insights: InsightsService;

function open(retentionDays = 90): InsightsService {
  return createInsightsService({ questions: store.questions, feedback: store.feedback, retentionDays, sources: () => sources });
}

beforeEach(() => {
  dir = tempDir('newsdesk-insights-');
  store = openStore(dir);
  sources = [
    source(1),
    source(2, { consecutiveFailures: 2, lastError: 'HTTP 500' }),
    source(3, { pausedReason: 'paused after 5 consecutive failures', enabled: false }),
  ];
  insights = open();
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const record = (question: string, result: typeof notCovered | typeof answered = notCovered, guildId: string | null = G) =>
  insights.record({ guildId, channelId: '3001', via: 'slash', question, result })!;

describe('the question log and its report', () => {
  it("keeps the engine's not-covered reason when it gives one", () => {
    record('What is new on the moon base?', { ...notCovered, not_covered_reason: 'nothing-relevant' } as typeof notCovered);
    record('Anything this week about the moon base?', { ...notCovered, not_covered_reason: 'stale' } as typeof notCovered);
    expect(insights.report({ kind: 'guild', guildId: G }, 7).not_covered_reasons).toEqual({ 'nothing-relevant': 1, stale: 1 });
  });

  it('counts answered and not covered, and groups alike not-covered questions as one gap', () => {
    record('How much does yak butter tea cost in Ulaanbaatar?');
    record('Ulaanbaatar yak butter tea cost?');
    record('Who won the chess final in Tromsø?');
    record('What did the harbour authority decide?', answered);
    record('Yak butter tea in Ulaanbaatar, how much?', notCovered, OTHER);
    const r = insights.report({ kind: 'guild', guildId: G }, 7);
    expect(r).toMatchObject({ questions: 4, answered: 1, not_covered: 3, answered_share: 0.25 });
    expect(r.coverage_gaps.map((g) => g.count)).toEqual([2, 1]);
    expect(r.coverage_gaps[0]!.examples).toHaveLength(2);
    expect(r.coverage_gaps[0]!.suggestion).toMatch(/Add a source/);
  });

  it('keeps one vote per user per answer, replaces it on a new click, and refuses other servers', () => {
    const id = record('What did the harbour authority decide?', answered);
    expect(insights.vote({ questionId: id, guildId: G, userId: 'u1', vote: 1 })).toEqual({ up: 1, down: 0 });
    expect(insights.vote({ questionId: id, guildId: G, userId: 'u1', vote: 1 })).toEqual({ up: 1, down: 0 });
    expect(insights.vote({ questionId: id, guildId: G, userId: 'u1', vote: -1 })).toEqual({ up: 0, down: 1 });
    insights.reason({ questionId: id, guildId: G, userId: 'u2', reason: 'outdated' }); // a reason casts the 👎
    insights.reason({ questionId: id, guildId: G, userId: 'u4', reason: 'other', comment: '  It missed the appeal.  ' });
    insights.vote({ questionId: id, guildId: G, userId: 'u4', vote: 1 }); // changed their mind: the comment goes with the 👎
    expect(insights.counts(id)).toEqual({ up: 1, down: 2 });
    const err = (() => {
      try {
        insights.vote({ questionId: id, guildId: OTHER, userId: 'u3', vote: 1 });
      } catch (e) {
        return e;
      }
    })();
    expect(isUserError(err) && err.code).toBe('not-found');
    const r = insights.report({ kind: 'guild', guildId: G }, 7);
    expect(r.feedback).toMatchObject({ up: 1, down: 2, reasons: { outdated: 1, other: 0 } });
    expect(r.feedback.worst[0]).toMatchObject({ question_id: id, down: 2, up: 1, comments: [], citations: [{ title: 'Tolls', url: 'https://x.example/1' }] });
    insights.reason({ questionId: id, guildId: G, userId: 'u4', reason: 'other', comment: '  It missed the appeal.  ' });
    expect(insights.report({ kind: 'guild', guildId: G }, 7).feedback.worst[0]!.comments).toEqual(['It missed the appeal.']);
  });

  // That a cited source drops off "never cited" is checked end to end (ask-features.e2e.test.ts): it needs real articles.
  it('reports failing, paused and never-cited sources', () => {
    const r = insights.report({ kind: 'guild', guildId: G }, 30);
    expect(r.sources.failing).toEqual([{ id: 2, name: 'S2', consecutive_failures: 2, last_error: 'HTTP 500' }]);
    expect(r.sources.paused).toEqual([{ id: 3, name: 'S3', reason: 'paused after 5 consecutive failures' }]);
    expect(r.sources.never_cited.map((s) => s.id)).toEqual([1, 2, 3]);
  });

  it('remembers the questions of a thread, oldest first', () => {
    insights.record({ guildId: G, channelId: 't1', threadId: 't1', via: 'mention', question: 'first?', result: notCovered });
    const second = record('second?');
    insights.attachThread(second, 't1');
    insights.record({ guildId: G, channelId: 't1', threadId: 't1', via: 'mention', question: 'third?', result: notCovered });
    expect(insights.threadQuestions('t1', 2)).toEqual(['second?', 'third?']);
  });

  it('deletes entries older than the retention period, and logs nothing at 0 days', () => {
    const id = record('old question?');
    insights.vote({ questionId: id, guildId: G, userId: 'u1', vote: -1 });
    expect(insights.prune(new Date(Date.now() + 89 * 86_400_000))).toBe(0);
    expect(insights.prune(new Date(Date.now() + 91 * 86_400_000))).toBe(1);
    expect(insights.question(id)).toBeUndefined();
    const off = open(0);
    expect(off.enabled).toBe(false);
    expect(off.record({ guildId: G, channelId: 'c', via: 'slash', question: 'q?', result: notCovered })).toBeNull();
    expect(off.report({ kind: 'all' }, 7)).toMatchObject({ logging: false, questions: 0 });
  });

  it('purges one server without touching another', () => {
    record('a?');
    record('b?', notCovered, OTHER);
    expect(insights.purge({ kind: 'guild', guildId: G })).toBe(1);
    expect(insights.report({ kind: 'guild', guildId: OTHER }, 7).questions).toBe(1);
    expect(insights.report({ kind: 'all' }, 7).questions).toBe(1);
  });
});

describe('groupQuestions', () => {
  it('keeps unlike questions apart and picks the most repeated wording', () => {
    const at = '2024-12-01T00:00:00Z';
    const groups = groupQuestions([
      { question: 'Varnholm ferry tolls?', askedAt: at },
      { question: 'Varnholm ferry tolls?', askedAt: at },
      { question: 'What happened to the ferry tolls in Varnholm?', askedAt: at },
      { question: 'Who won the chess final?', askedAt: at },
    ]);
    expect(groups.map((g) => [g.question, g.count])).toEqual([
      ['Varnholm ferry tolls?', 3],
      ['Who won the chess final?', 1],
    ]);
  });
});
