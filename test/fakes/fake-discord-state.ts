/**
 * What the fake Discord remembers (guilds, channels, users, messages, interactions, commands) and
 * the message rules shared by channel and webhook routes: create, edit, mentions, attachments.
 */
import { MessageFlags, MessageType, type APIAttachment, type APIChannel, type APIInteraction, type APIMessage, type APIUser } from 'discord.js';
import { createSnowflakeFactory, parseUserMentions, toMessage, type FakeGuildSpec, type MessageInit } from './fake-discord-payloads.ts';

/** A file part of a multipart request. */
export interface RecordedFile {
  /** The form field, e.g. `files[0]`. */
  field: string;
  filename: string;
  contentType: string;
  size: number;
  data: Buffer;
}

/** One interaction the fake dispatched, and what the bot did with it. */
export interface InteractionRecord {
  id: string;
  token: string;
  payload: APIInteraction;
  guildId: string | undefined;
  channelId: string;
  user: APIUser;
  createdAt: number;
  /** The first callback's type (4 reply, 5 defer, 6 deferred update, 7 update, 9 modal), once sent. */
  callbackType: number | null;
  /** The `@original` message: the reply, the loading message, or the component's message. */
  originalId: string | null;
  followupIds: string[];
  /** For component interactions (and modals opened from one): the message the component is on. */
  componentMessageId?: string;
  /** The modal the bot showed (callback type 9), as sent. */
  modal?: Record<string, unknown>;
  /** The choices the bot answered an autocomplete with (callback type 8). */
  choices?: Array<{ name: string; value: string | number }>;
}

/** Gateway side effects of REST writes (the fake dispatches MESSAGE_* for non-ephemeral messages). */
export interface StateEvents {
  messageCreate(message: APIMessage, guildId: string | undefined): void;
  messageUpdate(message: APIMessage, guildId: string | undefined): void;
  messageDelete(message: APIMessage, guildId: string | undefined): void;
  threadCreate(thread: APIChannel, guildId: string): void;
}

/** The in-memory world behind the fake's REST routes and gateway. */
export class FakeDiscordState {
  readonly nextId = createSnowflakeFactory();
  readonly joinedAt = new Date().toISOString();
  readonly guilds = new Map<string, FakeGuildSpec>();
  readonly channels = new Map<string, { guildId: string | undefined; channel: APIChannel }>();
  readonly users = new Map<string, APIUser>();
  readonly messages = new Map<string, APIMessage>();
  readonly attachments = new Map<string, { contentType: string; data: Buffer }>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly interactionsByToken = new Map<string, InteractionRecord>();
  /** Registered commands by scope: `'global'` or a guild id. */
  readonly commands = new Map<string, Record<string, unknown>[]>();

  constructor(
    readonly botUser: APIUser,
    readonly applicationId: string,
    readonly baseUrl: () => string,
    readonly events: StateEvents,
  ) {
    this.users.set(botUser.id, botUser);
  }

  guildOf(channelId: string): string | undefined {
    return this.channels.get(channelId)?.guildId;
  }

  /** Stores a new message and dispatches MESSAGE_CREATE unless it is ephemeral. */
  addMessage(init: MessageInit): APIMessage {
    const message = toMessage(init);
    this.messages.set(message.id, message);
    if (!isEphemeral(message)) this.events.messageCreate(message, this.guildOf(message.channel_id));
    return message;
  }

  /**
   * Builds the fields of a message the bot sends from a create body: content, embeds, components,
   * allowed flags, attachments from uploaded files, and mentions as Discord computes them.
   */
  messageFieldsFromBody(channelId: string, body: Record<string, unknown>, files: RecordedFile[], replyTo?: APIMessage) {
    const content = typeof body.content === 'string' ? body.content : '';
    return {
      content,
      embeds: (Array.isArray(body.embeds) ? body.embeds : []) as APIMessage['embeds'],
      components: (Array.isArray(body.components) ? body.components : []) as APIMessage['components'],
      attachments: this.attachmentsFrom(channelId, body, files, []),
      flags: Number(body.flags ?? 0) & SENDABLE_FLAGS,
      mentions: this.mentionsFor(content, body.allowed_mentions, replyTo),
    };
  }

