import { DiscordAPIError, PermissionFlagsBits, type Client, type GuildTextBasedChannel } from 'discord.js';
import type { PostOutcome } from '../watches/watch-service.ts';
import { NO_MENTIONS, type BotReply } from './command.ts';

/** Posts the bot's own messages (alerts, scheduled digests) into guild channels, with mentions disabled. */
export interface ChannelPoster {
  /** Why the bot cannot post in the channel, or null when it can. */
  cannotPost(guildId: string, channelId: string): Promise<string | null>;
  post(guildId: string, channelId: string, reply: BotReply): Promise<PostOutcome>;
}

/** Permissions every post needs: see the channel, send, and show embeds. */
const NEEDED: Array<[bigint, string]> = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
];

// Discord's codes for "you may not post there": Missing Access, Missing Permissions, Unknown Channel.
const FORBIDDEN_CODES = new Set([50001, 50013, 10003]);

export function createChannelPoster(client: Client): ChannelPoster {
  async function channelOf(guildId: string, channelId: string): Promise<GuildTextBasedChannel | string> {
    const channel = await client.channels.fetch(channelId).catch(() => null);
    if (!channel || channel.isDMBased() || !channel.isTextBased() || channel.guildId !== guildId) {
      return `channel <#${channelId}> is not a text channel of this server that the bot can see`;
    }
    return channel;
  }

  async function cannotPost(guildId: string, channelId: string): Promise<string | null> {
    const channel = await channelOf(guildId, channelId);
    if (typeof channel === 'string') return channel;
    const me = client.user;
    const perms = me ? channel.permissionsFor(me) : null;
    const missing = NEEDED.filter(([flag]) => !perms?.has(flag)).map(([, name]) => name);
    return missing.length ? `the bot lacks ${missing.join(', ')} in <#${channelId}>` : null;
  }

  return {
    cannotPost,
    async post(guildId, channelId, reply) {
      const why = await cannotPost(guildId, channelId);
      if (why) return { kind: 'forbidden', reason: why };
      const channel = (await channelOf(guildId, channelId)) as GuildTextBasedChannel;
      try {
        const sent = await channel.send({
          content: reply.content,
          embeds: reply.embeds ?? [],
          components: reply.components ?? [],
          allowedMentions: NO_MENTIONS,
        });
        return { kind: 'posted', messageId: sent.id };
      } catch (err) {
        if (err instanceof DiscordAPIError && typeof err.code === 'number' && FORBIDDEN_CODES.has(err.code)) {
          return { kind: 'forbidden', reason: `Discord refused the post in <#${channelId}>: ${err.message}` };
        }
        return { kind: 'failed', reason: err instanceof Error ? err.message : String(err) };
      }
    },
  };
}
