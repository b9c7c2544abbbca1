import { ButtonStyle, ComponentType, type APIEmbed } from 'discord.js';
import type { AlertDraft } from '../watches/watch-service.ts';
import type { Watch } from '../db/watch-repo.ts';
import type { BotReply } from './command.ts';
import { DISCORD_LIMITS } from './discord-limits.ts';
import { linkText, neutralizeMentions, safeUrl, truncate } from './sanitize.ts';

/** Custom id prefix of the alert buttons: `watch:mute:<storyId>`, `watch:unwatch:<watchId>`. */
export const WATCH_BUTTON_PREFIX = 'watch';

const ALERT_COLOR = 0xfee75c;

/**
 * A topic alert: the story's title linked, outlet and date, the one or two sentences that match the
 * topic with their `[1]` marker, "also reported by" the guild's other outlets, and the buttons
 * **Mute this story** and **Unwatch**. Article text is untrusted: mentions are neutralised, links
 * only http(s), lengths within Discord's limits.
 */
export function formatAlert(a: AlertDraft): BotReply {
  const title = truncate(linkText(a.article.title || 'Untitled'), 200);
  const url = safeUrl(a.article.url);
  const meta = [a.article.outlet && linkText(a.article.outlet), a.article.published].filter(Boolean).join(', ');
  const quote = a.sentences.map((s) => `> ${neutralizeMentions(s.replace(/\s+/g, ' ').trim())} [1]`).join('\n');
  const also = a.alsoReportedBy.length ? `\nAlso reported by ${a.alsoReportedBy.slice(0, 8).map(linkText).join(', ')}.` : '';
  const source = `**[1]** ${url ? `[${title}](${url})` : title}${meta ? ` — ${truncate(meta, 80)}` : ''}`;
  const body = `${truncate(quote, DISCORD_LIMITS.embedDescription - source.length - also.length - 10)}\n\n${source}${also}`;
  const embed: APIEmbed = {
    title: truncate(linkText(a.article.title || 'Untitled'), DISCORD_LIMITS.embedTitle),
    ...(url ? { url } : {}),
    description: body,
    color: ALERT_COLOR,
    footer: { text: truncate(`Watch #${a.watch.id}: ${neutralizeMentions(a.watch.topic)} · Newsdesk`, DISCORD_LIMITS.embedFooter) },
  };
  return {
    embeds: [embed],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Mute this story', custom_id: `${WATCH_BUTTON_PREFIX}:mute:${a.article.storyId}` },
          { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Unwatch', custom_id: `${WATCH_BUTTON_PREFIX}:unwatch:${a.watch.id}` },
        ],
      },
    ],
  };
}

/** "…and 5 more stories on <topic>" once a channel's hourly alert cap is reached. */
export function formatCollapsed(s: { watch: Watch; count: number; titles: string[] }): BotReply {
  const topic = truncate(linkText(s.watch.topic), 200);
  const list = s.titles
    .slice(0, 5)
    .map((t) => `• ${truncate(linkText(t), 150)}`)
    .join('\n');
  const rest = s.count > 5 ? `\n• …` : '';
  return {
    content: truncate(
      `…and ${s.count} more stor${s.count === 1 ? 'y' : 'ies'} on **${topic}** (this channel reached its hourly alert limit):\n${list}${rest}\nAsk with /ask or see them in /digest now.`,
      DISCORD_LIMITS.content,
    ),
  };
}

/** `/watch list`: id, topic, channel, alerts sent, last alert, and why a watch is paused. */
export function formatWatchList(watches: Watch[]): BotReply {
  if (watches.length === 0) return { content: 'No watches in this server. Add one with `/watch add topic:<words>`.' };
  const lines = watches.map((w) => {
    const last = w.lastAlertAt ? `last alert ${w.lastAlertAt.slice(0, 16).replace('T', ' ')} UTC` : 'no alert yet';
    const paused = w.pausedReason
      ? `\n   ⏸️ paused: ${truncate(neutralizeMentions(w.pausedReason), 200)} — fix it, then \`/watch add\` the same topic again to resume`
      : '';
    return `**#${w.id}** ${truncate(linkText(w.topic), 120)} → <#${w.channelId}> · ${w.alertsSent} alert${w.alertsSent === 1 ? '' : 's'} sent · ${last}${paused}`;
  });
  let out = '';
  for (const l of lines) {
    if (out.length + l.length + 1 > DISCORD_LIMITS.embedDescription - 20) {
      out += '\n…';
      break;
    }
    out += (out ? '\n' : '') + l;
  }
  return { embeds: [{ title: `Watches (${watches.length})`, description: out, color: ALERT_COLOR }] };
}