  /** Applies an edit body to a stored message (fields present replace; the loading flag clears). */
  editMessage(message: APIMessage, body: Record<string, unknown>, files: RecordedFile[]): APIMessage {
    const wasLoading = ((message.flags ?? 0) & MessageFlags.Loading) !== 0;
    const keptFlags = (message.flags ?? 0) & (MessageFlags.Ephemeral | MessageFlags.IsComponentsV2);
    const newFlags = body.flags === undefined || body.flags === null ? (message.flags ?? 0) & MessageFlags.SuppressEmbeds : Number(body.flags) & SENDABLE_FLAGS;
    const content = 'content' in body ? (typeof body.content === 'string' ? body.content : '') : message.content;
    const edited: APIMessage = {
      ...message,
      content,
      embeds: 'embeds' in body ? ((body.embeds ?? []) as APIMessage['embeds']) : message.embeds,
      components: 'components' in body ? ((body.components ?? []) as APIMessage['components']) : message.components,
      attachments: this.attachmentsFrom(message.channel_id, body, files, message.attachments),
      mentions: 'content' in body ? this.mentionsFor(content, body.allowed_mentions, undefined) : message.mentions,
      flags: (keptFlags | newFlags) & ~MessageFlags.Loading,
      edited_timestamp: wasLoading ? null : new Date().toISOString(),
    };
    this.messages.set(edited.id, edited);
    if (!isEphemeral(edited)) this.events.messageUpdate(edited, this.guildOf(edited.channel_id));
    return edited;
  }

  deleteMessage(message: APIMessage): void {
    this.messages.delete(message.id);
    if (!isEphemeral(message)) this.events.messageDelete(message, this.guildOf(message.channel_id));
  }

  /**
   * Users mentioned by a message the bot sends. Like Discord: `<@id>` of known users, filtered by
   * `allowed_mentions` (absent → everything allowed), plus the replied-to author when
   * `replied_user` allows it.
   */
  private mentionsFor(content: string, allowed: unknown, replyTo: APIMessage | undefined): APIUser[] {
    const rules = (typeof allowed === 'object' && allowed !== null ? allowed : undefined) as
      | { parse?: string[]; users?: string[]; replied_user?: boolean }
      | undefined;
    const ids = new Set(parseUserMentions(content).filter((id) => !rules || rules.parse?.includes('users') || rules.users?.includes(id)));
    if (replyTo && (!rules || rules.replied_user === true)) ids.add(replyTo.author.id);
    return [...ids].map((id) => this.users.get(id)).filter((u): u is APIUser => u !== undefined);
  }

  /**
   * Attachments after a create or edit: uploaded `files[n]` become attachments (named by the
   * body's `attachments` entry with `id: n`); on edit, a body `attachments` list keeps only the
   * existing attachments it names.
   */
  private attachmentsFrom(channelId: string, body: Record<string, unknown>, files: RecordedFile[], existing: APIAttachment[]): APIAttachment[] {
    const listed = Array.isArray(body.attachments) ? (body.attachments as { id: string | number; filename?: string; description?: string }[]) : undefined;
    const kept = listed ? existing.filter((a) => listed.some((l) => String(l.id) === a.id)) : existing;
    const added = files.map((file, i) => {
      const index = /\[(\d+)\]/.exec(file.field)?.[1] ?? String(i);
      const meta = listed?.find((l) => String(l.id) === index);
      const id = this.nextId();
      const filename = meta?.filename ?? file.filename;
      const url = `${this.baseUrl()}/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
      this.attachments.set(new URL(url).pathname, { contentType: file.contentType, data: file.data });
      return {
        id,
        filename,
        size: file.size,
        url,
        proxy_url: url,
        content_type: file.contentType,
        ...(meta?.description ? { description: meta.description } : {}),
      } satisfies APIAttachment;
    });
    return [...kept, ...added];
  }

  /** Message init for a message the bot sends in answer to an interaction (a webhook message). */
  interactionMessageInit(rec: InteractionRecord): Pick<MessageInit, 'author' | 'channelId' | 'webhookId' | 'applicationId' | 'type' | 'interactionMetadata'> {
    const owners = (rec.payload as { authorizing_integration_owners: Record<string, string> }).authorizing_integration_owners;
    const isCommand = rec.componentMessageId === undefined;
    return {
      author: this.botUser,
      channelId: rec.channelId,
      webhookId: this.applicationId,
      applicationId: this.applicationId,
      type: isCommand ? MessageType.ChatInputCommand : MessageType.Default,
      interactionMetadata: isCommand
        ? { id: rec.id, type: 2, user: rec.user, authorizing_integration_owners: owners }
        : { id: rec.id, type: 3, user: rec.user, authorizing_integration_owners: owners, interacted_message_id: rec.componentMessageId ?? '' },
    } as const;
  }
}

/** Flags a bot may set on a message it sends: SuppressEmbeds, Ephemeral, SuppressNotifications, IsComponentsV2. */
const SENDABLE_FLAGS = MessageFlags.SuppressEmbeds | MessageFlags.Ephemeral | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2;

export function isEphemeral(message: APIMessage): boolean {
  return ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
}
