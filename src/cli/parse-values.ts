import { UserError } from '../errors.ts';
import { parseDay as parseDayText, parseSince as parseSinceText } from '../text/dates.ts';

/** A source id as typed on the command line; anything else is a usage error, never "#NaN". */
export function parseId(raw: string | undefined, what: string): number {
  const n = raw !== undefined && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new UserError('usage', `${what} needs a source id (a whole number, see "newsdesk sources list")${raw === undefined ? '' : `, got "${raw}"`}.`);
  }
  return n;
}

/** A whole number within [min, max] for `flag`. */
export function parseWhole(raw: string, flag: string, min: number, max: number): number {
  const n = /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UserError('usage', `${flag} takes a whole number from ${min} to ${max}, got "${raw}".`);
  }
  return n;
}

/** The shared date parsers (src/text/dates.ts), with their mistakes as usage errors (exit 2). */
export function parseDay(s: string, flag: string): string {
  return asUsage(() => parseDayText(s, flag));
}

/** "2024-11-01" or a relative "7d" / "2w" counted back from the as-of date (default today). */
export function parseSince(s: string, asOf?: string): string {
  return asUsage(() => parseSinceText(s, asOf ?? new Date(), '--since'));
}

function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof UserError && err.code === 'bad-input') throw new UserError('usage', err.message, { cause: err });
    throw err;
  }
}
