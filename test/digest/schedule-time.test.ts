import { describe, expect, it } from 'vitest';
import { assertTimeZone, nextRunAfter, parseClock } from '../../src/digest/schedule-time.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();

describe('schedule times in IANA zones (Intl only)', () => {
  it('finds the next local time, across daylight-saving changes', () => {
    const daily = (time: string, timeZone: string) => ({ time, timeZone, frequency: 'daily' as const, weekday: null });
    // Berlin moves to summer time on 29 March 2026: 08:00 is 07:00Z before, 06:00Z after.
    expect(iso(nextRunAfter(daily('08:00', 'Europe/Berlin'), at('2026-03-28T05:00:00Z')))).toBe('2026-03-28T07:00:00.000Z');
    expect(iso(nextRunAfter(daily('08:00', 'Europe/Berlin'), at('2026-03-28T12:00:00Z')))).toBe('2026-03-29T06:00:00.000Z');
    // 02:30 does not exist that night in Berlin: it runs at 03:30 local.
    expect(iso(nextRunAfter(daily('02:30', 'Europe/Berlin'), at('2026-03-28T12:00:00Z')))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(nextRunAfter(daily('00:15', 'Asia/Kolkata'), at('2026-12-01T18:00:00Z')))).toBe('2026-12-01T18:45:00.000Z');
  });

  it('runs weekly schedules on their weekday only', () => {
    // 2026-12-01 is a Tuesday; Monday (1) 18:00 New York = 23:00Z.
    const t = nextRunAfter({ time: '18:00', timeZone: 'America/New_York', frequency: 'weekly', weekday: 1 }, at('2026-12-01T12:00:00Z'));
    expect(iso(t)).toBe('2026-12-07T23:00:00.000Z');
  });

  it('refuses unknown zones and bad times with a clear message, and defaults to UTC', () => {
    expect(assertTimeZone(undefined)).toBe('UTC');
    expect(assertTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(() => assertTimeZone('Europe/Atlantis')).toThrow(/Unknown time zone "Europe\/Atlantis"/);
    expect(parseClock('8:05').text).toBe('08:05');
    expect(() => parseClock('24:00')).toThrow(/24-hour HH:MM/);
    expect(() => parseClock('noon')).toThrow(/not a time of day/);
  });
});
