import { DiscordAPIError, PermissionFlagsBits, Routes, type APIChannel, type APIMessage, type Client, type GuildTextBasedChannel } from 'discord.js';
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

  /** Why Discord refused, when it did so for lack of access; null for any other failure. */
  function refusal(err: unknown, channelId: string): string | null {
    if (err instanceof DiscordAPIError && typeof err.code === 'number' && FORBIDDEN_CODES.has(err.code)) {
      return `Discord refused the post in <#${channelId}>: ${err.message}`;
    }
    return null;
  }

  /**
   * A server on a shard another process runs (NEWSDESK_SHARD_IDS) is not in this client's cache, but
   * the leader posts its alerts and digests too: over REST, where Discord itself checks the permissions.
   */
  async function postUncached(guildId: string, channelId: string, reply: BotReply): Promise<PostOutcome> {
    try {
      const channel = (await client.rest.get(Routes.channel(channelId))) as APIChannel & { guild_id?: string };
      if (channel.guild_id !== guildId)
        return { kind: 'forbidden', reason: `channel <#${channelId}> is not a text channel of this server that the bot can see` };
      const sent = (await client.rest.post(Routes.channelMessages(channelId), {
        body: { content: reply.content, embeds: reply.embeds ?? [], components: reply.components ?? [], allowed_mentions: { parse: [], replied_user: false } },
      })) as APIMessage;
      return { kind: 'posted', messageId: sent.id };
    } catch (err) {
      const why = refusal(err, channelId);
      return why ? { kind: 'forbidden', reason: why } : { kind: 'failed', reason: err instanceof Error ? err.message : String(err) };
    }
  }

  return {
    cannotPost,
    async post(guildId, channelId, reply) {
      if (!client.guilds.cache.has(guildId)) return postUncached(guildId, channelId, reply);
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
        const why = refusal(err, channelId);
        if (why) return { kind: 'forbidden', reason: why };
        return { kind: 'failed', reason: err instanceof Error ? err.message : String(err) };
      }
    },
  };
}
