/**
 * A local Discord for tests: REST under `/api/v10` and the gateway under `/gateway`, on one
 * 127.0.0.1 port, speaking the real protocol so the real discord.js client connects to it.
 *
 * ```ts
 * const discord = await startFakeDiscord({ token, applicationId: '1000', botUserId: '1000', guilds });
 * const client = new Client({ intents, rest: { api: discord.restUrl } }); // gateway URL comes from /gateway/bot
 * await client.login(token);
 * const { id } = discord.sendInteraction({ guildId, channelId, user, command: 'ask', options: [...] });
 * const reply = await discord.waitForReply(id);
 * ```
 * Faithful on purpose: limits are enforced (2,000-character content, embed limits), the 3 s
 * window for the first interaction response holds, message content is blanked without the
 * MessageContent intent, and the bot's own messages come back as MESSAGE_CREATE.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ChannelType,
  GatewayIntentBits,
  MessageType,
  type GatewayGuildCreateDispatchData,
  type APIChannel,
  type APIEmbed,
  type APIMessage,
  type APIUser,
  type GatewayIdentifyData,
} from 'discord.js';
import { WebSocketServer } from 'ws';
import { checkGatewayQuery, GatewaySession, receives, type GatewayFrame } from './fake-discord-gateway.ts';
import {
  findComponent,
  toAutocompleteInteraction,
  toCommandInteraction,
  toComponentInteraction,
  toDmChannel,
  toMessageCommandInteraction,
  toModalSubmitInteraction,
  type FakeAutocompleteInteraction,
  type FakeCommandInteraction,
  type FakeComponentInteraction,
  type FakeMessageCommandInteraction,
  type FakeModalSubmit,
  type InteractionContext,
} from './fake-discord-interactions.ts';
import { startThread, threadRefusal } from './fake-discord-threads.ts';
import {
  DEFAULT_BOT_PERMISSIONS,
  EVERYONE_PERMISSIONS,
  createInteractionToken,
  parseUserMentions,
  toApiUser,
  toBotUser,
  toGuildCreate,
  toTextChannel,
  type FakeGuildSpec,
  type FakeUserSpec,
} from './fake-discord-payloads.ts';
import { matchRoute, runRoute, type RestReply } from './fake-discord-rest.ts';
import { FakeDiscordState, type InteractionRecord } from './fake-discord-state.ts';
import { discordErrors } from './fake-discord-validate.ts';
import { CallLog, readRequest, sendJson, type RecordedCall } from './fake-discord-http.ts';

export type { FakeGuildSpec, FakeChannelSpec, FakeUserSpec } from './fake-discord-payloads.ts';
export type {
  FakeAutocompleteInteraction,
  FakeCommandInteraction,
  FakeComponentInteraction,
  FakeCommandOption,
  FakeMessageCommandInteraction,
  FakeModalSubmit,
} from './fake-discord-interactions.ts';
export type { RecordedFile } from './fake-discord-state.ts';
export type { RecordedCall } from './fake-discord-http.ts';

/** Options for {@link startFakeDiscord}. */
export interface FakeDiscordOptions {
  /** The bot token; REST wants `Authorization: Bot <token>`, IDENTIFY must carry it (else close 4004). */
  token: string;
  applicationId: string;
  botUserId: string;
  /** Default `'Newsdesk'`. */
  botUsername?: string;
  guilds?: FakeGuildSpec[];
  /** HELLO's heartbeat interval. Default 41 250 ms, Discord's. */
  heartbeatIntervalMs?: number;
  /** Time allowed for the first interaction response. Default 3 000 ms, Discord's. */
  interactionWindowMs?: number;
  /** Privileged intents the bot may ask for (a bitfield). Default: all three allowed. */
  allowedPrivilegedIntents?: number;
  /** The shard count `/gateway/bot` recommends (what discord.js `shards: 'auto'` uses). Default 1. */
  shards?: number;
  /** `session_start_limit.max_concurrency` (shards identifying at once). Default 1, Discord's for most bots. */
  maxConcurrency?: number;
}

