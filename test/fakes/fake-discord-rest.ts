/**
 * The REST half of the fake: a route table over {@link FakeDiscordState}, answering like Discord
 * (status codes, JSON error bodies, limits). Paths are decoded and relative to `/api/v10`.
 */
import { MessageFlags, MessageType, type APIMessage } from 'discord.js';
import { toDmChannel } from './fake-discord-interactions.ts';
import { startThread, threadRefusal } from './fake-discord-threads.ts';
import { botRoleId, toGuildCreate, toTextChannel } from './fake-discord-payloads.ts';
import { isEphemeral, type FakeDiscordState, type InteractionRecord, type RecordedFile } from './fake-discord-state.ts';
import {
  discordErrors,
  validateAutocompleteChoices,
  validateCommands,
  validateMessageBody,
  validateModal,
  type DiscordErrorBody,
} from './fake-discord-validate.ts';

/** A parsed REST request. `path` is decoded (`@original`) and relative to `/api/v10`. */
export interface RestRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  files: RecordedFile[];
}

/** What a route answers. No `body` → 204. */
export interface RestReply {
  status: number;
  body?: unknown;
}

/** Extra answers the fake's server provides (they need its address). */
export interface RestHost {
  readonly gatewayUrl: string;
  /** The recommended shard count `/gateway/bot` answers. */
  readonly shards: number;
  /** `session_start_limit.max_concurrency`: shards that may IDENTIFY at once (Discord's default 1, one per 5 s). */
  readonly maxConcurrency: number;
  readonly interactionWindowMs: number;
}

/** Path parameters; `guild` is absent on global routes. */
interface Params {
  user: string;
  channel: string;
  message: string;
  emoji: string;
  app: string;
  command: string;
  id: string;
  token: string;
  guild?: string;
}
type Handler = (state: FakeDiscordState, req: RestRequest, params: Params, host: RestHost) => RestReply;
interface Route {
  method: string;
  segments: string[];
  /** Interaction and webhook routes are authorised by their token, not `Authorization: Bot …`. */
  auth: boolean;
  handler: Handler;
}

const ok = (body: unknown, status = 200): RestReply => ({ status, body });
const noContent: RestReply = { status: 204 };
const fail = (status: number, body: DiscordErrorBody): RestReply => ({ status, body });
const asRecord = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

// ---------------------------------------------------------------------------------------------
// Channels and messages

const createChannelMessage: Handler = (state, req, { channel }) => {
  if (!state.channels.has(channel)) return fail(404, discordErrors.unknownChannel);
  if (botMayNotSend(state, channel)) return fail(403, { message: 'Missing Permissions', code: 50013 });
  const body = asRecord(req.body);
  const invalid = validateMessageBody(body, { requireContent: true, hasFiles: req.files.length > 0 });
  if (invalid) return fail(400, invalid);
  const ref = asRecord(body.message_reference);
  let replyTo: APIMessage | undefined;
  if (typeof ref.message_id === 'string') {
    replyTo = state.messages.get(ref.message_id);
    if (!replyTo && ref.fail_if_not_exists !== false) {
      return fail(400, {
        message: 'Invalid Form Body',
        code: 50035,
        errors: { message_reference: { _errors: [{ code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }] } },
      });
    }
  }
  const guildId = state.guildOf(channel);
  const message = state.addMessage({
    id: state.nextId(),
    channelId: channel,
    author: state.botUser,
    ...state.messageFieldsFromBody(channel, body, req.files, replyTo),
    type: replyTo ? MessageType.Reply : MessageType.Default,
    ...(replyTo
      ? {
          messageReference: { type: 0, message_id: replyTo.id, channel_id: replyTo.channel_id, ...(guildId ? { guild_id: guildId } : {}) },
          referencedMessage: replyTo,
        }
      : {}),
  });
  return ok(withNonce(message, body));
};

function withNonce(message: APIMessage, body: Record<string, unknown>): APIMessage {
  return body.nonce === undefined ? message : { ...message, nonce: body.nonce as string };
}

