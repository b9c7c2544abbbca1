import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIComponentInMessageActionRow } from 'discord.js';
import type { Freshness } from '../freshness/freshness.ts';
import type { BotReply } from './command.ts';
import { DISCORD_LIMITS, embedLength } from './discord-limits.ts';
import { neutralizeMentions, truncate } from './sanitize.ts';

/** Custom id prefix of the "Updates since" button: `updates:<snapshotId>`. */
export const UPDATES_BUTTON_PREFIX = 'updates';

/**
 * Puts an answer's freshness on its embed: a stale-evidence sentence above the answer for
 * time-sensitive questions, and the footer "As of … · newest evidence …" plus a warning per failing
 * or paused source behind a citation. Stays within Discord's embed limits.
 */
export function withFreshness(reply: BotReply, f: Freshness): BotReply {
  const [embed, ...rest] = reply.embeds ?? [];
  if (!embed) return reply;
  const troubles = f.troubles.map((t) => `⚠ ${neutralizeMentions(t)}`);
  const footer = truncate([f.line, ...troubles, embed.footer?.text].filter(Boolean).join('\n'), DISCORD_LIMITS.embedFooter);
  let description = embed.description ?? '';
  if (f.stale) {
    const note = `⏳ ${f.stale}\n\n`;
    if (note.length + description.length <= DISCORD_LIMITS.embedDescription) description = note + description;
  }
  const out = { ...embed, description, footer: { text: footer } };
  // The footer grew: if the embed is now over the total, give back footer room first.
  const over = embedLength(out as Parameters<typeof embedLength>[0]) - DISCORD_LIMITS.embedTotal;
  if (over > 0) out.footer = { text: truncate(footer, Math.max(40, footer.length - over)) };
  return { ...reply, embeds: [out, ...rest] };
}

/** The "Updates since" button row for an answer snapshot. */
export function updatesButtonRow(snapshotId: number): APIActionRowComponent<APIComponentInMessageActionRow> {
  return {
    type: ComponentType.ActionRow,
    components: [{ type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Updates since', custom_id: `${UPDATES_BUTTON_PREFIX}:${snapshotId}` }],
  };
}
