import { formatDay, MONTH_NAMES } from '../text/dates.ts';

/**
 * How fresh an answer is: as of when it answers, how old its newest evidence is, a plain sentence
 * when a "latest / this week / today" question only has old evidence, and which sources behind
 * its citations are failing or paused. Presentation on top of the citations' publication dates:
 * it never changes what is retrieved or answered.
 */
export interface Freshness {
  /** When the answer was made (ISO). */
  asOf: string;
  /** The newest publication day among the citations (YYYY-MM-DD), if any is dated. */
  newestEvidence: string | null;
  ageDays: number | null;
  /** "As of 1 Dec 2026, 22:10 UTC · newest evidence: 3 days old (28 Nov 2026)". */
  line: string;
  /** "The newest tracked report is from 12 March." for time-sensitive questions with evidence older than a week. */
  stale: string | null;
  /** "Varnholm Gazette (cited) is failing: HTTP 503; last success 28 Nov". */
  troubles: string[];
}

export interface FreshnessInput {
  question: string;
  citations: Array<{ published: string | null }>;
  now: Date;
  /** Sources behind the cited articles that are failing or paused. */
  troubles?: Array<{ name: string; state: 'failing' | 'paused'; lastError: string | null; lastSuccessAt: string | null }>;
  /** Newest publication day in the whole scope, for an answer without dated citations. */
  newestInScope?: string | null;
}

/** Evidence older than this, for a question about now, is called out. */
export const STALE_AFTER_DAYS = 7;

const TIME_SENSITIVE =
  /\b(latest|newest|most recent|recent(?:ly)?|this (?:week|month|morning|evening|year)|today|tonight|yesterday|right now|currently|current|now|breaking|so far)\b/i;

/** Whether a question asks about the present ("latest", "this week", "today" …). */
export function isTimeSensitive(question: string): boolean {
  return TIME_SENSITIVE.test(question);
}

/** "1 Dec 2026, 22:10 UTC". */
export function formatMoment(at: Date): string {
  const hh = String(at.getUTCHours()).padStart(2, '0');
  const mm = String(at.getUTCMinutes()).padStart(2, '0');
  return `${at.getUTCDate()} ${MONTH_NAMES[at.getUTCMonth()]!.slice(0, 3)} ${at.getUTCFullYear()}, ${hh}:${mm} UTC`;
}

/** "today", "1 day old", "3 weeks old". */
export function formatAge(days: number): string {
  if (days <= 0) return 'from today';
  const unit = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'} old`;
  if (days < 14) return unit(days, 'day');
  if (days < 60) return unit(Math.floor(days / 7), 'week');
  if (days < 730) return unit(Math.floor(days / 30.44), 'month');
  return unit(Math.floor(days / 365.25), 'year');
}

export function describeFreshness(input: FreshnessInput): Freshness {
  const { now } = input;
  const dated = input.citations.map((c) => c.published?.slice(0, 10)).filter((d): d is string => !!d && /^\d{4}-\d{2}-\d{2}$/.test(d));
  const newest = dated.length ? dated.reduce((a, b) => (a > b ? a : b)) : null;
  const today = Math.floor(now.getTime() / 86_400_000);
  const ageDays = newest ? Math.max(0, today - Math.floor(Date.parse(`${newest}T00:00:00Z`) / 86_400_000)) : null;
  const evidence =
    newest && ageDays !== null
      ? `newest evidence: ${formatAge(ageDays)} (${formatDay(newest, { now, month: 'short' })})`
      : input.citations.length
        ? 'the cited articles carry no date'
        : null;
  const line = [`As of ${formatMoment(now)}`, evidence].filter(Boolean).join(' · ');
  const reference = newest ?? input.newestInScope ?? null;
  const refAge = reference ? today - Math.floor(Date.parse(`${reference}T00:00:00Z`) / 86_400_000) : null;
  const stale =
    isTimeSensitive(input.question) && reference && refAge !== null && refAge > STALE_AFTER_DAYS
      ? `The newest tracked report is from ${formatDay(reference, { now })}.`
      : null;
  const troubles = (input.troubles ?? []).map((t) => {
    const what = t.state === 'paused' ? 'is paused' : 'is failing';
    const err = t.lastError ? `: ${t.lastError.slice(0, 120)}` : '';
    const ok = t.lastSuccessAt ? `; last success ${formatDay(t.lastSuccessAt.slice(0, 10), { now, month: 'short' })}` : '';
    return `${t.name} (cited) ${what}${err}${ok}`;
  });
  return { asOf: now.toISOString(), newestEvidence: newest, ageDays, line, stale, troubles };
}
