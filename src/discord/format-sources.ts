import type { APIEmbed, APIEmbedField } from 'discord.js';
import type { Source } from '../db/source-repo.ts';
import type { SourceResult } from '../sources/source-service.ts';
import { COLORS } from './format-answer.ts';
import { DISCORD_LIMITS, embedLength } from './discord-limits.ts';
import { linkText, neutralizeMentions, truncate } from './sanitize.ts';

/** Sources per `/sources list` page: ten fields stay far inside Discord's embed limits. */
export const SOURCES_PER_PAGE = 10;

/**
 * `/sources list`: one field per source with article count, last fetch and last error, ten per page
 * (`page` counts from 1). The operator's file sources show their name only, never the path on disk.
 */
export function formatSourceList(sources: Source[], page = 1): APIEmbed {
  const embed: APIEmbed = { title: 'Sources this server tracks', color: COLORS.answer, fields: [] };
  if (sources.length === 0) {
    return { ...embed, color: COLORS.empty, description: 'No sources yet. An admin can add one with `/sources add url:<feed or article URL>`.' };
  }
  const pages = Math.ceil(sources.length / SOURCES_PER_PAGE);
  const current = Math.min(Math.max(1, Math.floor(page)), pages);
  const fields: APIEmbedField[] = [];
  for (const s of sources.slice((current - 1) * SOURCES_PER_PAGE, current * SOURCES_PER_PAGE)) {
    const field = sourceField(s);
    if (embedLength({ ...embed, fields: [...fields, field] }) > DISCORD_LIMITS.embedTotal - 200) break;
    fields.push(field);
  }
  const footer =
    pages > 1
      ? `Page ${current} of ${pages} · ${sources.length} sources${current < pages ? ` · next: /sources list page:${current + 1}` : ''}`
      : `${sources.length} source${sources.length === 1 ? '' : 's'}`;
  return { ...embed, fields, footer: { text: footer } };
}

function sourceField(s: Source): APIEmbedField {
  const state = s.kind === 'file' ? 'file' : s.enabled ? 'active' : 'paused';
  // A file source's URL is a path on the operator's machine: not for server admins' eyes.
  const isFile = s.kind === 'file';
  const label = isFile ? (s.name ?? 'a file') : (s.name ?? s.url);
  const lines = [
    `${s.kind} · ${state} · ${s.articleCount} article${s.articleCount === 1 ? '' : 's'}${s.guildId === null ? ' · global' : ''}`,
    isFile ? 'imported by the operator' : truncate(neutralizeMentions(displayUrl(s.url)), 300),
    `last fetch: ${s.lastFetchAt ? discordTime(s.lastFetchAt) : 'never'}`,
  ];
  if (s.lastError && !isFile) lines.push(`last error: ${truncate(neutralizeMentions(s.lastError), 300)}`);
  if (s.pausedReason && !isFile) lines.push(truncate(neutralizeMentions(s.pausedReason), 200));
  return { name: truncate(`#${s.id} ${linkText(label)}`, DISCORD_LIMITS.embedFieldName), value: lines.join('\n') };
}

/** A URL as shown to people: without any `user:password@`. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^/@\s]*@/, '//');
  }
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
  if (r.fetchedPages || r.skippedForTime) {
    parts.push(`Fetched ${r.fetchedPages ?? 0} item page${r.fetchedPages === 1 ? '' : 's'}.`);
  }
  if (r.skippedForTime) {
    parts.push(`${r.skippedForTime} item${r.skippedForTime === 1 ? ' was' : 's were'} skipped for time (the site is slow); the next polls fetch them.`);
  }
  // Items left for time come last in `skipped` (once the budget is spent, every later item is one).
  const failed = r.report.skipped.slice(0, r.report.skipped.length - (r.skippedForTime ?? 0));
  if (failed.length) {
    const first = failed[0]!;
    parts.push(`Skipped ${failed.length} (e.g. “${truncate(linkText(first.title), 100)}”: ${truncate(neutralizeMentions(first.reason), 200)}).`);
  }
  if (r.failure) parts.push('Nothing could be stored, so this counts as a failed fetch: it is retried with back-off and paused after repeated failures.');
  else if (found === 0) parts.push('Nothing to answer from yet; the feed will be polled again.');
  return parts.join(' ');
}

/** A Discord timestamp that each reader sees in their own time zone ("3 minutes ago"). */
export function discordTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `<t:${Math.floor(t / 1000)}:R>`;
}
