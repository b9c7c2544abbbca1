import type { AskResult } from '../core/ask.ts';
import type { Source } from '../db/source-repo.ts';

/** Plain-text rendering of an answer for a terminal. */
export function formatAnswer(r: AskResult): string {
  const lines = [r.answer];
  if (r.citations.length > 0) {
    lines.push('', 'Sources:');
    for (const c of r.citations) {
      const also = c.also_reported_by?.length ? ` (also ${c.also_reported_by.join(', ')})` : '';
      const meta = [c.source ? c.source + also : null, c.published].filter(Boolean).join(', ');
      lines.push(`  [${c.n}] ${c.title}${meta ? ` — ${meta}` : ''}${c.url ? `\n      ${c.url}` : ''}`);
    }
  }
  return lines.join('\n');
}

export function formatSource(s: Source): string {
  const state = s.kind === 'file' ? 'file' : s.enabled ? 'active' : `paused (${s.pausedReason ?? 'disabled'})`;
  const parts = [
    `#${s.id} ${s.name ?? s.url}`,
    `   ${s.kind} · ${s.url}`,
    `   ${state} · ${s.articleCount} articles · scope ${s.guildId ?? 'global'}`,
    `   last success ${s.lastSuccessAt ?? 'never'}${s.nextPollAt && s.kind !== 'file' ? ` · next poll ${s.nextPollAt}` : ''}`,
  ];
  if (s.lastError) parts.push(`   last error: ${s.lastError}`);
  return parts.join('\n');
}
