import { MessageFlags, type ButtonInteraction, type StringSelectMenuInteraction } from 'discord.js';
import { describeError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { NO_MENTIONS, type CommandContext } from './command.ts';
import { parseCustomId, type ComponentHandler, type ComponentInteraction, type ComponentResult } from './component-handler.ts';
import { classify, ms, refusal, sendError, withoutMentions } from './interaction-edge.ts';
import { rateLimitMessage, type RateLimiter } from './rate-limiter.ts';

export interface ComponentRouterDeps {
  handlers: readonly ComponentHandler[];
  ctx: CommandContext;
  limiter: RateLimiter;
  logger: Logger;
}

/**
 * Routes buttons, string selects and modal submissions to the handler that owns their custom id prefix.
 * Order per interaction: permissions and rate limit (answered at once), then the handler's modal if it
 * wants one (Discord allows a modal only as the first response), else a deferred update (callback 6:
 * "acknowledged, the message stays as it is") before the handler runs — so a slow handler never misses
 * the 3-second window — then its result: an edit of the message and/or a follow-up. A modal submitted
 * from a slash command has no message to update, so it gets a private deferred reply instead.
 */
export function createComponentRouter(deps: ComponentRouterDeps): (i: ComponentInteraction) => Promise<void> {
  const byPrefix = new Map<string, ComponentHandler>();
  for (const h of deps.handlers) {
    if (byPrefix.has(h.prefix)) throw new Error(`two component handlers claim the custom id prefix "${h.prefix}"`);
    if (h.prefix === '' || h.prefix.includes(':')) throw new Error(`invalid component prefix "${h.prefix}"`);
    byPrefix.set(h.prefix, h);
  }

  return async (i) => {
    const started = performance.now();
    const { prefix, args } = parseCustomId(i.customId);
    const kind = i.isButton() ? 'button' : i.isStringSelectMenu() ? 'select' : 'modal';
    const log = deps.logger.child({ guildId: i.guildId, command: `${prefix} (${kind})`, interactionId: i.id });
    let outcome = 'ok';
    try {
      const handler = byPrefix.get(prefix);
      if (!handler) {
        outcome = 'unknown-component';
        await i.reply({ content: 'This button no longer works; run the command again.', flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
        return;
      }
      if (handler.requiredPermissions !== undefined && !i.memberPermissions?.has(handler.requiredPermissions)) {
        outcome = 'refused';
        await i.reply({ content: refusal(handler.requiredPermissions, 'this'), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
        return;
      }
      if (handler.rateLimited) {
        const d = deps.limiter.take(i.user.id, i.guildId);
        if (!d.ok) {
          outcome = 'rate-limited';
          await i.reply({ content: rateLimitMessage(d), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
          return;
        }
      }
      if (!i.isModalSubmit() && handler.modal) {
        const modal = handler.modal(i as ButtonInteraction | StringSelectMenuInteraction, deps.ctx, args);
        if (modal) {
          outcome = 'modal';
          await i.showModal(modal);
          return;
        }
      }
      const onMessage = !i.isModalSubmit() || i.isFromMessage();
      if (onMessage) await i.deferUpdate();
      else await i.deferReply({ flags: MessageFlags.Ephemeral });
      await apply(i, await handler.handle(i, deps.ctx, args), onMessage);
    } catch (err) {
      outcome = classify(err, log);
      await sendError(i, describeError(err), log);
    } finally {
      log.info('interaction', { outcome, latencyMs: ms(started) });
    }
  };
}

async function apply(i: ComponentInteraction, result: ComponentResult, onMessage: boolean): Promise<void> {
  if (result.update) await i.editReply(only(result.update));
  if (result.followUp) {
    const { public: isPublic, ...reply } = result.followUp;
    if (!onMessage && !result.update) await i.editReply(withoutMentions(reply));
    else await i.followUp({ ...withoutMentions(reply), ...(isPublic ? {} : { flags: MessageFlags.Ephemeral }) });
  }
}

/** An edit that touches only the fields given (a vote changes the buttons, not the answer). */
function only(reply: ComponentResult['update'] & object) {
  return {
    ...(reply.content !== undefined ? { content: reply.content } : {}),
    ...(reply.embeds !== undefined ? { embeds: reply.embeds } : {}),
    ...(reply.components !== undefined ? { components: reply.components } : {}),
    allowedMentions: NO_MENTIONS,
  };
}
