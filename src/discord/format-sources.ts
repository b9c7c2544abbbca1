import type { APIEmbed, APIEmbedField } from 'discord.js';
import type { Source } from '../db/source-repo.ts';
import type { SourceResult } from '../sources/source-service.ts';
import { COLORS } from './format-answer.ts';
import { DISCORD_LIMITS, embedLength } from './discord-limits.ts';
import { linkText, neutralizeMentions, truncate } from './sanitize.ts';

/** `/sources list`: one field per source with article count, last fetch and last error. */
export function formatSourceList(sources: Source[]): APIEmbed {
  const embed: APIEmbed = { title: 'Sources this server tracks', color: COLORS.answer, fields: [] };
  if (sources.length === 0) {
    return { ...embed, color: COLORS.empty, description: 'No sources yet. An admin can add one with `/sources add url:<feed or article URL>`.' };
  }
  const fields: APIEmbedField[] = [];
  for (const [i, s] of sources.entries()) {
    const field = sourceField(s);
    const rest = sources.length - i;
    const tooMany = fields.length === DISCORD_LIMITS.embedFields - 1 && rest > 1;
    if (tooMany || embedLength({ ...embed, fields: [...fields, field] }) > DISCORD_LIMITS.embedTotal - 100) {
      fields.push({ name: `…and ${rest} more`, value: 'Remove unused sources to see them all here.' });
      break;
    }
    fields.push(field);
  }
  return { ...embed, fields };
}

function sourceField(s: Source): APIEmbedField {
  const state = s.kind === 'file' ? 'file' : s.enabled ? 'active' : 'paused';
  const lines = [
    `${s.kind} · ${state} · ${s.articleCount} article${s.articleCount === 1 ? '' : 's'}${s.guildId === null ? ' · global' : ''}`,
    truncate(neutralizeMentions(s.url), 300),
    `last fetch: ${s.lastFetchAt ? discordTime(s.lastFetchAt) : 'never'}`,
  ];
  if (s.lastError) lines.push(`last error: ${truncate(neutralizeMentions(s.lastError), 300)}`);
  if (s.pausedReason) lines.push(truncate(neutralizeMentions(s.pausedReason), 200));
  return { name: truncate(`#${s.id} ${linkText(s.name ?? s.url)}`, DISCORD_LIMITS.embedFieldName), value: lines.join('\n') };
}

/** What `/sources add` found. */
export function formatSourceAdded(r: SourceResult): string {
  const s = r.source;
  const name = linkText(s.name ?? s.url);
  const parts = [`Now tracking **#${s.id} ${truncate(name, 200)}** (${s.kind}).`];
  const found = r.report.added + r.report.updated + r.report.unchanged + r.report.alternates;
  parts.push(
    `Found ${found} article${found === 1 ? '' : 's'} (${r.report.added} new)` +
      (r.newestTitle ? `; newest: “${truncate(linkText(r.newestTitle), 200)}”.` : '.'),
  );
  if (r.report.skipped.length) {
    const first = r.report.skipped[0]!;
    parts.push(`Skipped ${r.report.skipped.length} (e.g. “${truncate(linkText(first.title), 100)}”: ${truncate(neutralizeMentions(first.reason), 200)}).`);
  }
  if (found === 0) parts.push('Nothing to answer from yet; the feed will be polled again.');
  return parts.join(' ');
}

/** A Discord timestamp that each reader sees in their own time zone ("3 minutes ago"). */
export function discordTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `<t:${Math.floor(t / 1000)}:R>`;
}
