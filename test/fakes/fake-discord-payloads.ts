/**
 * Pure builders for the Discord payloads the fake sends (gateway dispatches) and returns (REST).
 * Shapes follow discord-api-types v10 (re-exported by discord.js), so `tsc` catches a missing field.
 */
import { randomBytes } from 'node:crypto';
import {
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  type GuildHubType,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  MessageType,
  PermissionFlagsBits,
  type APIGuildMember,
  type APIOverwrite,
  type ChannelFlags,
  type GuildMemberFlags,
  type RoleFlags,
  type UserFlags,
  type APIGuildTextChannel,
  type APIMessage,
  type APIRole,
  type APIUser,
  type GatewayGuildCreateDispatchData,
} from 'discord.js';

/** A user as tests describe it; everything else is filled in. */
export interface FakeUserSpec {
  id: string;
  username: string;
  bot?: boolean;
  globalName?: string | null;
}

/** A text channel in a fake guild. `type` defaults to 0 (GuildText). */
export interface FakeChannelSpec {
  id: string;
  name: string;
  type?: ChannelType.GuildText | ChannelType.GuildAnnouncement;
  topic?: string | null;
  /** Per-channel overwrites (role or member id, allow/deny bitfields as decimal strings); the REST side enforces SendMessages. */
  permissionOverwrites?: APIOverwrite[];
}

/** A guild the bot is in. `ownerId` defaults to a made-up user, not the bot. */
export interface FakeGuildSpec {
  id: string;
  name: string;
  channels: FakeChannelSpec[];
  ownerId?: string;
  /** Other members to put in GUILD_CREATE (the bot's own member is always added). */
  members?: FakeUserSpec[];
  locale?: string;
}

const DISCORD_EPOCH = 1_420_070_400_000n; // 2015-01-01, the snowflake epoch

/** Makes snowflakes that decode to the current time (discord.js derives `createdAt` from them). */
export function createSnowflakeFactory(): () => string {
  let lastMs = 0n;
  let increment = 0n;
  return () => {
    let ms = BigInt(Date.now()) - DISCORD_EPOCH;
    if (ms <= lastMs) {
      ms = lastMs;
      increment += 1n;
      if (increment > 4095n) {
        ms += 1n;
        increment = 0n;
      }
    } else {
      increment = 0n;
    }
    lastMs = ms;
    return ((ms << 22n) | (1n << 17n) | increment).toString();
  };
}

/** An interaction token: opaque, URL-safe, long like Discord's. */
export function createInteractionToken(interactionId: string): string {
  return `aW50ZXJhY3Rpb246${Buffer.from(interactionId).toString('base64url')}${randomBytes(48).toString('base64url')}`;
}

/** Permissions the bot's managed role gets by default: read, send, embed, attach, history, threads. */
export const DEFAULT_BOT_PERMISSIONS = (
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseApplicationCommands
).toString();

/** What @everyone may do in a fresh guild; also a plain member's default interaction permissions. */
export const EVERYONE_PERMISSIONS = (
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseApplicationCommands
).toString();

/** A full user object (what Discord sends for a member or an author). */
export function toApiUser(spec: FakeUserSpec): APIUser {
  return {
    id: spec.id,
    username: spec.username,
    discriminator: '0',
    global_name: spec.globalName ?? (spec.bot ? null : spec.username),
    avatar: null,
    ...(spec.bot ? { bot: true } : {}),
    public_flags: 0 as UserFlags,
    flags: 0 as UserFlags,
  };
}

/** The bot user as it appears in READY and `GET /users/@me`. */
export function toBotUser(id: string, username: string): APIUser {
  return { ...toApiUser({ id, username, bot: true }), verified: true, mfa_enabled: false, email: null };
}

