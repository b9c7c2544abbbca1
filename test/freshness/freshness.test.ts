import { describe, expect, it } from 'vitest';
import { describeFreshness, formatAge, isTimeSensitive } from '../../src/freshness/freshness.ts';

const NOW = new Date('2026-12-01T22:10:00Z');

describe('answer freshness', () => {
  it('says as of when it answers and how old the newest cited evidence is', () => {
    const f = describeFreshness({ question: 'What did the council decide?', citations: [{ published: '2026-11-28' }, { published: '2026-10-02' }], now: NOW });
    expect(f.line).toBe('As of 1 Dec 2026, 22:10 UTC · newest evidence: 3 days old (28 Nov)');
    expect(f.newestEvidence).toBe('2026-11-28');
    expect(f.stale).toBeNull();
    expect(f.troubles).toEqual([]);
  });

  it('says plainly when a latest / this week / today question only has evidence older than a week', () => {
    const f = describeFreshness({ question: 'What is the latest on the ferry timetable?', citations: [{ published: '2026-03-12' }], now: NOW });
    expect(f.stale).toBe('The newest tracked report is from 12 March.');
    const older = describeFreshness({ question: 'What happened this week?', citations: [{ published: '2025-03-12' }], now: NOW });
    expect(older.stale).toBe('The newest tracked report is from 12 March 2025.');
    // Not time-sensitive: old evidence is fine, no warning.
    expect(describeFreshness({ question: 'Who built the bridge?', citations: [{ published: '2020-03-12' }], now: NOW }).stale).toBeNull();
    // Nothing cited: the newest report in scope is named instead.
    expect(describeFreshness({ question: 'Any news today?', citations: [], now: NOW, newestInScope: '2026-11-02' }).stale).toBe(
      'The newest tracked report is from 2 November.',
    );
  });

  it('names failing and paused sources behind the citations', () => {
    const f = describeFreshness({
      question: 'q',
      citations: [{ published: '2026-12-01' }],
      now: NOW,
      troubles: [
        { name: 'Flaky Times', state: 'failing', lastError: 'HTTP 503', lastSuccessAt: '2026-11-30T08:00:00Z' },
        { name: 'Old Gazette', state: 'paused', lastError: null, lastSuccessAt: null },
      ],
    });
    expect(f.line).toMatch(/newest evidence: from today/);
    expect(f.troubles).toEqual(['Flaky Times (cited) is failing: HTTP 503; last success 30 Nov', 'Old Gazette (cited) is paused']);
  });

  it('reads time-sensitive wording and ages in human units', () => {
    expect(isTimeSensitive('latest news on Mauna Loa')).toBe(true);
    expect(isTimeSensitive('What happened today in Paris?')).toBe(true);
    expect(isTimeSensitive('Who won the 1998 World Cup?')).toBe(false);
    expect([0, 1, 13, 20, 90, 800].map(formatAge)).toEqual(['from today', '1 day old', '13 days old', '2 weeks old', '2 months old', '2 years old']);
  });
});
