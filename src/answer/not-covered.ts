import { formatDay } from '../text/dates.ts';
import type { NotCoveredReason } from '../types.ts';

export const NOT_COVERED = "The tracked news doesn't cover this: no article I track answers that question.";

/** What the "not covered" reply says for each reason, with what the user can do about it. */
export function notCoveredText(reason: NotCoveredReason, detail: { newest?: string | null; quote?: string; recent?: boolean; filters?: string } = {}): string {
  switch (reason) {
    case 'empty-store':
      return "The tracked news doesn't cover this: no sources are tracked yet. Add one with `/sources add` (or `npx newsdesk ingest <path or URL>`).";
    case 'filtered-out':
      return `The tracked news doesn't cover this: no tracked article matches the filters${detail.filters ? ` (${detail.filters})` : ''}. Widen them and ask again.`;
    case 'stale': {
      const when = detail.newest ? formatDay(detail.newest) : 'an unknown date';
      const quote = detail.quote ? ` It said: "${detail.quote}" [1]` : ' [1]';
      return `The tracked news has nothing recent on this${detail.recent ? '' : ' that answers it'}: the newest tracked report on it is from ${when}, so it may be out of date.${quote}`;
    }
    case 'no-match':
    default:
      return NOT_COVERED;
  }
}
