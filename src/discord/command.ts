import type {
  APIActionRowComponent,
  APIComponentInMessageActionRow,
  APIEmbed,
  ApplicationCommandOptionChoiceData,
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Questions } from '../core/questions.ts';
import type { SourceService } from '../sources/source-service.ts';
import type { GuildScope } from '../db/source-repo.ts';
import type { Logger } from '../logger.ts';
import type { AnswerQueue } from './answer-queue.ts';
import type { ResultPages } from './result-pages.ts';

/** What a handler returns; the router sends it with mentions disabled. */
export interface BotReply {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

/** The part of the application the bot uses (the entry layer passes the App; tests may pass a stand-in). */
export interface BotCore extends Pick<Questions, 'ask' | 'search' | 'latest'> {
  readonly sources: SourceService;
  close(): Promise<void>;
}

/** Everything a command handler may use; one per bot. */
export interface CommandContext {
  core: BotCore;
  logger: Logger;
  /** Bounded queue for answer generation and retrieval. */
  queue: AnswerQueue;
  /** Result lists that buttons page through. */
  pages: ResultPages;
}

/** One slash command: its definition (sent to Discord) and its handlers. */
export interface Command {
  data: { readonly name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  /**
   * Member permissions needed to run it. Declared to Discord as `default_member_permissions` and
   * checked again at run time: server admins can override the declared default.
   */
  requiredPermissions?: bigint;
  /** Counts against the per-user and per-guild rate limits. */
  rateLimited?: boolean;
  /** Whether this invocation's reply is private (ephemeral). */
  ephemeral?(interaction: ChatInputCommandInteraction): boolean;
  /** Runs after the reply was deferred; returns what to show. */
  execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<BotReply>;
  /** Suggestions for an option marked `autocomplete`. */
  autocomplete?(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<ApplicationCommandOptionChoiceData[]>;
  /** Buttons whose custom id is `<command name>:<args…>`; the result replaces the message. */
  button?(interaction: ButtonInteraction, ctx: CommandContext, args: string[]): Promise<BotReply>;
}

/** Which sources an interaction may see: its guild's and the global ones; in DMs the global ones only. */
export function scopeOf(i: { guildId: string | null }): GuildScope & { kind: 'guild' } {
  return { kind: 'guild', guildId: i.guildId ?? null };
}

/** Every message the bot sends pings nobody. */
export const NO_MENTIONS = { parse: [] as [], repliedUser: false };
