import { describe, expect, it } from 'vitest';
import {
  checkCitations,
  citationMarkers,
  containsAnswer,
  firstHitRank,
  meanReciprocalRank,
  normalizeAnswer,
  percentile,
  rate,
  recallAtK,
  summarizeLatency,
} from '../../src/eval/metrics.ts';

describe('normalizeAnswer', () => {
  it('ignores case, whitespace, punctuation, curly quotes and accents', () => {
    expect(normalizeAnswer('  “Squid   Game”! ')).toBe('squid game');
    expect(normalizeAnswer('"Squid Game"')).toBe('squid game');
    expect(normalizeAnswer('Pokémon')).toBe('pokemon');
    expect(normalizeAnswer('COVID-19')).toBe('covid 19');
  });

  it('keeps acronyms and digit groups whole', () => {
    expect(normalizeAnswer('the U.S. Senate')).toBe('the us senate');
    expect(normalizeAnswer('$20,000')).toBe('20000');
    expect(normalizeAnswer('38.7C')).toBe('38 7c');
  });
});

describe('containsAnswer', () => {
  it('matches on normalised text', () => {
    expect(containsAnswer('Netflix renewed the hit show “Squid Game” for a second season.', '"Squid Game"')).toBe(true);
    expect(containsAnswer('Sales rose 20,000 units', '$20,000')).toBe(true);
    expect(containsAnswer('The u.s. said', 'U.S.')).toBe(true);
  });

  it('matches whole words only', () => {
    expect(containsAnswer('European regulators agreed on USB-C', 'Europe')).toBe(false);
    expect(containsAnswer('In 2022 the law passed', '2')).toBe(false);
    expect(containsAnswer("Biden's plan", 'Biden')).toBe(true);
  });

  it('never matches an empty answer', () => {
    expect(containsAnswer('anything', '  ...  ')).toBe(false);
  });
});

describe('ranking metrics', () => {
  const passages = ['Nothing here.', 'The winner was Elena Voss.', 'Elena Voss again.'];

  it('finds the 1-based rank of the first passage with the answer', () => {
    expect(firstHitRank(passages, 'elena voss')).toBe(2);
    expect(firstHitRank(passages, 'Piet Olander')).toBeNull();
  });

  it('computes recall@k and MRR@10 from ranks', () => {
    const ranks = [1, 3, null, 12];
    expect(recallAtK(ranks, 1)).toBe(0.25);
    expect(recallAtK(ranks, 3)).toBe(0.5);
    expect(recallAtK(ranks, 10)).toBe(0.5);
    // (1 + 1/3 + 0 + 0 [rank 12 is past the cutoff]) / 4
    expect(meanReciprocalRank(ranks, 10)).toBeCloseTo((1 + 1 / 3) / 4, 10);
    expect(recallAtK([], 5)).toBe(0);
    expect(meanReciprocalRank([])).toBe(0);
  });
});

describe('percentile', () => {
  it('interpolates linearly between closest ranks', () => {
    const xs = [5, 1, 4, 2, 3];
    expect(percentile(xs, 50)).toBe(3);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile(xs, 100)).toBe(5);
    expect(percentile(xs, 95)).toBeCloseTo(4.8, 10);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarises a latency sample', () => {
    const s = summarizeLatency(Array.from({ length: 101 }, (_, i) => i));
    expect(s).toEqual({ p50: 50, p95: 95, p99: 99, mean: 50 });
  });
});

describe('checkCitations', () => {
  const articles = ['The council approved the budget on Monday. It passed 7 to 2.', 'Floods hit the valley.'];

  it('accepts markers that point at given citations with verbatim quotes', () => {
    const r = checkCitations(
      'The budget passed [1], amid floods [2].',
      [
        { n: 1, quote: 'It passed 7 to 2.' },
        { n: 2, quote: 'Floods hit the valley.' },
      ],
      (i) => articles[i],
    );
    expect(r).toEqual({ valid: true, danglingMarkers: [], badQuotes: [] });
    expect(citationMarkers('a [1] b [12] c [1]')).toEqual([1, 12, 1]);
  });

  it('rejects a marker without a citation and a quote that is not in its article', () => {
    const r = checkCitations('Passed [1] [3].', [{ n: 1, quote: 'It passed 8 to 1.' }], (i) => articles[i]);
    expect(r.valid).toBe(false);
    expect(r.danglingMarkers).toEqual([3]);
    expect(r.badQuotes).toEqual([1]);
  });

  it('rejects a citation whose article is unknown', () => {
    expect(checkCitations('x [1]', [{ n: 1, quote: 'x' }], () => undefined).valid).toBe(false);
  });
});

describe('rate', () => {
  it('is null for nothing to measure', () => {
    expect(rate([])).toBeNull();
    expect(rate([true, false, true, true])).toBe(0.75);
  });
});
