import { UserError } from '../errors.ts';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * A date as YYYY-MM-DD. The calendar date written in the string wins over its UTC conversion:
 * "2024-11-07T23:30-05:00" was published on the 7th where it was written, so we say the 7th.
 */
export function toIsoDate(raw: string): string | null {
  const s = raw.trim();
  const ymd = (y: number, mo: number, d: number) => {
    if (y < 1900 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31) return null;
    const dt = new Date(Date.UTC(y, mo - 1, d));
    if (dt.getUTCMonth() !== mo - 1) return null;
    return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  };
  let m = s.match(/^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s])/) ?? s.match(/^(\d{4})(\d{2})(\d{2})(?:$|T)/);
  if (m) return ymd(+m[1]!, +m[2]!, +m[3]!);
  m = s.match(/\b(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3})[a-z]*\.?,?\s+(\d{4})\b/i);
  if (m && MONTHS.includes(m[2]!.toLowerCase())) return ymd(+m[3]!, MONTHS.indexOf(m[2]!.toLowerCase()) + 1, +m[1]!);
  m = s.match(/\b([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/i);
  if (m && MONTHS.includes(m[1]!.toLowerCase())) return ymd(+m[3]!, MONTHS.indexOf(m[1]!.toLowerCase()) + 1, +m[2]!);
  const t = Date.parse(s);
  if (!Number.isFinite(t)) return null;
  const d = new Date(t);
  return ymd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

const DAY_MS = 86_400_000;

/** Days since the epoch for a YYYY-MM-DD (or ISO) date; null when absent or unreadable. */
export function dayNumber(date: string | null | undefined): number | null {
  if (!date) return null;
  const t = Date.parse(date.length === 10 ? `${date}T00:00:00Z` : date);
  return Number.isNaN(t) ? null : Math.floor(t / DAY_MS);
}

/** A calendar day as YYYY-MM-DD, or a UserError naming the flag or option it came from. */
export function parseDay(s: string, label: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`))) {
    throw new UserError('bad-input', `${label} takes a date as YYYY-MM-DD, got "${s}".`);
  }
  return s;
}

/**
 * `since` as users type it, on the command line and in Discord: a date (2024-11-01) or a span back
 * from the reference day ("7d", "2w", "3 days", "1 week"). The reference is `now`, or the as-of day
 * when a question is asked as of a date. Returns YYYY-MM-DD.
 */
export function parseSince(raw: string, ref: Date | string = new Date(), label = '"since"'): string {
  const s = raw.trim().toLowerCase();
  const rel = /^(\d{1,6})\s*(d|day|days|w|week|weeks)$/.exec(s);
  if (rel) {
    const days = Number(rel[1]) * (rel[2]!.startsWith('w') ? 7 : 1);
    const from = typeof ref === 'string' ? Date.parse(`${ref}T00:00:00Z`) : ref.getTime();
    const day = new Date(from - days * DAY_MS);
    if (!Number.isNaN(day.getTime())) return day.toISOString().slice(0, 10);
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`))) return s;
  throw new UserError('bad-input', `${label} takes a date such as 2024-11-01 or a span such as 7d or 2w (got "${raw}").`);
}

export const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * "12 March 2031" for a YYYY-MM-DD day (a longer ISO timestamp is cut to its day); with `now`, the
 * year is left out when it is the current one ("12 Mar" with `month: 'short'`). Unparseable input is
 * returned as it is.
 */
export function formatDay(ymd: string, opts: { now?: Date; month?: 'long' | 'short' } = {}): string {
  const [y, m, d] = ymd.slice(0, 10).split('-').map(Number) as [number, number, number];
  const month = MONTH_NAMES[m - 1];
  if (!month || !y || !d) return ymd;
  const name = opts.month === 'short' ? month.slice(0, 3) : month;
  return `${d} ${name}${opts.now && y === opts.now.getUTCFullYear() ? '' : ` ${y}`}`;
}
