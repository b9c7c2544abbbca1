import { ApplicationCommandType, ContextMenuCommandBuilder, InteractionContextType, type Message } from 'discord.js';
import { MAX_QUESTION_CHARS } from '../src/core/ask.ts';
import { answerQuestion } from '../src/discord/answer-flow.ts';
import { scopeOf, type MessageCommand } from '../src/discord/command.ts';
import { hasText, messageText } from '../src/discord/message-text.ts';
import { neutralizeMentions, safeUrl, truncate } from '../src/discord/sanitize.ts';

/** Right-click a message → Apps → "Ask Newsdesk": answers the message's text as a question. */
export const askMessage = {
  kind: 'message',
  data: new ContextMenuCommandBuilder()
    .setName('Ask Newsdesk')
    .setType(ApplicationCommandType.Message)
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM),
  rateLimited: true,
  // Nothing to ask about (an image only): the explanation goes to the clicker alone.
  ephemeral: (i) => !hasText(i.targetMessage),
  async execute(i, ctx) {
    const target = messageText(i.targetMessage, MAX_QUESTION_CHARS);
    const inThread = i.channel?.isThread() ?? false;
    const { reply } = await answerQuestion(ctx, {
      question: target.text,
      guildId: scopeOf(i).guildId,
      channelId: i.channelId,
      threadId: inThread ? i.channelId : null,
      via: 'context-menu',
    });
    const note = target.trimmed
      ? `\n*The message is long (${target.length.toLocaleString('en')} characters): I asked with its first ${target.text.length.toLocaleString('en')}.*`
      : '';
    return { ...reply, content: quoteLine(i.targetMessage, 'Answering') + note };
  },
} satisfies MessageCommand;

/** `> excerpt` and "Answering a message by alice": which message the reply is about, linked. */
export function quoteLine(m: Message, verb: string): string {
  const excerpt = truncate(neutralizeMentions(messageTextOrEmpty(m)), 180).replace(/\n/g, ' ');
  const link = safeUrl(m.url);
  const who = neutralizeMentions(m.author.displayName ?? m.author.username).replace(/[*_`~|\\[\]]/g, '');
  return `${excerpt ? `> ${excerpt}\n` : ''}${verb} ${link ? `[a message](${link})` : 'a message'} by **${who}**`;
}

function messageTextOrEmpty(m: Message): string {
  try {
    return messageText(m, 500).text;
  } catch {
    return '';
  }
}