/** A user message to deliver over the gateway. Omit `guildId` for a DM. */
export interface FakeMessageSpec {
  guildId?: string;
  channelId: string;
  author: FakeUserSpec;
  content: string;
  /** Users mentioned besides the `<@id>` found in `content` (pass the bot user to mention it). */
  mentions?: Pick<FakeUserSpec, 'id'>[];
  /** Makes the message a reply to this message (which must exist in the fake). */
  referencedMessageId?: string;
  /** Whether the reply pings the replied-to author (Discord's client default: yes), putting them in `mentions`. */
  mentionRepliedUser?: boolean;
  embeds?: APIEmbed[];
  /** Files attached to the message (an image-only message has these and no content). */
  attachments?: Array<{ filename: string; contentType: string; size?: number }>;
}

/** A thread a user starts (THREAD_CREATE is dispatched). */
export interface FakeThreadSpec {
  guildId: string;
  /** The text channel the thread belongs to. */
  parentId: string;
  name: string;
  owner: FakeUserSpec;
  /** Start it from this message; the thread then has the message's id. */
  messageId?: string;
}

/** What a test can read about one interaction. */
export interface InteractionView {
  payload: InteractionRecord['payload'];
  /** The first callback's type, or null before the bot answered. */
  callbackType: number | null;
  /** The `@original` message (reply, loading message, or the component's message). */
  original: APIMessage | undefined;
  followups: APIMessage[];
  /** The modal the bot showed (callback type 9). */
  modal: Record<string, unknown> | undefined;
  /** The choices the bot answered an autocomplete with (callback type 8). */
  choices: Array<{ name: string; value: string | number }> | undefined;
}