const channelMessage = (state: FakeDiscordState, channel: string, id: string): APIMessage | undefined => {
  const m = state.messages.get(id);
  return m && m.channel_id === channel && !isEphemeral(m) ? m : undefined;
};

const routes: Route[] = [];
function route(method: string, pattern: string, auth: boolean, handler: Handler): void {
  routes.push({ method, segments: pattern.split('/').filter(Boolean), auth, handler });
}

route('GET', '/gateway', false, (_s, _r, _p, host) => ok({ url: host.gatewayUrl }));
route('GET', '/gateway/bot', true, (_s, _r, _p, host) =>
  ok({
    url: host.gatewayUrl,
    shards: host.shards,
    session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: host.maxConcurrency }, // 4 h reset window
  }),
);
route('GET', '/users/@me', true, (s) => ok({ ...s.botUser }));
route('GET', '/applications/@me', true, (s) =>
  ok({
    id: s.applicationId,
    name: s.botUser.username,
    icon: null,
    description: '',
    summary: '',
    bot_public: true,
    bot_require_code_grant: false,
    verify_key: '0'.repeat(64),
    flags: 0,
    team: null,
    owner: { id: '1', username: 'owner', discriminator: '0', global_name: 'owner', avatar: null },
    bot: s.botUser,
    approximate_guild_count: s.guilds.size,
  }),
);

route('GET', '/users/:user', true, (s, _r, { user }) => {
  const u = s.users.get(user);
  return u ? ok(u) : fail(404, discordErrors.unknownUser);
});
route('POST', '/users/@me/channels', true, (s, req) => {
  const recipient = s.users.get(String(asRecord(req.body).recipient_id));
  if (!recipient) return fail(400, { message: 'Invalid Recipient(s)', code: 50033 });
  const existing = [...s.channels.values()].find(
    (c) => c.guildId === undefined && c.channel.type === 1 && 'recipients' in c.channel && c.channel.recipients?.[0]?.id === recipient.id,
  );
  if (existing) return ok(existing.channel);
  const channel = toDmChannel(s.nextId(), recipient);
  s.channels.set(channel.id, { guildId: undefined, channel });
  return ok(channel);
});
route('GET', '/channels/:channel', true, (s, _r, { channel }) => {
  const c = s.channels.get(channel);
  return c ? ok(c.channel) : fail(404, discordErrors.unknownChannel);
});
route('POST', '/channels/:channel/typing', true, (s, _r, { channel }) => (s.channels.has(channel) ? noContent : fail(404, discordErrors.unknownChannel)));
/** Whether an overwrite on the channel denies the bot (its role, its member or @everyone) SendMessages. */
function botMayNotSend(state: FakeDiscordState, channelId: string): boolean {
  const entry = state.channels.get(channelId);
  if (!entry || entry.guildId === undefined) return false;
  const send = 1n << 11n; // SendMessages
  const subjects = new Set([entry.guildId, botRoleId(entry.guildId), state.botUser.id]);
  const overwrites = (entry.channel as { permission_overwrites?: Array<{ id: string; allow: string; deny: string }> }).permission_overwrites ?? [];
  const denied = overwrites.some((o) => subjects.has(o.id) && (BigInt(o.deny) & send) !== 0n);
  const allowed = overwrites.some((o) => (o.id === botRoleId(entry.guildId!) || o.id === state.botUser.id) && (BigInt(o.allow) & send) !== 0n);
  return denied && !allowed;
}

