import {
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
} from 'discord.js';
import { describeError, isUserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { NO_MENTIONS, type BotReply, type Command, type CommandContext } from './command.ts';
import { SHUTDOWN_MESSAGE, type Inflight } from './inflight.ts';
import { rateLimitMessage, type RateLimiter } from './rate-limiter.ts';

type Repliable = ChatInputCommandInteraction | ButtonInteraction;

export interface RouterDeps {
  commands: readonly Command[];
  ctx: CommandContext;
  limiter: RateLimiter;
  inflight: Inflight;
  logger: Logger;
}

/**
 * Dispatches interactions to commands. Slash commands are deferred at once (Discord allows 3 s),
 * run, and always end with the command's reply or an error message; errors are classified here,
 * once: a UserError is shown as is, anything else is logged and shown as a generic apology.
 */
export function createInteractionRouter(deps: RouterDeps): (interaction: Interaction) => void {
  const byName = new Map(deps.commands.map((c) => [c.data.name, c]));

  return (interaction) => {
    if (interaction.isChatInputCommand()) {
      if (deps.inflight.closing) return void sendError(interaction, SHUTDOWN_MESSAGE, deps.logger);
      deps.inflight.track(runCommand(interaction), () => sendError(interaction, SHUTDOWN_MESSAGE, deps.logger));
    } else if (interaction.isButton()) {
      if (deps.inflight.closing) return void sendError(interaction, SHUTDOWN_MESSAGE, deps.logger);
      deps.inflight.track(runButton(interaction), () => sendError(interaction, SHUTDOWN_MESSAGE, deps.logger));
    } else if (interaction.isAutocomplete()) {
      void runAutocomplete(interaction);
    }
  };

  async function runCommand(i: ChatInputCommandInteraction): Promise<void> {
    const started = performance.now();
    const sub = i.options.getSubcommand(false);
    const log = deps.logger.child({ guildId: i.guildId, command: sub ? `${i.commandName} ${sub}` : i.commandName, interactionId: i.id });
    const fields: Record<string, unknown> = {};
    let outcome = 'ok';
    try {
      const command = byName.get(i.commandName);
      if (!command) {
        outcome = 'unknown-command';
        await i.reply({ content: 'This command is no longer available.', flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
        return;
      }
      if (command.requiredPermissions !== undefined && !i.memberPermissions?.has(command.requiredPermissions)) {
        outcome = 'refused';
        await i.reply({
          content: 'Only members with the **Manage Server** permission can manage sources. Ask a server admin.',
          flags: MessageFlags.Ephemeral,
          allowedMentions: NO_MENTIONS,
        });
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
      await i.deferReply(command.ephemeral?.(i) ? { flags: MessageFlags.Ephemeral } : {});
      fields.deferMs = ms(started);
      const reply = await command.execute(i, deps.ctx);
      fields.executeMs = ms(started) - (fields.deferMs as number);
      await i.editReply(withoutMentions(reply));
    } catch (err) {
      outcome = classify(err, log);
      await sendError(i, describeError(err), log);
    } finally {
      log.info('interaction', { outcome, latencyMs: ms(started), ...fields });
    }
  }

  async function runButton(i: ButtonInteraction): Promise<void> {
    const started = performance.now();
    const [name = '', ...args] = i.customId.split(':');
    const log = deps.logger.child({ guildId: i.guildId, command: `${name} (button)`, interactionId: i.id });
    let outcome = 'ok';
    try {
      const command = byName.get(name);
      if (!command?.button) {
        outcome = 'unknown-button';
        await i.reply({ content: 'This button no longer works; run the command again.', flags: MessageFlags.Ephemeral });
        return;
      }
      await i.update(withoutMentions(await command.button(i, deps.ctx, args)));
    } catch (err) {
      outcome = classify(err, log);
      await sendError(i, describeError(err), log);
    } finally {
      log.info('interaction', { outcome, latencyMs: ms(started) });
    }
  }

  async function runAutocomplete(i: AutocompleteInteraction): Promise<void> {
    try {
      const choices = (await byName.get(i.commandName)?.autocomplete?.(i, deps.ctx)) ?? [];
      await i.respond(choices.slice(0, 25));
    } catch (err) {
      deps.logger.warn('autocomplete failed', { guildId: i.guildId, command: i.commandName, err });
      await i.respond([]).catch(() => undefined);
    }
  }
}

/** User mistakes are info, everything else an error (a bug or an outage): logged once, here. */
export function classify(err: unknown, log: Logger): string {
  if (isUserError(err)) {
    log.info('user error', { code: err.code, message: err.message });
    return `user-error:${err.code}`;
  }
  log.error('interaction failed', { err });
  return 'error';
}

/** Ends an interaction with an error message, whatever state it is in; never throws. */
export async function sendError(i: Repliable, message: string, log: Logger): Promise<void> {
  const content = `⚠️ ${message}`;
  try {
    if (i.deferred || i.replied) await i.editReply({ content, embeds: [], components: [], allowedMentions: NO_MENTIONS });
    else await i.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  } catch (err) {
    log.warn('could not send the error message', { err });
  }
}

function withoutMentions(reply: BotReply) {
  return { content: reply.content ?? '', embeds: reply.embeds ?? [], components: reply.components ?? [], allowedMentions: NO_MENTIONS };
}

function ms(since: number): number {
  return Math.round(performance.now() - since);
}
