import type {
  APIActionRowComponent,
  APIComponentInMessageActionRow,
  APIEmbed,
  ApplicationCommandOptionChoiceData,
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { Questions } from '../core/questions.ts';
import type { NewsFeatures } from '../news/news-features.ts';
import type { SourceService } from '../sources/source-service.ts';
import type { InsightsService } from '../core/insights.ts';
import type { ChannelSettingsService } from '../core/channel-settings.ts';
import type { GuildScope } from '../db/source-repo.ts';
import type { Logger } from '../logger.ts';
import type { Leadership } from '../db/leadership.ts';
import type { AnswerQueue } from './answer-queue.ts';
import type { ResultPages } from './result-pages.ts';

/** What a handler returns; the router sends it with mentions disabled. */
export interface BotReply {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
  /** Start a thread on the reply and post `reply.thread.reply` in it (answers in a thread per question). */
  thread?: ThreadReply;
}

/** A thread the router starts on a command's reply, and what it posts there. */
export interface ThreadReply {
  /** The thread's name (cut to Discord's 100 characters). */
  name: string;
  reply: BotReply;
  /** Called with the thread's id once the message is posted in it. */
  onStarted?(threadId: string): void;
}

/** The part of the application the bot uses (the entry layer passes the App; tests may pass a stand-in). */
export interface BotCore
  extends Pick<Questions, 'ask' | 'search' | 'latest'>,
    Pick<NewsFeatures, 'watches' | 'digests' | 'freshness' | 'snapshotAnswer' | 'updatesSince'> {
  readonly sources: SourceService;
  /** The questions/feedback log behind feedback buttons, thread follow-ups and /insights. */
  readonly insights: InsightsService;
  /** Per-channel choices of server admins. */
  readonly settings: ChannelSettingsService;
  /** When present, polls, digests and alerts run only while this process holds the store's leader lock. */
  openLeadership?(): Leadership;
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

/** What every application command has, whatever its kind; `I` is the interaction it runs on. */
interface CommandBase<I> {
  data: { readonly name: string; toJSON(): RESTPostAPIApplicationCommandsJSONBody };
  /**
   * Member permissions needed to run it. Declared to Discord as `default_member_permissions` and
   * checked again at run time: server admins can override the declared default.
   */
  requiredPermissions?: bigint;
  /** Counts against the per-user and per-guild rate limits. */
  rateLimited?: boolean;
  /** Whether this invocation's reply is private (ephemeral). */
  ephemeral?(interaction: I): boolean;
  /** Runs after the reply was deferred; returns what to show. */
  execute(interaction: I, ctx: CommandContext): Promise<BotReply>;
}

/** One slash command: its definition (sent to Discord) and its handlers. Buttons: see ComponentHandler. */
export interface Command extends CommandBase<ChatInputCommandInteraction> {
  kind?: 'chat';
  /** Suggestions for an option marked `autocomplete`. */
  autocomplete?(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<ApplicationCommandOptionChoiceData[]>;
}

/** A message context-menu command (right-click a message → Apps → name); the target message comes with it. */
export interface MessageCommand extends CommandBase<MessageContextMenuCommandInteraction> {
  kind: 'message';
}

/** Any command Discord lists for the bot. */
export type AppCommand = Command | MessageCommand;

/** Which sources an interaction may see: its guild's and the global ones; in DMs the global ones only. */
export function scopeOf(i: { guildId: string | null }): GuildScope & { kind: 'guild' } {
  return { kind: 'guild', guildId: i.guildId ?? null };
}

/** Every message the bot sends pings nobody. */
export const NO_MENTIONS = { parse: [] as [], repliedUser: false };
