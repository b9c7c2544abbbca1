import type { APIEmbed } from 'discord.js';
import type { AskResult } from '../core/ask.ts';
import { DISCORD_LIMITS } from './discord-limits.ts';
import { linkText, neutralizeMentions, plainText, safeUrl, truncate } from './sanitize.ts';
import type { BotReply } from './command.ts';

/** Colours: Discord blurple for an answer, grey when nothing tracked answers the question. */
export const COLORS = { answer: 0x5865f2, empty: 0x99aab5, error: 0xed4245 } as const;

const MAX_LISTED_SOURCES = 10;
const MAX_TITLE_CHARS = 150;
const SOURCES_BUDGET = 1500; // characters of the description reserved for the source list at most
const ELLIPSIS = ' …';

/**
 * Builds the `/ask` (and mention) reply: one embed whose description holds the answer with its `[n]`
 * markers and, below it, the numbered source list (title linked to the article, outlet, date). Always
 * within Discord's limits: a long answer is trimmed at a sentence boundary, never inside a `[n]` marker.
 */
export function formatAnswerReply(result: Pick<AskResult, 'question' | 'answer' | 'citations' | 'grounded'>): BotReply {
  const sources = sourceLines(result.citations);
  const block = sources.length ? `\n\n**Sources**\n${sources.join('\n')}` : '';
  const answer = trimAnswer(plainText(result.answer.trim()), DISCORD_LIMITS.embedDescription - block.length);
  const embed: APIEmbed = {
    title: truncate(neutralizeMentions(result.question.replace(/\s+/g, ' ')), DISCORD_LIMITS.embedTitle),
    description: (answer || 'No answer.') + block,
    color: result.grounded ? COLORS.answer : COLORS.empty,
    footer: {
      text: result.grounded
        ? `Answered from ${result.citations.length} tracked article${result.citations.length === 1 ? '' : 's'} · Newsdesk`
        : 'Nothing the server tracks answers this · add sources with /sources add',
    },
  };
  return { embeds: [embed] };
}

/** `**[1]** [Title](url) — Outlet, 2024-11-07`, at most 10 lines and ~1,500 characters. */
export function sourceLines(citations: AskResult['citations']): string[] {
  const lines: string[] = [];
  let used = 0;
  for (const c of [...citations].sort((a, b) => a.n - b.n).slice(0, MAX_LISTED_SOURCES)) {
    const title = truncate(linkText(c.title || 'Untitled'), MAX_TITLE_CHARS);
    const url = safeUrl(c.url);
    const also = c.also_reported_by?.length ? ` (also ${c.also_reported_by.map(linkText).join(', ')})` : '';
    const meta = [c.source && linkText(c.source) + also, c.published].filter(Boolean).join(', ');
    const line = `**[${c.n}]** ${url ? `[${title}](${url})` : title}${meta ? ` — ${truncate(meta, 80)}` : ''}`;
    if (used + line.length + 1 > SOURCES_BUDGET) break;
    lines.push(line);
    used += line.length + 1;
  }
  const left = citations.length - lines.length;
  if (left > 0) lines.push(`…and ${left} more`);
  return lines;
}

/**
 * Shortens `text` to at most `max` characters. Cuts after the last whole sentence that fits (with the
 * citation markers that follow it); falls back to a word boundary, dropping a half-written `[n]`.
 */
export function trimAnswer(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = Math.max(0, max - ELLIPSIS.length);
  // A sentence end: . ! ? … then closing quotes/brackets, then any citation markers such as " [1][2]".
  const sentenceEnd = /[.!?…]["'”’»)]*(?:\s*\[\d+(?:\s*,\s*\d+)*\])*(?=\s|$)/g;
  let best = 0;
  for (const m of text.matchAll(sentenceEnd)) {
    const end = m.index + m[0].length;
    if (end > room) break;
    best = end;
  }
  if (best >= room * 0.3) return text.slice(0, best).trimEnd() + ELLIPSIS;
  // One very long sentence: cut at a word boundary outside any [n] marker.
  let cut = text.slice(0, room);
  const space = cut.search(/\s\S*$/);
  if (space > room * 0.5) cut = cut.slice(0, space);
  cut = cut.replace(/\[[^\]]*$/, '').trimEnd();
  return cut + ELLIPSIS;
}