/** A canned answer for the next matching REST call(s), e.g. a 429 or a 500. */
export interface InjectedReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The running fake. Create with {@link startFakeDiscord}; always `close()` it. */
export interface FakeDiscord {
  /** `http://127.0.0.1:PORT/api`: pass as discord.js `rest: { api }`. */
  readonly restUrl: string;
  /** `ws://127.0.0.1:PORT/gateway` (also what `/gateway/bot` answers). */
  readonly gatewayUrl: string;
  /** `http://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  readonly botUser: APIUser;
  /** Every REST call, in order of arrival (unknown routes included). */
  readonly calls: readonly RecordedCall[];
  /** Resolves with the first IDENTIFY payload (intents, properties…). */
  readonly identified: Promise<GatewayIdentifyData>;
  /** Every accepted IDENTIFY, in order. */
  readonly identifies: readonly GatewayIdentifyData[];
  /** Every frame received from any gateway client, in order. */
  readonly gatewayReceived: readonly GatewayFrame[];
  /** Resolves with the first call (past or future) matching `predicate`; rejects after `timeoutMs` (default 5 s). */
  waitForCall(predicate: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /** Dispatches a slash command (INTERACTION_CREATE type 2). Throws if no client has identified. */
  sendInteraction(spec: FakeCommandInteraction): { id: string; token: string };
  /** Clicks a component on a message the bot sent (INTERACTION_CREATE type 3). Throws if it is not there. */
  sendComponentInteraction(spec: FakeComponentInteraction): { id: string; token: string };
  /** Types into an option marked `autocomplete` (INTERACTION_CREATE type 4). */
  sendAutocomplete(spec: FakeAutocompleteInteraction): { id: string; token: string };
  /** Resolves with the choices the bot answered (callback type 8). */
  waitForChoices(interactionId: string, timeoutMs?: number): Promise<Array<{ name: string; value: string | number }>>;
  /** Runs a message context-menu command on a message (type 2, `data.type` 3). Throws if the message is unknown. */
  sendMessageCommand(spec: FakeMessageCommandInteraction): { id: string; token: string };
  /** Resolves with the modal the bot showed in answer to an interaction (callback type 9). */
  waitForModal(interactionId: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Submits the modal shown in answer to `interactionId`, as the user it was shown to (type 5). */
  submitModal(spec: FakeModalSubmit): { id: string; token: string };
  /** Starts a thread as a user; returns the thread's channel id. */
  startThread(spec: FakeThreadSpec): string;
  /** Delivers a user message (MESSAGE_CREATE) and returns its id. */
  sendMessage(spec: FakeMessageSpec): string;
  /** The callback, `@original` requests and follow-ups of one interaction, in order. */
  interactionResponses(interactionId: string): RecordedCall[];
  interaction(interactionId: string): InteractionView;
  /** Resolves with the `@original` message once it is a finished reply (not "thinking…"). */
  waitForReply(interactionId: string, timeoutMs?: number): Promise<APIMessage>;
  message(id: string): APIMessage | undefined;
  /** Non-ephemeral messages in a channel, oldest first. */
  channelMessages(channelId: string): APIMessage[];
  /** Registered commands: global without `guildId`. */
  commands(guildId?: string): Record<string, unknown>[];
  /** Adds a guild and dispatches its GUILD_CREATE (the bot joined it). */
  addGuild(spec: FakeGuildSpec): void;
  /**
   * Sends any dispatch, e.g. `dispatch('GUILD_DELETE', { id })`: to the session of the guild's shard when
   * `guildId` is given, else to every identified client.
   */
  dispatch(event: string, data: unknown, guildId?: string): void;
  /** The shard `[id, count]` of each identified session, in order of connection. */
  shards(): Array<readonly [number, number]>;
  /** Answers the next `times` calls matching `predicate` with `reply` instead of the route. */
  failNext(predicate: (call: RecordedCall) => boolean, reply: InjectedReply, times?: number): void;
  /** Closes every gateway connection with `code` (default 4000, "unknown error": the client reconnects). */
  disconnectGateway(code?: number): void;
  /** Stops everything. Destroy the discord.js client first, or it will try to reconnect. */
  close(): Promise<void>;
}

const MESSAGE_INTENT = { guild: GatewayIntentBits.GuildMessages, dm: GatewayIntentBits.DirectMessages } as const;

/** Starts the fake on 127.0.0.1 with a free port. */
export async function startFakeDiscord(options: FakeDiscordOptions): Promise<FakeDiscord> {
  const botUser = toBotUser(options.botUserId, options.botUsername ?? 'Newsdesk');
  const interactionWindowMs = options.interactionWindowMs ?? 3_000; // 3 s, Discord's
  const shards = options.shards ?? 1;
  const maxConcurrency = options.maxConcurrency ?? 1;
  const log = new CallLog();
  const calls = log.calls;
  const faults: { predicate: (c: RecordedCall) => boolean; reply: InjectedReply; left: number }[] = [];
  const sessions = new Set<GatewaySession>();
  const identifies: GatewayIdentifyData[] = [];
  const gatewayReceived: GatewayFrame[] = [];
  const commandIds = new Map<string, string>();
  let resolveIdentified: (data: GatewayIdentifyData) => void = () => {};
  const identified = new Promise<GatewayIdentifyData>((resolve) => (resolveIdentified = resolve));
  let baseUrl = '';

  const identifiedSessions = () => [...sessions].filter((s) => s.identified && s.open);
  /** The sessions that receive a guild's events (its shard), or a DM's (shard 0), as Discord routes them. */
  const sessionsFor = (guildId: string | undefined) => identifiedSessions().filter((s) => receives(s.shard, guildId));
  const state = new FakeDiscordState(botUser, options.applicationId, () => baseUrl, {
    messageCreate: (m, guildId) => dispatchMessage('MESSAGE_CREATE', m, guildId),
    messageUpdate: (m, guildId) => dispatchMessage('MESSAGE_UPDATE', m, guildId),
    threadCreate: (thread, guildId) => {
      for (const s of sessionsFor(guildId)) {
        if (s.intents & GatewayIntentBits.Guilds) s.dispatch('THREAD_CREATE', { ...thread, guild_id: guildId, newly_created: true });
      }
    },
    messageDelete: (m, guildId) => {
      for (const s of sessionsFor(guildId)) {
        if (s.intents & (guildId ? MESSAGE_INTENT.guild : MESSAGE_INTENT.dm)) {
          s.dispatch('MESSAGE_DELETE', { id: m.id, channel_id: m.channel_id, ...(guildId ? { guild_id: guildId } : {}) });
        }
      }
    },
  });

  function addGuild(spec: FakeGuildSpec): void {
    state.guilds.set(spec.id, spec);
    for (const [i, c] of spec.channels.entries()) state.channels.set(c.id, { guildId: spec.id, channel: toTextChannel(spec.id, c, i) });
    for (const m of spec.members ?? []) state.users.set(m.id, toApiUser(m));
  }
  for (const g of options.guilds ?? []) addGuild(g);

  /**
   * MESSAGE_CREATE/UPDATE as each client may see it: guild messages need GuildMessages, DMs
   * DirectMessages; without MessageContent, content/embeds/attachments/components are blank
   * unless the message is the bot's own, a DM, or mentions the bot.
   */
  function dispatchMessage(event: string, message: APIMessage, guildId: string | undefined): void {
    // `channel_type` lets discord.js build an uncached DM channel (with Partials.Channel).
    const channelType = state.channels.get(message.channel_id)?.channel.type;
    const full = { ...(guildId ? toGuildMessageEvent(message, guildId) : message), ...(channelType !== undefined ? { channel_type: channelType } : {}) };
    const readable = (m: APIMessage) => !guildId || m.author.id === botUser.id || m.mentions.some((u) => u.id === botUser.id);
    const blank = <T extends APIMessage>(m: T): T => ({ ...m, content: '', embeds: [], attachments: [], components: [] });
    const ref = full.referenced_message;
    const withoutContent = { ...blank(full), ...(ref && !readable(ref) ? { referenced_message: blank(ref) } : {}) };
    for (const s of sessionsFor(guildId)) {
      if ((s.intents & (guildId ? MESSAGE_INTENT.guild : MESSAGE_INTENT.dm)) === 0) continue;
      const hasIntent = (s.intents & GatewayIntentBits.MessageContent) !== 0;
      s.dispatch(event, hasIntent || readable(message) ? full : withoutContent);
    }
  }

  function toGuildMessageEvent(message: APIMessage, guildId: string): APIMessage & { guild_id: string } {
    const member = {
      roles: [],
      joined_at: state.joinedAt,
      deaf: false,
      mute: false,
      flags: 0,
      premium_since: null,
      nick: null,
      avatar: null,
      pending: false,
      communication_disabled_until: null,
    };
    return {
      ...message,
      guild_id: guildId,
      ...(message.webhook_id ? {} : { member }),
      mentions: message.mentions.map((u) => ({ ...u, member })),
    } as APIMessage & { guild_id: string };
  }

  /** Threads of a guild (all stay active in the fake). */
  function activeThreads(guildId: string): GatewayGuildCreateDispatchData['threads'] {
    return [...state.channels.values()]
      .filter((c) => c.guildId === guildId && (c.channel.type === ChannelType.PublicThread || c.channel.type === ChannelType.PrivateThread))
      .map((c) => c.channel) as GatewayGuildCreateDispatchData['threads'];
  }

  function requireClient(): void {
    if (identifiedSessions().length === 0) {
      throw new Error('fake-discord: no gateway client has identified yet; wait for the client to emit Events.ClientReady');
    }
  }

  function interactionContext(id: string, channel: APIChannel, guildId: string | undefined): InteractionContext {
    return {
      id,
      token: createInteractionToken(id),
      applicationId: options.applicationId,
      channel,
      guildLocale: (guildId && state.guilds.get(guildId)?.locale) || 'en-US',
      memberJoinedAt: state.joinedAt,
      defaultMemberPermissions: EVERYONE_PERMISSIONS,
      defaultAppPermissions: DEFAULT_BOT_PERMISSIONS,
    };
  }

  function channelFor(guildId: string | undefined, channelId: string, user: APIUser): APIChannel {
    if (guildId === undefined) {
      const existing = state.channels.get(channelId);
      if (existing?.guildId !== undefined) throw new Error(`fake-discord: channel ${channelId} is in guild ${existing.guildId}; pass guildId`);
      const dm = existing ?? { guildId: undefined, channel: toDmChannel(channelId, user) };
      state.channels.set(channelId, dm);
      return dm.channel;
    }
    if (!state.guilds.has(guildId)) throw new Error(`fake-discord: unknown guild ${guildId}`);
    const c = state.channels.get(channelId);
    if (!c || c.guildId !== guildId) throw new Error(`fake-discord: channel ${channelId} is not in guild ${guildId}`);
    return c.channel;
  }

  function record(rec: Omit<InteractionRecord, 'createdAt' | 'callbackType' | 'originalId' | 'followupIds'>): { id: string; token: string } {
    // Discord sends an interaction only to the session of its guild's shard (DMs: shard 0).
    const receivers = sessionsFor(rec.guildId);
    if (receivers.length === 0) throw new Error(`fake-discord: no gateway client runs the shard of guild ${rec.guildId ?? '(DM)'}`);
    const full: InteractionRecord = { ...rec, createdAt: Date.now(), callbackType: null, originalId: null, followupIds: [] };
    state.interactions.set(full.id, full);
    state.interactionsByToken.set(full.token, full);
    for (const s of receivers) s.dispatch('INTERACTION_CREATE', full.payload);
    return { id: full.id, token: full.token };
  }

  /** The registered command's id (guild command first, then global), or a stable made-up one. */
  function commandRef(name: string, type: number, guildId: string | undefined): { id: string; guildId?: string } {
    const matches = (c: Record<string, unknown>) => c.name === name && Number(c.type ?? 1) === type;
    const guildCommand = guildId ? state.commands.get(guildId)?.find(matches) : undefined;
    const registered = guildCommand ?? state.commands.get('global')?.find(matches);
    const key = `${type}:${name}`;
    const id = (registered?.id as string | undefined) ?? commandIds.get(key) ?? state.nextId();
    commandIds.set(key, id);
    return { id, ...(guildCommand ? { guildId } : {}) };
  }

  function sendInteraction(spec: FakeCommandInteraction): { id: string; token: string } {
    requireClient();
    const user = toApiUser(spec.user);
    state.users.set(user.id, user);
    const channel = channelFor(spec.guildId, spec.channelId, user);
    const ctx = interactionContext(state.nextId(), channel, spec.guildId);
    const payload = toCommandInteraction(spec, ctx, commandRef(spec.command, 1, spec.guildId));
    return record({ id: ctx.id, token: ctx.token, payload, guildId: spec.guildId, channelId: channel.id, user });
  }

  function sendAutocomplete(spec: FakeAutocompleteInteraction): { id: string; token: string } {
    requireClient();
    const user = toApiUser(spec.user);
    state.users.set(user.id, user);
    const channel = channelFor(spec.guildId, spec.channelId, user);
    const ctx = interactionContext(state.nextId(), channel, spec.guildId);
    const payload = toAutocompleteInteraction(spec, ctx, commandRef(spec.command, 1, spec.guildId));
    return record({ id: ctx.id, token: ctx.token, payload, guildId: spec.guildId, channelId: channel.id, user });
  }

  function sendMessageCommand(spec: FakeMessageCommandInteraction): { id: string; token: string } {
    requireClient();
    const target = state.messages.get(spec.targetMessageId);
    if (!target || target.channel_id !== spec.channelId) throw new Error(`fake-discord: no message ${spec.targetMessageId} in channel ${spec.channelId}`);
    const user = toApiUser(spec.user);
    state.users.set(user.id, user);
    const channel = channelFor(spec.guildId, spec.channelId, user);
    const ctx = interactionContext(state.nextId(), channel, spec.guildId);
    const payload = toMessageCommandInteraction(spec, ctx, commandRef(spec.command, 3, spec.guildId), target);
    return record({ id: ctx.id, token: ctx.token, payload, guildId: spec.guildId, channelId: channel.id, user });
  }

  function submitModal(spec: FakeModalSubmit): { id: string; token: string } {
    requireClient();
    const opener = state.interactions.get(spec.interactionId);
    if (!opener?.modal) throw new Error(`fake-discord: interaction ${spec.interactionId} showed no modal`);
    const channel = state.channels.get(opener.channelId)!.channel;
    const ctx = interactionContext(state.nextId(), channel, opener.guildId);
    const permissions = (opener.payload as { member?: { permissions?: string } }).member?.permissions;
    const actor = {
      channelId: opener.channelId,
      user: { id: opener.user.id, username: opener.user.username },
      ...(opener.guildId ? { guildId: opener.guildId } : {}),
      ...(permissions ? { permissions } : {}),
    };
    const message = opener.componentMessageId ? state.messages.get(opener.componentMessageId) : undefined;
    const payload = toModalSubmitInteraction(actor, ctx, opener.modal, spec.values, message);
    return record({
      id: ctx.id,
      token: ctx.token,
      payload,
      guildId: opener.guildId,
      channelId: opener.channelId,
      user: opener.user,
      ...(message ? { componentMessageId: message.id } : {}),
    });
  }

  function startUserThread(spec: FakeThreadSpec): string {
    requireClient();
    const owner = toApiUser(spec.owner);
    state.users.set(owner.id, owner);
    const message = spec.messageId ? state.messages.get(spec.messageId) : undefined;
    if (spec.messageId && !message) throw new Error(`fake-discord: no message ${spec.messageId} to start a thread from`);
    const init = { guildId: spec.guildId, parentId: spec.parentId, name: spec.name, ownerId: owner.id, ...(message ? { message } : {}) };
    const refused = threadRefusal(state, init);
    if (refused) throw new Error(`fake-discord: cannot start thread: ${refused.body.message}`);
    return startThread(state, init).id;
  }

  async function waitForInteractionField<T>(
    interactionId: string,
    pick: (rec: InteractionRecord) => T | undefined,
    what: string,
    timeoutMs: number,
  ): Promise<T> {
    const rec = state.interactions.get(interactionId);
    if (!rec) throw new Error(`fake-discord: unknown interaction ${interactionId}`);
    await waitForCall(() => pick(rec) !== undefined, timeoutMs).catch(() => {
      throw new Error(`fake-discord: interaction ${interactionId} got no ${what} (callback type ${rec.callbackType ?? 'none'})`);
    });
    return pick(rec) as T;
  }

  function sendComponentInteraction(spec: FakeComponentInteraction): { id: string; token: string } {
    requireClient();
    const message = state.messages.get(spec.messageId);
    if (!message) throw new Error(`fake-discord: no message ${spec.messageId} to click on`);
    if (!findComponent(message, spec.customId)) {
      throw new Error(`fake-discord: message ${spec.messageId} has no component with custom_id ${JSON.stringify(spec.customId)}`);
    }
    const user = toApiUser(spec.user);
    state.users.set(user.id, user);
    const guildId = state.guildOf(message.channel_id);
    const channel = channelFor(guildId, message.channel_id, user);
    const ctx = interactionContext(state.nextId(), channel, guildId);
    const payload = toComponentInteraction(spec, ctx, message, guildId);
    return record({ id: ctx.id, token: ctx.token, payload, guildId, channelId: channel.id, user, componentMessageId: message.id });
  }

  function sendMessage(spec: FakeMessageSpec): string {
    requireClient();
    const author = toApiUser(spec.author);
    state.users.set(author.id, author);
    channelFor(spec.guildId, spec.channelId, author);
    const replyTo = spec.referencedMessageId ? state.messages.get(spec.referencedMessageId) : undefined;
    if (spec.referencedMessageId && !replyTo) throw new Error(`fake-discord: no message ${spec.referencedMessageId} to reply to`);
    const mentionIds = new Set([...parseUserMentions(spec.content), ...(spec.mentions ?? []).map((m) => m.id)]);
    if (replyTo && spec.mentionRepliedUser !== false) mentionIds.add(replyTo.author.id);
    const mentions = [...mentionIds].map((id) => state.users.get(id)).filter((u): u is APIUser => u !== undefined);
    const message = state.addMessage({
      id: state.nextId(),
      channelId: spec.channelId,
      author,
      content: spec.content,
      embeds: spec.embeds ?? [],
      attachments: (spec.attachments ?? []).map((a) => {
        const id = state.nextId();
        const url = `${baseUrl}/attachments/${spec.channelId}/${id}/${encodeURIComponent(a.filename)}`;
        return { id, filename: a.filename, size: a.size ?? 1024, url, proxy_url: url, content_type: a.contentType };
      }),
      mentions,
      type: replyTo ? MessageType.Reply : MessageType.Default,
      ...(replyTo
        ? {
            messageReference: { type: 0, message_id: replyTo.id, channel_id: replyTo.channel_id, ...(spec.guildId ? { guild_id: spec.guildId } : {}) },
            referencedMessage: replyTo,
          }
        : {}),
    });
    return message.id;
  }

  function interaction(interactionId: string): InteractionView {
    const rec = state.interactions.get(interactionId);
    if (!rec) throw new Error(`fake-discord: unknown interaction ${interactionId}`);
    return {
      payload: rec.payload,
      callbackType: rec.callbackType,
      original: rec.originalId ? state.messages.get(rec.originalId) : undefined,
      followups: rec.followupIds.map((id) => state.messages.get(id)).filter((m): m is APIMessage => m !== undefined),
      modal: rec.modal,
      choices: rec.choices,
    };
  }

  function interactionResponses(interactionId: string): RecordedCall[] {
    const rec = state.interactions.get(interactionId);
    if (!rec) return [];
    const callback = `/interactions/${rec.id}/`;
    const webhook = `/webhooks/${options.applicationId}/${rec.token}`;
    return calls.filter((c) => c.path.startsWith(callback) || c.path === webhook || c.path.startsWith(`${webhook}/`));
  }

  function waitForCall(predicate: (call: RecordedCall) => boolean, timeoutMs = 5_000): Promise<RecordedCall> {
    return log.waitFor(predicate, timeoutMs);
  }

  async function waitForReply(interactionId: string, timeoutMs = 5_000): Promise<APIMessage> {
    const done = () => {
      const original = interaction(interactionId).original;
      return original !== undefined && ((original.flags ?? 0) & 128) === 0 ? original : undefined; // 128: Loading
    };
    await waitForCall(() => done() !== undefined, timeoutMs);
    return done() as APIMessage;
  }

  // ------------------------------------------------------------------------------------------
  // HTTP

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    if (req.method === 'GET' && url.pathname.startsWith('/attachments/')) {
      const file = state.attachments.get(url.pathname);
      if (!file) return sendJson(res, 404, discordErrors.notFound);
      res.writeHead(200, { 'content-type': file.contentType });
      res.end(file.data);
      return;
    }
    const { call, query, isApi, bodyError } = await readRequest(req, url);
    const reply = answer(call, isApi, bodyError, query);
    call.status = reply.status;
    call.response = reply.body;
    sendJson(res, reply.status, reply.body, reply.headers);
    log.add(call);
  }

  function answer(call: RecordedCall, isApi: boolean, bodyError: boolean, query: URLSearchParams): RestReply & { headers?: Record<string, string> } {
    const fault = faults.find((f) => f.left > 0 && f.predicate(call));
    if (fault) {
      fault.left -= 1;
      return fault.reply;
    }
    if (!isApi) return { status: 404, body: discordErrors.notFound };
    const match = matchRoute(call.method, call.path);
    if (match.kind === 'none') return { status: 404, body: discordErrors.notFound };
    if (match.kind === 'method-not-allowed') return { status: 405, body: discordErrors.methodNotAllowed };
    if (match.route.auth && call.headers.authorization !== `Bot ${options.token}`) return { status: 401, body: discordErrors.unauthorized };
    if (bodyError) return { status: 400, body: { message: 'The request body contains invalid JSON.', code: 50109 } };
    try {
      return runRoute(
        state,
        match,
        { method: call.method, path: call.path, query, body: call.body, files: call.files },
        { gatewayUrl, interactionWindowMs, shards, maxConcurrency },
      );
    } catch (error) {
      return { status: 500, body: { message: `fake-discord bug: ${String(error)}`, code: 0 } };
    }
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `fake-discord bug: ${String(error)}`, code: 0 }));
    });
  });

  // ------------------------------------------------------------------------------------------
  // Gateway

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (!new URL(req.url ?? '/', 'http://fake').pathname.startsWith('/gateway')) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const refused = checkGatewayQuery(req);
      if (refused) return ws.close(refused.code, refused.reason);
      const session = new GatewaySession(ws, {
        token: options.token,
        gatewayUrl,
        heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250, // 41.25 s, Discord's
        allowedPrivilegedIntents:
          options.allowedPrivilegedIntents ?? GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent,
        botUser,
        applicationId: options.applicationId,
        guildIds: (shard) => [...state.guilds.keys()].filter((id) => receives(shard, id)),
        guildCreates: (shard) =>
          [...state.guilds.values()].filter((g) => receives(shard, g.id)).map((g) => toGuildCreate(g, botUser, state.joinedAt, activeThreads(g.id))),
        onIdentify: (_s, data) => {
          identifies.push(data);
          resolveIdentified(data);
        },
        onPayload: (_s, frame) => gatewayReceived.push(frame),
      });
      sessions.add(session);
      ws.on('close', () => sessions.delete(session));
      session.start();
    });
  });

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
  const gatewayUrl = `ws://127.0.0.1:${port}/gateway`;

  return {
    restUrl: `${baseUrl}/api`,
    gatewayUrl,
    baseUrl,
    botUser,
    calls,
    identified,
    identifies,
    gatewayReceived,
    waitForCall,
    sendInteraction,
    sendComponentInteraction,
    sendAutocomplete,
    waitForChoices: (id, timeoutMs = 5_000) => waitForInteractionField(id, (r) => r.choices, 'autocomplete choices', timeoutMs),
    sendMessageCommand,
    waitForModal: (id, timeoutMs = 5_000) => waitForInteractionField(id, (r) => r.modal, 'modal', timeoutMs),
    submitModal,
    startThread: startUserThread,
    sendMessage,
    interactionResponses,
    interaction,
    waitForReply,
    message: (id) => state.messages.get(id),
    channelMessages: (channelId) => [...state.messages.values()].filter((m) => m.channel_id === channelId && ((m.flags ?? 0) & 64) === 0),
    commands: (guildId) => state.commands.get(guildId ?? 'global') ?? [],
    addGuild: (spec) => {
      addGuild(spec);
      for (const s of sessionsFor(spec.id)) s.dispatch('GUILD_CREATE', toGuildCreate(spec, botUser, new Date().toISOString()));
    },
    dispatch: (event, data, guildId) => {
      for (const s of guildId === undefined ? identifiedSessions() : sessionsFor(guildId)) s.dispatch(event, data);
    },
    shards: () => identifiedSessions().map((s) => s.shard),
    failNext: (predicate, reply, times = 1) => {
      faults.push({ predicate, reply, left: times });
    },
    disconnectGateway: (code = 4000) => {
      for (const s of sessions) s.close(code, 'fake-discord: disconnect requested');
    },
    close: async () => {
      log.close();
      for (const s of sessions) s.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