route('POST', '/channels/:channel/messages', true, createChannelMessage);
route('GET', '/channels/:channel/messages', true, (s, req, { channel }) => {
  if (!s.channels.has(channel)) return fail(404, discordErrors.unknownChannel);
  const limit = Math.min(Number(req.query.get('limit') ?? 50), 100);
  const list = [...s.messages.values()].filter((m) => m.channel_id === channel && !isEphemeral(m));
  return ok(list.sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1)).slice(0, limit));
});
route('GET', '/channels/:channel/messages/:message', true, (s, _r, { channel, message }) => {
  const m = channelMessage(s, channel, message);
  return m ? ok(m) : fail(404, discordErrors.unknownMessage);
});
route('PATCH', '/channels/:channel/messages/:message', true, (s, req, { channel, message }) => {
  const m = channelMessage(s, channel, message);
  if (!m) return fail(404, discordErrors.unknownMessage);
  if (m.author.id !== s.botUser.id) return fail(403, discordErrors.cannotEditOthers);
  const invalid = validateMessageBody(req.body, { requireContent: false });
  return invalid ? fail(400, invalid) : ok(s.editMessage(m, asRecord(req.body), req.files));
});
route('DELETE', '/channels/:channel/messages/:message', true, (s, _r, { channel, message }) => {
  const m = channelMessage(s, channel, message);
  if (!m) return fail(404, discordErrors.unknownMessage);
  s.deleteMessage(m);
  return noContent;
});
route('PUT', '/channels/:channel/messages/:message/reactions/:emoji/@me', true, (s, _r, { channel, message }) =>
  channelMessage(s, channel, message) ? noContent : fail(404, discordErrors.unknownMessage),
);
route('DELETE', '/channels/:channel/messages/:message/reactions/:emoji/@me', true, (s, _r, { channel, message }) =>
  channelMessage(s, channel, message) ? noContent : fail(404, discordErrors.unknownMessage),
);

// Threads: from a message (the thread takes its id) or on their own.
route('POST', '/channels/:channel/messages/:message/threads', true, (s, req, { channel, message }) => {
  const m = channelMessage(s, channel, message);
  if (!m) return fail(404, discordErrors.unknownMessage);
  const guildId = s.guildOf(channel);
  if (!guildId) return fail(400, { message: 'Cannot execute action on a DM channel', code: 50003 });
  const body = asRecord(req.body);
  const init = {
    guildId,
    parentId: channel,
    name: String(body.name ?? ''),
    ownerId: s.botUser.id,
    message: m,
    autoArchiveMinutes: Number(body.auto_archive_duration ?? 1440),
  };
  const refused = threadRefusal(s, init);
  return refused ? fail(refused.status, refused.body) : ok(startThread(s, init), 201);
});
route('POST', '/channels/:channel/threads', true, (s, req, { channel }) => {
  const guildId = s.guildOf(channel);
  if (!guildId)
    return fail(
      s.channels.has(channel) ? 400 : 404,
      s.channels.has(channel) ? { message: 'Cannot execute action on a DM channel', code: 50003 } : discordErrors.unknownChannel,
    );
  const body = asRecord(req.body);
  const init = {
    guildId,
    parentId: channel,
    name: String(body.name ?? ''),
    ownerId: s.botUser.id,
    type: Number(body.type ?? 12) as 11 | 12,
    autoArchiveMinutes: Number(body.auto_archive_duration ?? 1440),
  };
  const refused = threadRefusal(s, init);
  return refused ? fail(refused.status, refused.body) : ok(startThread(s, init), 201);
});

route('GET', '/guilds/:guild', true, (s, _r, { guild }) => {
  const g = s.guilds.get(guild ?? '');
  if (!g) return fail(404, discordErrors.unknownGuild);
  // REST's guild object is GUILD_CREATE's without the gateway-only fields.
  const {
    joined_at,
    large,
    unavailable,
    member_count,
    voice_states,
    members,
    channels,
    threads,
    presences,
    stage_instances,
    guild_scheduled_events,
    soundboard_sounds,
    ...rest
  } = toGuildCreate(g, s.botUser, s.joinedAt);
  return ok(rest);
});
route('GET', '/guilds/:guild/members/:user', true, (s, _r, { guild, user }) => {
  const g = s.guilds.get(guild ?? '');
  if (!g) return fail(404, discordErrors.unknownGuild);
  const member = toGuildCreate(g, s.botUser, s.joinedAt).members.find((m) => m.user.id === user);
  return member ? ok(member) : fail(404, discordErrors.unknownMember);
});
route('GET', '/guilds/:guild/channels', true, (s, _r, { guild }) => {
  const g = s.guilds.get(guild ?? '');
  return g ? ok(g.channels.map((c, i) => toTextChannel(g.id, c, i))) : fail(404, discordErrors.unknownGuild);
});

