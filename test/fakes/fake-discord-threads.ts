/**
 * Threads in the fake: a thread is a channel (type 11 public, 12 private) with a parent text channel.
 * Started from a message it takes that message's id, as on Discord, and the starter message gains
 * `thread` and the HasThread flag. Creation dispatches THREAD_CREATE so discord.js caches the channel
 * (a MESSAGE_CREATE in an uncached channel is dropped).
 */
import { ChannelType, MessageFlags, type APIMessage, type APIThreadChannel, type ChannelFlags, type ThreadAutoArchiveDuration } from 'discord.js';
import type { FakeDiscordState } from './fake-discord-state.ts';

/** What a thread is started with. */
export interface ThreadInit {
  guildId: string;
  parentId: string;
  name: string;
  ownerId: string;
  /** Start it from this message (the thread then has the message's id). */
  message?: APIMessage;
  type?: ChannelType.PublicThread | ChannelType.PrivateThread;
  autoArchiveMinutes?: number;
}

/** The reason a thread cannot be started, in Discord's words, or null. */
export function threadRefusal(
  state: FakeDiscordState,
  init: Pick<ThreadInit, 'guildId' | 'parentId' | 'name' | 'message'>,
): { status: number; body: { message: string; code: number } } | null {
  const parent = state.channels.get(init.parentId);
  if (!parent || parent.guildId !== init.guildId) return { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
  if (parent.channel.type !== ChannelType.GuildText && parent.channel.type !== ChannelType.GuildAnnouncement) {
    return { status: 400, body: { message: 'Cannot execute action on this channel type', code: 50024 } };
  }
  if (init.name.trim() === '' || init.name.length > 100) return { status: 400, body: { message: 'Invalid Form Body', code: 50035 } };
  if (init.message && state.channels.has(init.message.id))
    return { status: 400, body: { message: 'A thread has already been created for this message', code: 160004 } };
  return null;
}

/** Creates the thread channel, marks the starter message, and returns the channel. */
export function startThread(state: FakeDiscordState, init: ThreadInit): APIThreadChannel {
  const id = init.message?.id ?? state.nextId();
  const now = new Date().toISOString();
  const thread: APIThreadChannel = {
    id,
    type: init.type ?? ChannelType.PublicThread,
    guild_id: init.guildId,
    parent_id: init.parentId,
    owner_id: init.ownerId,
    name: init.name,
    last_message_id: null,
    rate_limit_per_user: 0,
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    flags: 0 as ChannelFlags,
    thread_metadata: {
      archived: false,
      auto_archive_duration: (init.autoArchiveMinutes ?? 1440) as ThreadAutoArchiveDuration, // a day, Discord's default
      archive_timestamp: now,
      locked: false,
      create_timestamp: now,
    },
  };
  state.channels.set(id, { guildId: init.guildId, channel: thread as never });
  if (init.message) {
    const starter: APIMessage = { ...init.message, thread, flags: (init.message.flags ?? 0) | MessageFlags.HasThread };
    state.messages.set(starter.id, starter);
  }
  state.events.threadCreate(thread, init.guildId);
  return thread;
}
