import { MessageFlags, PermissionFlagsBits, type RepliableInteraction } from 'discord.js';
import { isUserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { NO_MENTIONS, type BotReply } from './command.ts';

/* The edge of every interaction: how refusals, errors and replies are sent, shared by the routers. */

/** The refusal for a member who lacks the permission a command or component needs. */
export function refusal(required: bigint, what: string): string {
  const name = required === PermissionFlagsBits.ManageGuild ? 'Manage Server' : 'required';
  return `Only members with the **${name}** permission can use ${what}. Ask a server admin.`;
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

/**
 * Ends an interaction with an error message, whatever state it is in; never throws. A deferred command
 * shows it in its reply; an acknowledged component (deferred update) gets it as a private follow-up, so
 * the message clicked on is left as it was.
 */
export async function sendError(i: RepliableInteraction, message: string, log: Logger): Promise<void> {
  const content = `⚠️ ${message}`;
  try {
    const onMessage = i.isMessageComponent() || (i.isModalSubmit() && i.isFromMessage());
    if (onMessage && i.deferred && !i.replied) {
      await i.followUp({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    } else if (i.deferred || i.replied) {
      await i.editReply({ content, embeds: [], components: [], allowedMentions: NO_MENTIONS });
    } else {
      await i.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    }
  } catch (err) {
    log.warn('could not send the error message', { err });
  }
}

/** A reply as sent: every field present (so an edit replaces them) and mentions disabled. */
export function withoutMentions(reply: BotReply) {
  return { content: reply.content ?? '', embeds: reply.embeds ?? [], components: reply.components ?? [], allowedMentions: NO_MENTIONS };
}

export function ms(since: number): number {
  return Math.round(performance.now() - since);
}
