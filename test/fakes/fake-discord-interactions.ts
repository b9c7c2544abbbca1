/**
 * INTERACTION_CREATE payloads: slash commands (with subcommands) and message components, shaped
 * like Discord's, including the fields discord.js reads unconditionally (`entitlements`,
 * `authorizing_integration_owners`, `app_permissions`, `member.permissions`).
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  InteractionContextType,
  InteractionType,
  type APIChannel,
  type APIInteraction,
  type APIInteractionDataResolved,
  type APIMessage,
  type APIUser,
} from 'discord.js';
import { toApiUser, toMember, type FakeUserSpec } from './fake-discord-payloads.ts';

/** A command option as a test writes it; `type` is Discord's option type (3 = string, 4 = integer…). */
export interface FakeCommandOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: FakeCommandOption[];
}

/** Who acts and where; omit `guildId` for a DM. */
export interface FakeInteractionActor {
  /** Guild to act in; omitted → the interaction comes from a DM with the bot. */
  guildId?: string;
  channelId: string;
  user: FakeUserSpec;
  /** The member's permissions as a decimal bitfield string (`'32'` = ManageGuild). Default: @everyone's. */
  permissions?: string;
  /** The bot's permissions in the channel (`app_permissions`). Default: the bot role's. */
  appPermissions?: string;
  /** The user's client locale. Default `'en-US'`. */
  locale?: string;
}

/** A slash command invocation. `subcommand`/`subcommandGroup` wrap `options` in option types 1/2. */
export interface FakeCommandInteraction extends FakeInteractionActor {
  command: string;
  subcommandGroup?: string;
  subcommand?: string;
  options?: FakeCommandOption[];
  resolved?: APIInteractionDataResolved;
}

/** Everything about the surroundings the builders need, resolved by the fake. */
export interface InteractionContext {
  id: string;
  token: string;
  applicationId: string;
  channel: APIChannel;
  guildLocale: string;
  memberJoinedAt: string;
  defaultMemberPermissions: string;
  defaultAppPermissions: string;
}

/** Wraps options in a subcommand (type 1) and, if given, a subcommand group (type 2). */
export function nestOptions(input: Pick<FakeCommandInteraction, 'subcommand' | 'subcommandGroup' | 'options'>): FakeCommandOption[] {
  const leaf = input.options ?? [];
  if (input.subcommand === undefined) return leaf;
  const sub: FakeCommandOption = { type: ApplicationCommandOptionType.Subcommand, name: input.subcommand, options: leaf };
  if (input.subcommandGroup === undefined) return [sub];
  return [{ type: ApplicationCommandOptionType.SubcommandGroup, name: input.subcommandGroup, options: [sub] }];
}

function base(actor: FakeInteractionActor, ctx: InteractionContext) {
  const user: APIUser = toApiUser(actor.user);
  const inGuild = actor.guildId !== undefined;
  const common = {
    id: ctx.id,
    application_id: ctx.applicationId,
    token: ctx.token,
    version: 1 as const,
    locale: actor.locale ?? 'en-US',
    app_permissions: actor.appPermissions ?? ctx.defaultAppPermissions,
    entitlements: [],
    channel: ctx.channel,
    channel_id: ctx.channel.id,
    attachment_size_limit: 10 * 1024 * 1024, // 10 MiB, an unboosted guild's limit
  };
  if (inGuild) {
    const guildId = actor.guildId as string;
    return {
      ...common,
      guild_id: guildId,
      guild: { id: guildId, locale: ctx.guildLocale, features: [] },
      guild_locale: ctx.guildLocale,
      member: { ...toMember(user, ctx.memberJoinedAt), permissions: actor.permissions ?? ctx.defaultMemberPermissions },
      authorizing_integration_owners: { '0': guildId },
      context: InteractionContextType.Guild,
    };
  }
  return { ...common, user, authorizing_integration_owners: { '0': '0' }, context: InteractionContextType.BotDM };
}

/** An APPLICATION_COMMAND (type 2) interaction for a chat-input command. */
export function toCommandInteraction(spec: FakeCommandInteraction, ctx: InteractionContext, command: { id: string; guildId?: string }): APIInteraction {
  return {
    ...base(spec, ctx),
    type: InteractionType.ApplicationCommand,
    data: {
      id: command.id,
      name: spec.command,
      type: ApplicationCommandType.ChatInput,
      ...(command.guildId ? { guild_id: command.guildId } : {}),
      options: nestOptions(spec),
      ...(spec.resolved ? { resolved: spec.resolved } : {}),
    },
  } as APIInteraction; // options are loosely typed for test ergonomics
}

/** A button click or select on a message the bot sent. */
export interface FakeComponentInteraction {
  /** The bot's message that carries the component. */
  messageId: string;
  customId: string;
  user: FakeUserSpec;
  permissions?: string;
  appPermissions?: string;
  locale?: string;
  /** Defaults to 2 (button). */
  componentType?: ComponentType;
  /** For select menus. */
  values?: string[];
}

/** A MESSAGE_COMPONENT (type 3) interaction. */
export function toComponentInteraction(
  spec: FakeComponentInteraction,
  ctx: InteractionContext,
  message: APIMessage,
  guildId: string | undefined,
): APIInteraction {
  const componentType = spec.componentType ?? ComponentType.Button;
  const actor: FakeInteractionActor = { ...spec, channelId: message.channel_id, ...(guildId ? { guildId } : {}) };
  return {
    ...base(actor, ctx),
    type: InteractionType.MessageComponent,
    message,
    data: {
      custom_id: spec.customId,
      component_type: componentType,
      ...(componentType === ComponentType.Button ? {} : { values: spec.values ?? [], resolved: {} }),
    },
  } as APIInteraction;
}

