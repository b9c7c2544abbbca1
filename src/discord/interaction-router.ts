import {
  ApplicationCommandType,
  MessageFlags,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type MessageContextMenuCommandInteraction,
  type RepliableInteraction,
} from 'discord.js';
import { describeError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { NO_MENTIONS, type AppCommand, type BotReply, type CommandContext } from './command.ts';
import type { ComponentHandler } from './component-handler.ts';
import { createComponentRouter } from './component-router.ts';
import { DISCORD_LIMITS } from './discord-limits.ts';
import { SHUTDOWN_MESSAGE, type Inflight } from './inflight.ts';
import { classify, ms, refusal, sendError, withoutMentions } from './interaction-edge.ts';
import { rateLimitMessage, type RateLimiter } from './rate-limiter.ts';
import { postInThread } from './reply-thread.ts';

type CommandInteraction = ChatInputCommandInteraction | MessageContextMenuCommandInteraction;

export interface RouterDeps {
  commands: readonly AppCommand[];
  /** Buttons, selects and modals, by custom id prefix. */
  components?: readonly ComponentHandler[];
  ctx: CommandContext;
  limiter: RateLimiter;
  inflight: Inflight;
  logger: Logger;
}

/**
 * Dispatches interactions: slash and message context-menu commands by name, autocomplete to the command's
 * `autocomplete`, components and modals by custom id prefix (see component-router.ts). Commands are
 * deferred at once (Discord allows 3 s), run, and always end with the command's reply or an error
 * message; errors are classified here, once: a UserError is shown as is, anything else is logged and
 * shown as a generic apology.
 */
export function createInteractionRouter(deps: RouterDeps): (interaction: Interaction) => void {
  const byKey = new Map(deps.commands.map((c) => [commandKey(c.kind ?? 'chat', c.data.name), c]));
  const routeComponent = createComponentRouter({ handlers: deps.components ?? [], ctx: deps.ctx, limiter: deps.limiter, logger: deps.logger });

  return (interaction) => {
    if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand()) {
      track(interaction, runCommand(interaction));
    } else if (interaction.isButton() || interaction.isStringSelectMenu() || interaction.isModalSubmit()) {
      track(interaction, routeComponent(interaction));
    } else if (interaction.isAutocomplete()) {
      void runAutocomplete(interaction);
    }
  };

  function track(i: RepliableInteraction, job: Promise<void> | undefined): void {
    if (deps.inflight.closing) return void sendError(i, SHUTDOWN_MESSAGE, deps.logger);
    if (job) deps.inflight.track(job, () => sendError(i, SHUTDOWN_MESSAGE, deps.logger));
  }

  async function runCommand(i: CommandInteraction): Promise<void> {
    const started = performance.now();
    const sub = i.isChatInputCommand() ? i.options.getSubcommand(false) : null;
    const log = deps.logger.child({ guildId: i.guildId, command: sub ? `${i.commandName} ${sub}` : i.commandName, interactionId: i.id });
    const fields: Record<string, unknown> = {};
    let outcome = 'ok';
    try {
      const command = byKey.get(commandKey(i.isChatInputCommand() ? 'chat' : 'message', i.commandName));
      if (!command) {
        outcome = 'unknown-command';
        await i.reply({ content: 'This command is no longer available.', flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
        return;
      }
      if (command.requiredPermissions !== undefined && !i.memberPermissions?.has(command.requiredPermissions)) {
        outcome = 'refused';
        await i.reply({ content: refusal(command.requiredPermissions, label(i)), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
        return;
      }
      if (command.rateLimited) {
        const d = deps.limiter.take(i.user.id, i.guildId);
        if (!d.ok) {
          outcome = 'rate-limited';
          await i.reply({ content: rateLimitMessage(d), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
          return;
        }
      }
      const ephemeral = (command.ephemeral as ((x: CommandInteraction) => boolean) | undefined)?.(i) ?? false;
      await i.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
      fields.deferMs = ms(started);
      const reply = await (command.execute as (x: CommandInteraction, c: CommandContext) => Promise<BotReply>)(i, deps.ctx);
      fields.executeMs = ms(started) - (fields.deferMs as number);
      if (deps.inflight.abandoned) return; // too late: the user was told we stopped
      await i.editReply(withoutMentions(reply));
      if (reply.thread) await postInThread(i, reply, log);
    } catch (err) {
      outcome = classify(err, log);
      // After shutdown abandoned this job (the store may be closed by now), the notice stands.
      if (deps.inflight.abandoned) return;
      await sendError(i, describeError(err), log);
    } finally {
      log.info('interaction', { outcome, latencyMs: ms(started), ...fields });
    }
  }

  async function runAutocomplete(i: AutocompleteInteraction): Promise<void> {
    try {
      const command = byKey.get(commandKey('chat', i.commandName));
      const choices = (command?.kind !== 'message' ? await command?.autocomplete?.(i, deps.ctx) : undefined) ?? [];
      await i.respond(choices.slice(0, DISCORD_LIMITS.choices).map((c) => ({ ...c, name: c.name.slice(0, DISCORD_LIMITS.choiceName) })));
    } catch (err) {
      deps.logger.warn('autocomplete failed', { guildId: i.guildId, command: i.commandName, err });
      await i.respond([]).catch(() => undefined);
    }
  }
}

function commandKey(kind: 'chat' | 'message', name: string): string {
  return `${kind}:${name}`;
}

function label(i: CommandInteraction): string {
  return i.commandType === ApplicationCommandType.Message ? `“${i.commandName}”` : `/${i.commandName}`;
}
