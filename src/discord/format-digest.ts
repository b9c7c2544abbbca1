import type { APIEmbed } from 'discord.js';
import type { Digest, DigestCitation, DigestStory } from '../digest/digest-builder.ts';
import { formatMoment } from '../freshness/freshness.ts';
import type { BotReply } from './command.ts';
import { DISCORD_LIMITS } from './discord-limits.ts';
import { linkText, neutralizeMentions, safeUrl, truncate } from './sanitize.ts';

const DIGEST_COLOR = 0x57f287;
/** Room kept in each embed's description; a story block is never split, so a citation never is. */
const DESCRIPTION_BUDGET = DISCORD_LIMITS.embedDescription - 100;

/**
 * A digest as messages: one embed each, story blocks packed until the description is full, then a
 * new message. Each block carries its own numbered sources, so a message stands alone and no
 * `[n]` is ever separated from the source it points to.
 */
export function formatDigest(d: Digest, now: Date): BotReply[] {
  const byN = new Map(d.citations.map((c) => [c.n, c]));
  const blocks = d.stories.map((s, i) => storyBlock(s, i + 1, byN));
  if (d.more > 0) blocks.push(`…and ${d.more} more ${d.more === 1 ? 'story' : 'stories'}.`);
  const pages: string[] = [];
  let page = '';
  for (const b of blocks) {
    if (page && page.length + b.length + 2 > DESCRIPTION_BUDGET) {
      pages.push(page);
      page = '';
    }
    page += (page ? '\n\n' : '') + b;
  }
  if (page) pages.push(page);
  const outlets = new Set(d.stories.flatMap((s) => s.outlets)).size;
  const title = `Top stories since ${formatMoment(new Date(d.since))}`;
  return pages.map((description, i): BotReply => {
    const embed: APIEmbed = {
      title: i === 0 ? title : `${title} (${i + 1}/${pages.length})`,
      description,
      color: DIGEST_COLOR,
      footer: {
        text: `${d.stories.length} ${d.stories.length === 1 ? 'story' : 'stories'} from ${outlets} outlet${outlets === 1 ? '' : 's'} · as of ${formatMoment(now)} · Newsdesk`,
      },
    };
    return { embeds: [embed] };
  });
}

export function formatEmptyDigest(since: string): BotReply {
  return { content: `No new stories since ${formatMoment(new Date(since))} in the sources this server tracks.` };
}

function storyBlock(s: DigestStory, rank: number, byN: Map<number, DigestCitation>): string {
  const title = truncate(linkText(s.title || 'Untitled'), 180);
  const url = safeUrl(s.url);
  const head = `**${rank}. ${url ? `[${title}](${url})` : title}**`;
  const outlets = s.outlets.length ? `\n${truncate(s.outlets.map(linkText).join(' · '), 200)}` : '';
  const summary = s.summary.map((x) => `${neutralizeMentions(x.text.replace(/\s+/g, ' ').trim())} [${x.n}]`).join(' ');
  const ns = [...new Set(s.summary.map((x) => x.n))];
  const sources = ns
    .map((n) => byN.get(n))
    .filter((c): c is DigestCitation => c !== undefined)
    .map((c) => {
      const curl = safeUrl(c.url);
      const name = linkText(c.outlet ?? c.title);
      const also = c.alsoReportedBy.length ? ` (also ${c.alsoReportedBy.slice(0, 4).map(linkText).join(', ')})` : '';
      return `[${c.n}] ${curl ? `[${truncate(name, 60)}](${curl})` : truncate(name, 60)}${c.published ? `, ${c.published}` : ''}${also}`;
    })
    .join(' · ');
  // A block longer than a page is cut at its summary, never inside the source line.
  const room = DESCRIPTION_BUDGET - head.length - outlets.length - sources.length - 10;
  return `${head}${outlets}\n${summary.length > room ? trimSummary(summary, room) : summary}${sources ? `\n${sources}` : ''}`;
}

function trimSummary(text: string, room: number): string {
  const cut = text.slice(0, Math.max(0, room - 2));
  return cut.replace(/\s*\[[^\]]*$/, '').replace(/\s+\S*$/, '') + ' …';
}