// ---------------------------------------------------------------------------------------------
// Application commands

function scopeOf(s: FakeDiscordState, params: Params): { scope: string } | RestReply {
  if (params.app !== s.applicationId) return fail(403, { message: 'Missing Access', code: 50001 });
  if (params.guild !== undefined && !s.guilds.has(params.guild)) return fail(403, { message: 'Missing Access', code: 50001 });
  return { scope: params.guild ?? 'global' };
}

function toCommand(s: FakeDiscordState, input: Record<string, unknown>, scope: string, existing?: Record<string, unknown>): Record<string, unknown> {
  const type = Number(input.type ?? 1);
  return {
    id: existing?.id ?? s.nextId(),
    application_id: s.applicationId,
    version: s.nextId(),
    default_member_permissions: input.default_member_permissions ?? null,
    type,
    name: input.name,
    name_localizations: input.name_localizations ?? null,
    description: type === 1 ? input.description : '',
    description_localizations: input.description_localizations ?? null,
    ...(Array.isArray(input.options) && input.options.length > 0 ? { options: input.options } : {}),
    ...(scope === 'global' ? { dm_permission: input.dm_permission ?? true, contexts: input.contexts ?? null } : { guild_id: scope }),
    nsfw: input.nsfw ?? false,
    integration_types: input.integration_types ?? [0],
  };
}

const sameCommand = (a: Record<string, unknown>, b: Record<string, unknown>) => a.name === b.name && Number(a.type ?? 1) === Number(b.type ?? 1);

function commandRoutes(prefix: string): void {
  route('GET', `${prefix}/commands`, true, (s, _r, p) => {
    const sc = scopeOf(s, p);
    return 'status' in sc ? sc : ok(s.commands.get(sc.scope) ?? []);
  });
  route('PUT', `${prefix}/commands`, true, (s, req, p) => {
    const sc = scopeOf(s, p);
    if ('status' in sc) return sc;
    const invalid = validateCommands(req.body);
    if (invalid) return fail(400, invalid);
    const before = s.commands.get(sc.scope) ?? [];
    const after = (req.body as unknown[]).map(asRecord).map((c) =>
      toCommand(
        s,
        c,
        sc.scope,
        before.find((b) => sameCommand(b, c)),
      ),
    );
    s.commands.set(sc.scope, after);
    return ok(after);
  });
  route('POST', `${prefix}/commands`, true, (s, req, p) => {
    const sc = scopeOf(s, p);
    if ('status' in sc) return sc;
    const input = asRecord(req.body);
    const invalid = validateCommands([input]);
    if (invalid) return fail(400, invalid);
    const list = s.commands.get(sc.scope) ?? [];
    const existing = list.find((c) => sameCommand(c, input));
    const command = toCommand(s, input, sc.scope, existing);
    s.commands.set(sc.scope, [...list.filter((c) => c !== existing), command]);
    return ok(command, existing ? 200 : 201);
  });
  route('GET', `${prefix}/commands/:command`, true, (s, _r, p) => {
    const sc = scopeOf(s, p);
    if ('status' in sc) return sc;
    const c = (s.commands.get(sc.scope) ?? []).find((x) => x.id === p.command);
    return c ? ok(c) : fail(404, discordErrors.unknownCommand);
  });
  route('PATCH', `${prefix}/commands/:command`, true, (s, req, p) => {
    const sc = scopeOf(s, p);
    if ('status' in sc) return sc;
    const list = s.commands.get(sc.scope) ?? [];
    const c = list.find((x) => x.id === p.command);
    if (!c) return fail(404, discordErrors.unknownCommand);
    const updated = toCommand(s, { ...c, ...asRecord(req.body) }, sc.scope, c);
    s.commands.set(
      sc.scope,
      list.map((x) => (x === c ? updated : x)),
    );
    return ok(updated);
  });
  route('DELETE', `${prefix}/commands/:command`, true, (s, _r, p) => {
    const sc = scopeOf(s, p);
    if ('status' in sc) return sc;
    const list = s.commands.get(sc.scope) ?? [];
    if (!list.some((x) => x.id === p.command)) return fail(404, discordErrors.unknownCommand);
    s.commands.set(
      sc.scope,
      list.filter((x) => x.id !== p.command),
    );
    return noContent;
  });
}
commandRoutes('/applications/:app');
commandRoutes('/applications/:app/guilds/:guild');