/** Finds a component by custom id in a message's (v1 rows or v2 nested) components. */
export function findComponent(message: APIMessage, customId: string): { type: number } | undefined {
  const stack: unknown[] = [...(message.components ?? [])];
  while (stack.length > 0) {
    const node = stack.pop() as Record<string, unknown> | undefined;
    if (!node || typeof node !== 'object') continue;
    if (node.custom_id === customId) return node as { type: number };
    for (const key of ['components', 'accessory', 'component']) {
      const child = node[key];
      if (Array.isArray(child)) stack.push(...child);
      else if (child) stack.push(child);
    }
  }
  return undefined;
}

/** A DM channel object as interactions carry it. */
export function toDmChannel(id: string, recipient: APIUser): APIChannel {
  return { id, type: ChannelType.DM, last_message_id: null, recipients: [recipient], flags: 0 } as unknown as APIChannel;
}

/** Typing in an autocomplete option: `options` holds what is typed so far, one of them `focused: true`. */
export interface FakeAutocompleteInteraction extends FakeInteractionActor {
  command: string;
  subcommandGroup?: string;
  subcommand?: string;
  options: FakeCommandOption[];
}

/** An APPLICATION_COMMAND_AUTOCOMPLETE (type 4) interaction; the bot answers with callback type 8. */
export function toAutocompleteInteraction(
  spec: FakeAutocompleteInteraction,
  ctx: InteractionContext,
  command: { id: string; guildId?: string },
): APIInteraction {
  if (!JSON.stringify(spec.options).includes('"focused":true')) {
    throw new Error('fake-discord: an autocomplete interaction needs one option with focused: true');
  }
  return {
    ...base(spec, ctx),
    type: InteractionType.ApplicationCommandAutocomplete,
    data: {
      id: command.id,
      name: spec.command,
      type: ApplicationCommandType.ChatInput,
      ...(command.guildId ? { guild_id: command.guildId } : {}),
      options: nestOptions(spec),
    },
  } as APIInteraction;
}

/** "Apps → <command>" on a message: a message context-menu command. */
export interface FakeMessageCommandInteraction extends FakeInteractionActor {
  /** The context-menu command's name, e.g. `'Ask Newsdesk'`. */
  command: string;
  /** The message right-clicked; it must exist in the fake (see `sendMessage`). */
  targetMessageId: string;
}

/**
 * An APPLICATION_COMMAND (type 2) interaction for a message command (`data.type` 3): Discord sends the
 * target message in `data.resolved.messages`, with its content whatever the bot's intents.
 */
export function toMessageCommandInteraction(
  spec: FakeMessageCommandInteraction,
  ctx: InteractionContext,
  command: { id: string; guildId?: string },
  target: APIMessage,
): APIInteraction {
  return {
    ...base(spec, ctx),
    type: InteractionType.ApplicationCommand,
    data: {
      id: command.id,
      name: spec.command,
      type: ApplicationCommandType.Message,
      ...(command.guildId ? { guild_id: command.guildId } : {}),
      target_id: target.id,
      resolved: { messages: { [target.id]: target } },
    },
  } as APIInteraction;
}

/** Submitting a modal the bot showed (callback type 9) in answer to interaction `interactionId`. */
export interface FakeModalSubmit {
  /** The interaction the bot answered with the modal. */
  interactionId: string;
  /** Text input values by `custom_id`; inputs left out are submitted empty. */
  values: Record<string, string>;
}

/**
 * A MODAL_SUBMIT (type 5) interaction. Components mirror the modal's layout, as Discord does: a Label
 * (type 18) carries its one `component`, a legacy action row (type 1) its `components`, and each text
 * input comes back as `{ type: 4, id, custom_id, value }`. `message` is present when the modal was
 * opened from a message component.
 */
export function toModalSubmitInteraction(
  actor: FakeInteractionActor,
  ctx: InteractionContext,
  modal: Record<string, unknown>,
  values: Record<string, string>,
  message: APIMessage | undefined,
): APIInteraction {
  const known = new Set<string>();
  const submitted = (c: Record<string, unknown>) => {
    known.add(String(c.custom_id));
    return { type: c.type, id: c.id ?? 0, custom_id: c.custom_id, value: values[String(c.custom_id)] ?? '' };
  };
  const components = ((modal.components ?? []) as Record<string, unknown>[]).map((row) => {
    if (row.type === ComponentType.Label) return { type: row.type, id: row.id ?? 0, component: submitted(row.component as Record<string, unknown>) };
    return { type: row.type, id: row.id ?? 0, components: ((row.components ?? []) as Record<string, unknown>[]).map(submitted) };
  });
  const unknown = Object.keys(values).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new Error(`fake-discord: the modal has no input ${unknown.map((k) => JSON.stringify(k)).join(', ')}`);
  return {
    ...base(actor, ctx),
    type: InteractionType.ModalSubmit,
    ...(message ? { message } : {}),
    data: { custom_id: modal.custom_id, components },
  } as unknown as APIInteraction; // components are built loosely from the modal the bot sent
}
