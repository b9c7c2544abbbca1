import { describe, expect, it } from 'vitest';
import { dayNumber, parseDay, parseSince } from '../../src/text/dates.ts';

describe('parseSince (one grammar for the CLI and Discord)', () => {
  it('counts spans back from the as-of day when a question is asked as of a date', () => {
    expect(parseSince('7d', '2024-11-30')).toBe('2024-11-23');
    expect(parseSince('2w', '2024-11-30')).toBe('2024-11-16');
    expect(parseSince('3 days', '2024-11-30')).toBe('2024-11-27');
    expect(parseSince('1 week', '2024-11-30')).toBe('2024-11-23');
    expect(parseSince(' 10D ', '2024-11-30')).toBe('2024-11-20');
  });

  it('passes a calendar date through and names the option in its error', () => {
    expect(parseSince('2024-11-01', '2024-11-30')).toBe('2024-11-01');
    expect(() => parseSince('2024-13-01', new Date(), '--since')).toThrow(/--since takes a date such as 2024-11-01 or a span such as 7d or 2w/);
    expect(() => parseSince('999999999d')).toThrow(/"since" takes a date/);
  });
});

describe('parseDay and dayNumber', () => {
  it('accepts only YYYY-MM-DD and counts days since the epoch', () => {
    expect(parseDay('2024-11-07', '--as-of')).toBe('2024-11-07');
    expect(() => parseDay('7 Nov 2024', '--as-of')).toThrow(/--as-of takes a date as YYYY-MM-DD/);
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(dayNumber(null)).toBeNull();
    expect(dayNumber('not a date')).toBeNull();
  });
});