// ---------------------------------------------------------------------------------------------
// Interactions and their webhook

const CALLBACK_TYPES_BY_INTERACTION: Record<number, number[]> = {
  2: [4, 5, 9], // application command: reply, defer, modal
  3: [4, 5, 6, 7, 9], // component: also deferred update and update
  4: [8], // autocomplete
  5: [4, 5, 6, 7], // modal submit
};

route('POST', '/interactions/:id/:token/callback', false, (s, req, { id, token }, host) => {
  const rec = s.interactions.get(id);
  if (!rec || rec.token !== token) return fail(404, discordErrors.unknownInteraction);
  if (rec.callbackType !== null) return fail(400, discordErrors.alreadyAcknowledged);
  // Discord gives 3 s for the first response; later ones fail as if the interaction never existed.
  if (Date.now() - rec.createdAt > host.interactionWindowMs) return fail(404, discordErrors.unknownInteraction);
  const body = asRecord(req.body);
  const type = Number(body.type);
  const data = asRecord(body.data);
  if (!(CALLBACK_TYPES_BY_INTERACTION[rec.payload.type] ?? []).includes(type)) {
    return fail(400, {
      message: 'Invalid Form Body',
      code: 50035,
      errors: { type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Invalid interaction response type' }] } },
    });
  }
  if (type === 4 || type === 7) {
    const invalid = validateMessageBody(data, { requireContent: type === 4, hasFiles: req.files.length > 0 });
    if (invalid) return fail(400, invalid);
  }
  if (type === 8) {
    const invalid = validateAutocompleteChoices(data);
    if (invalid) return fail(400, invalid);
    rec.choices = data.choices as InteractionRecord['choices'];
  }
  if (type === 9) {
    const invalid = validateModal(data);
    if (invalid) return fail(400, invalid);
    rec.modal = data;
  }
  const init = s.interactionMessageInit(rec);
  let message: APIMessage | undefined;
  if (type === 4) {
    message = s.addMessage({ id: s.nextId(), ...init, ...s.messageFieldsFromBody(rec.channelId, data, req.files) });
  } else if (type === 5) {
    const flags = MessageFlags.Loading | (Number(data.flags ?? 0) & MessageFlags.Ephemeral);
    message = s.addMessage({ id: s.nextId(), ...init, flags });
  } else if ((type === 6 || type === 7) && rec.componentMessageId === undefined) {
    // A deferred update or update needs a message: a modal submitted from a slash command has none.
    return fail(400, {
      message: 'Invalid Form Body',
      code: 50035,
      errors: { type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Invalid interaction response type' }] } },
    });
  } else if (type === 6 || type === 7) {
    const target = s.messages.get(rec.componentMessageId ?? '');
    if (!target) return fail(404, discordErrors.unknownMessage);
    message = type === 7 ? s.editMessage(target, data, req.files) : target;
  }
  rec.callbackType = type;
  rec.originalId = message?.id ?? null;
  if (req.query.get('with_response') !== 'true') return noContent;
  return ok({
    interaction: {
      id: rec.id,
      type: rec.payload.type,
      ...(message ? { response_message_id: message.id, response_message_loading: type === 5, response_message_ephemeral: isEphemeral(message) } : {}),
    },
    resource: { type, ...(message ? { message } : {}) },
  });
});

function webhookInteraction(s: FakeDiscordState, params: Params): InteractionRecord | undefined {
  return params.app === s.applicationId ? s.interactionsByToken.get(params.token) : undefined;
}

function webhookMessage(s: FakeDiscordState, rec: InteractionRecord, id: string): APIMessage | undefined {
  const messageId = id === '@original' ? rec.originalId : id;
  if (messageId === null || (messageId !== rec.originalId && !rec.followupIds.includes(messageId))) return undefined;
  return s.messages.get(messageId);
}

route('POST', '/webhooks/:app/:token', false, (s, req, params) => {
  const rec = webhookInteraction(s, params);
  // Before the first callback there is no webhook to post to.
  if (!rec || rec.callbackType === null) return fail(404, discordErrors.unknownWebhook);
  const body = asRecord(req.body);
  const invalid = validateMessageBody(body, { requireContent: true, hasFiles: req.files.length > 0 });
  if (invalid) return fail(400, invalid);
  const original = rec.originalId ? s.messages.get(rec.originalId) : undefined;
  let message: APIMessage;
  if (rec.callbackType === 5 && original && ((original.flags ?? 0) & MessageFlags.Loading) !== 0) {
    // The first follow-up after a defer replaces the "thinking…" message and keeps its visibility.
    message = s.editMessage(
      original,
      { ...body, flags: (Number(body.flags ?? 0) & ~MessageFlags.Ephemeral) | ((original.flags ?? 0) & MessageFlags.Ephemeral) },
      req.files,
    );
  } else {
    const init = s.interactionMessageInit(rec);
    message = s.addMessage({ id: s.nextId(), ...init, ...s.messageFieldsFromBody(rec.channelId, body, req.files) });
    rec.followupIds.push(message.id);
  }
  return req.query.get('wait') === 'true' ? ok(message) : noContent;
});
route('GET', '/webhooks/:app/:token/messages/:message', false, (s, _r, params) => {
  const rec = webhookInteraction(s, params);
  if (!rec) return fail(404, discordErrors.unknownWebhook);
  const m = webhookMessage(s, rec, params.message);
  return m ? ok(m) : fail(404, discordErrors.unknownMessage);
});
route('PATCH', '/webhooks/:app/:token/messages/:message', false, (s, req, params) => {
  const rec = webhookInteraction(s, params);
  if (!rec) return fail(404, discordErrors.unknownWebhook);
  const m = webhookMessage(s, rec, params.message);
  if (!m) return fail(404, discordErrors.unknownMessage);
  const invalid = validateMessageBody(req.body, { requireContent: false });
  return invalid ? fail(400, invalid) : ok(s.editMessage(m, asRecord(req.body), req.files));
});
route('DELETE', '/webhooks/:app/:token/messages/:message', false, (s, _r, params) => {
  const rec = webhookInteraction(s, params);
  if (!rec) return fail(404, discordErrors.unknownWebhook);
  const m = webhookMessage(s, rec, params.message);
  if (!m) return fail(404, discordErrors.unknownMessage);
  s.deleteMessage(m);
  return noContent;
});

// ---------------------------------------------------------------------------------------------

/** The outcome of matching a path: a route, a known path with another method, or nothing. */
export type RouteMatch = { kind: 'route'; route: Route; params: Params } | { kind: 'method-not-allowed' } | { kind: 'none' };

/** Finds the route for a decoded path relative to `/api/v10`. */
export function matchRoute(method: string, path: string): RouteMatch {
  const parts = path.split('/').filter(Boolean);
  let pathKnown = false;
  for (const r of routes) {
    if (r.segments.length !== parts.length) continue;
    const found: Record<string, string> = {};
    const hit = r.segments.every((seg, i) => {
      if (seg.startsWith(':')) {
        found[seg.slice(1)] = parts[i] ?? '';
        return true;
      }
      return seg === parts[i];
    });
    if (!hit) continue;
    if (r.method === method) return { kind: 'route', route: r, params: found as unknown as Params };
    pathKnown = true;
  }
  return pathKnown ? { kind: 'method-not-allowed' } : { kind: 'none' };
}

/** Runs a matched route. */
export function runRoute(state: FakeDiscordState, match: Extract<RouteMatch, { kind: 'route' }>, req: RestRequest, host: RestHost): RestReply {
  return match.route.handler(state, req, match.params, host);
}
