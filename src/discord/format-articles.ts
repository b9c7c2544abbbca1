import type { APIEmbed } from 'discord.js';
import type { ArticleSummary } from '../core/questions.ts';
import { COLORS } from './format-answer.ts';
import { linkText, safeUrl, truncate } from './sanitize.ts';

export const PAGE_SIZE = 5;

/** One numbered line per article: `**1.** [Title](url) — Outlet, 2024-11-07`. */
export function articleLine(a: ArticleSummary, n: number): string {
  const title = truncate(linkText(a.title || 'Untitled'), 200);
  const url = safeUrl(a.url);
  const meta = [a.outlet && linkText(a.outlet), a.published].filter(Boolean).join(', ');
  return `**${n}.** ${url ? `[${title}](${url})` : title}${meta ? ` — ${truncate(meta, 80)}` : ''}`;
}

/** An embed listing one page of articles; `page` counts from 0. */
export function formatArticlePage(opts: { heading: string; items: ArticleSummary[]; page?: number; pageSize?: number; empty: string }): APIEmbed {
  const size = opts.pageSize ?? PAGE_SIZE;
  const pages = Math.max(1, Math.ceil(opts.items.length / size));
  const page = Math.min(Math.max(0, opts.page ?? 0), pages - 1);
  const slice = opts.items.slice(page * size, page * size + size);
  return {
    title: truncate(linkText(opts.heading), 256),
    description: slice.length ? slice.map((a, i) => articleLine(a, page * size + i + 1)).join('\n') : opts.empty,
    color: slice.length ? COLORS.answer : COLORS.empty,
    ...(opts.items.length > size ? { footer: { text: `Page ${page + 1} of ${pages} · ${opts.items.length} articles` } } : {}),
  };
}
