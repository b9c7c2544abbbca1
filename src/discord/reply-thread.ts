import { ThreadAutoArchiveDuration, type ChatInputCommandInteraction, type MessageContextMenuCommandInteraction } from 'discord.js';
import type { Logger } from '../logger.ts';
import type { BotReply } from './command.ts';
import { withoutMentions } from './interaction-edge.ts';

const THREAD_NAME_MAX = 100; // Discord's limit

/**
 * Starts a thread on a command's (already edited) reply and posts `reply.thread.reply` in it. If the
 * thread cannot be made (no permission to create threads, a DM, an ephemeral reply), the content goes
 * into the reply itself instead, so the user still gets the answer.
 */
export async function postInThread(i: ChatInputCommandInteraction | MessageContextMenuCommandInteraction, reply: BotReply, log: Logger): Promise<void> {
  const spec = reply.thread;
  if (!spec) return;
  try {
    const message = await i.fetchReply();
    const name = spec.name.replace(/\s+/g, ' ').trim().slice(0, THREAD_NAME_MAX) || 'Answer';
    const thread = await message.startThread({ name, autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
    await thread.send(withoutMentions(spec.reply));
    spec.onStarted?.(thread.id);
  } catch (err) {
    log.warn('could not answer in a thread; answering in the reply', { err });
    await i.editReply(withoutMentions(spec.reply));
  }
}