/** A guild member; `joinedAt` is an ISO date. */
export function toMember(user: APIUser, joinedAt: string, roles: string[] = []): APIGuildMember {
  return {
    user,
    nick: null,
    avatar: null,
    banner: null,
    roles,
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

/** A guild text channel as in GUILD_CREATE and `GET /channels/{id}`. */
export function toTextChannel(guildId: string, spec: FakeChannelSpec, position: number): APIGuildTextChannel<ChannelType.GuildText> {
  return {
    id: spec.id,
    // GuildAnnouncement shares the text-channel shape; the cast keeps one builder for both.
    type: (spec.type ?? ChannelType.GuildText) as ChannelType.GuildText,
    guild_id: guildId,
    name: spec.name,
    position,
    parent_id: null,
    topic: spec.topic ?? null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    permission_overwrites: spec.permissionOverwrites ?? [],
    flags: 0 as ChannelFlags,
  };
}

function toRole(id: string, name: string, permissions: string, position: number, botId?: string): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions,
    managed: botId !== undefined,
    mentionable: false,
    flags: 0 as RoleFlags,
    ...(botId !== undefined ? { tags: { bot_id: botId } } : {}),
  };
}

/** The id of the bot's managed role in a fake guild (stable, derived from the guild id). */
export function botRoleId(guildId: string): string {
  return `${guildId}9`;
}

/**
 * A GUILD_CREATE payload: everything discord.js needs to cache the guild, its channels and active
 * threads, the @everyone role (id = guild id), the bot's managed role and the bot's member.
 */
export function toGuildCreate(
  spec: FakeGuildSpec,
  bot: APIUser,
  joinedAt: string,
  threads: GatewayGuildCreateDispatchData['threads'] = [],
): GatewayGuildCreateDispatchData {
  const members = [toMember(bot, joinedAt, [botRoleId(spec.id)]), ...(spec.members ?? []).map((m) => toMember(toApiUser(m), joinedAt))];
  return {
    id: spec.id,
    name: spec.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: spec.ownerId ?? '1',
    region: 'deprecated',
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: [toRole(spec.id, '@everyone', EVERYONE_PERMISSIONS, 0), toRole(botRoleId(spec.id), bot.username, DEFAULT_BOT_PERMISSIONS, 1, bot.id)],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: spec.channels[0]?.id ?? null,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
    rules_channel_id: null,
    max_presences: null,
    max_members: 500_000,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: (spec.locale ?? 'en-US') as GatewayGuildCreateDispatchData['preferred_locale'],
    public_updates_channel_id: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    approximate_member_count: members.length,
    approximate_presence_count: 1,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
    hub_type: null as GuildHubType | null,
    incidents_data: null,
    // GUILD_CREATE-only fields
    joined_at: joinedAt,
    large: false,
    unavailable: false,
    member_count: members.length,
    voice_states: [],
    members,
    channels: spec.channels.map((c, i) => toTextChannel(spec.id, c, i)),
    threads, // active threads, as Discord sends them: a client that (re)connects knows them
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** Fields of a new message; the rest of APIMessage is filled in by {@link toMessage}. */
export interface MessageInit {
  id: string;
  channelId: string;
  author: APIUser;
  content?: string;
  embeds?: APIMessage['embeds'];
  components?: APIMessage['components'];
  attachments?: APIMessage['attachments'];
  flags?: number;
  type?: MessageType;
  mentions?: APIUser[];
  messageReference?: APIMessage['message_reference'];
  referencedMessage?: APIMessage | null;
  webhookId?: string;
  applicationId?: string;
  interactionMetadata?: APIMessage['interaction_metadata'];
}

/** A full message object as REST returns it (MESSAGE_CREATE adds `guild_id` and `member`). */
export function toMessage(init: MessageInit): APIMessage {
  return {
    id: init.id,
    channel_id: init.channelId,
    author: init.author,
    content: init.content ?? '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: init.mentions ?? [],
    mention_roles: [],
    attachments: init.attachments ?? [],
    embeds: init.embeds ?? [],
    pinned: false,
    type: init.type ?? MessageType.Default,
    flags: init.flags ?? 0,
    components: init.components ?? [],
    ...(init.messageReference ? { message_reference: init.messageReference } : {}),
    ...(init.referencedMessage !== undefined ? { referenced_message: init.referencedMessage } : {}),
    ...(init.webhookId ? { webhook_id: init.webhookId } : {}),
    ...(init.applicationId ? { application_id: init.applicationId } : {}),
    ...(init.interactionMetadata ? { interaction_metadata: init.interactionMetadata } : {}),
  };
}

/** User ids mentioned in message text as `<@id>` or `<@!id>` (Discord parses these itself). */
export function parseUserMentions(content: string): string[] {
  return [...content.matchAll(/<@!?(\d{1,20})>/g)].map((m) => m[1] ?? '');
}
