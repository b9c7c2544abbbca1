import { UserError } from '../errors.ts';
import type { DigestFrequency } from '../db/digest-repo.ts';

/** Wall-clock arithmetic in IANA time zones with nothing but `Intl` (no time-zone library). */

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The canonical name of an IANA time zone ("europe/berlin" → "Europe/Berlin"), or a UserError. */
export function assertTimeZone(raw: string | null | undefined): string {
  const tz = (raw ?? 'UTC').trim() || 'UTC';
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    throw new UserError('bad-input', `Unknown time zone "${tz}". Use an IANA name such as Europe/Berlin, America/New_York or UTC.`);
  }
}

/** "08:30" → { hour: 8, minute: 30 }; also accepts "8:30". */
export function parseClock(raw: string): { hour: number; minute: number; text: string } {
  const m = /^(\d{1,2}):(\d{2})$/.exec(raw.trim());
  const hour = m ? Number(m[1]) : NaN;
  const minute = m ? Number(m[2]) : NaN;
  if (!m || hour > 23 || minute > 59) throw new UserError('bad-input', `"${raw}" is not a time of day: use 24-hour HH:MM, e.g. 08:30 or 18:00.`);
  return { hour, minute, text: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}` };
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'long',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The wall-clock reading of instant `t` in `tz`. */
export function localParts(t: number, tz: string): LocalParts & { second: number } {
  const parts = Object.fromEntries(
    formatter(tz)
      .formatToParts(new Date(t))
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
  };
}

function offsetMs(t: number, tz: string): number {
  const p = localParts(t, tz);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(t / 1000) * 1000;
}

/** The instant when the wall clock in `tz` shows the given date and time (a time skipped by DST moves forward). */
export function zonedTime(year: number, month: number, day: number, hour: number, minute: number, tz: string): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const first = guess - offsetMs(guess, tz);
  const second = guess - offsetMs(first, tz);
  return second;
}

/**
 * The next run strictly after `after`: today's or a later day's `time` in `tz`; weekly runs fall on
 * `weekday` (0 = Sunday). A run that was missed is not replayed: the next one is always in the future.
 */
export function nextRunAfter(s: { time: string; timeZone: string; frequency: DigestFrequency; weekday: number | null }, after: number): number {
  const { hour, minute } = parseClock(s.time);
  const start = localParts(after, s.timeZone);
  for (let i = 0; i < 9; i++) {
    // Walk calendar days in the zone's own calendar (UTC date arithmetic on local Y-M-D).
    const d = new Date(Date.UTC(start.year, start.month - 1, start.day + i));
    if (s.frequency === 'weekly' && s.weekday !== null && d.getUTCDay() !== s.weekday) continue;
    const t = zonedTime(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), hour, minute, s.timeZone);
    if (t > after) return t;
  }
  throw new Error(`no next run found for ${JSON.stringify(s)}`);
}

export function weekdayName(n: number): string {
  return WEEKDAYS[n] ?? '?';
}
