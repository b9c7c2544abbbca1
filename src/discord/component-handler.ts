import type { APIModalInteractionResponseCallbackData, ButtonInteraction, ModalSubmitInteraction, StringSelectMenuInteraction } from 'discord.js';
import { DISCORD_LIMITS } from './discord-limits.ts';
import type { BotReply, CommandContext } from './command.ts';

/** Interactions a {@link ComponentHandler} receives: clicks, string selects, and submitted modals. */
export type ComponentInteraction = ButtonInteraction | StringSelectMenuInteraction | ModalSubmitInteraction;

/** What a handler wants done once the click is acknowledged. Both parts are optional. */
export interface ComponentResult {
  /** Replaces the message the component is on (only the fields given: content, embeds, components). */
  update?: BotReply;
  /** A new message; only the person who clicked sees it unless `public` is true. */
  followUp?: BotReply & { public?: boolean };
}

/**
 * Owns every `custom_id` whose first `:`-separated segment is `prefix` (`feedback:up:42` → prefix
 * `feedback`, args `['up', '42']`), on buttons, string selects and modals alike. The router acknowledges
 * the interaction before calling `handle` (a deferred update, callback 6 — within Discord's 3 s), then
 * applies the result; a thrown UserError is shown to the clicker, anything else is logged and apologised
 * for. Custom ids must survive a restart: put ids in them, keep state in the database.
 */
export interface ComponentHandler {
  readonly prefix: string;
  /** Member permissions needed (checked at run time, like commands). */
  requiredPermissions?: bigint;
  /** Counts against the per-user and per-guild rate limits (for handlers that ask the engine). */
  rateLimited?: boolean;
  /**
   * A modal to open instead of acknowledging. Discord opens a modal only as the first response, so this
   * runs before anything else and must return at once (no network, no queue). Its submission comes back
   * to `handle` when the modal's own custom id carries this prefix.
   */
  modal?(
    interaction: ButtonInteraction | StringSelectMenuInteraction,
    ctx: CommandContext,
    args: string[],
  ): APIModalInteractionResponseCallbackData | undefined;
  handle(interaction: ComponentInteraction, ctx: CommandContext, args: string[]): Promise<ComponentResult>;
}

/** Builds a custom id `prefix:arg…`; throws if it would break Discord's 100-character limit or the format. */
export function customId(prefix: string, ...args: Array<string | number>): string {
  const parts = [prefix, ...args.map(String)];
  if (parts.some((p) => p.includes(':'))) throw new Error(`custom id parts may not contain ":" (${parts.join(' | ')})`);
  const id = parts.join(':');
  if (id.length > DISCORD_LIMITS.customId) throw new Error(`custom id longer than ${DISCORD_LIMITS.customId} characters: ${id}`);
  return id;
}

/** Splits a custom id into its prefix and arguments. */
export function parseCustomId(id: string): { prefix: string; args: string[] } {
  const [prefix = '', ...args] = id.split(':');
  return { prefix, args };
}
