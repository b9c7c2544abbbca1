import type { Message } from 'discord.js';
import { MAX_QUESTION_CHARS } from '../core/ask.ts';
import { describeError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { NO_MENTIONS, type CommandContext } from './command.ts';
import { answerQuestion } from './answer-flow.ts';
import { SHUTDOWN_MESSAGE, type Inflight } from './inflight.ts';
import { classify } from './interaction-edge.ts';
import { rateLimitMessage, type RateLimiter } from './rate-limiter.ts';

export interface MentionDeps {
  ctx: CommandContext;
  limiter: RateLimiter;
  inflight: Inflight;
  logger: Logger;
}

const MEMORY = 1000; // conversations remembered for follow-ups (message ids and threads)

const THREAD_CONTEXT = 3; // earlier questions of a thread carried into a follow-up

/**
 * Answers messages that mention the bot, as a reply to that message. A follow-up mention that replies
 * to one of our answers is asked together with the previous question, so "and what did Washington say?"
 * keeps its context; inside a thread, the thread's earlier questions (from the question log, so it
 * survives a restart) are the context.
 */
export function createMentionHandler(deps: MentionDeps): (message: Message) => void {
  /** Our reply's message id, or a thread id → the question it answered. */
  const previous = new Map<string, string>();

  function remember(key: string, question: string): void {
    previous.delete(key);
    previous.set(key, question);
    while (previous.size > MEMORY) previous.delete(previous.keys().next().value!);
  }

  return (message) => {
    const me = message.client.user;
    if (message.author.bot || message.webhookId || message.system || !me) return;
    if (!message.mentions.users.has(me.id)) return;
    if (deps.inflight.closing) return void message.reply({ content: SHUTDOWN_MESSAGE, allowedMentions: NO_MENTIONS }).catch(() => undefined);
    deps.inflight.track(answer(message, me.id), () => message.reply({ content: SHUTDOWN_MESSAGE, allowedMentions: NO_MENTIONS }).catch(() => undefined));
  };

  async function answer(message: Message, botId: string): Promise<void> {
    const started = performance.now();
    const log = deps.logger.child({ guildId: message.guildId, command: 'mention', messageId: message.id });
    let outcome = 'ok';
    try {
      const question = stripMention(message.content, botId);
      if (!question) {
        outcome = 'empty';
        await message.reply({
          content: 'Ask me a question after the mention, e.g. “@Newsdesk what did Lavrov say about a new US ambassador?”',
          allowedMentions: NO_MENTIONS,
        });
        return;
      }
      const d = deps.limiter.take(message.author.id, message.guildId);
      if (!d.ok) {
        outcome = 'rate-limited';
        await message.reply({ content: rateLimitMessage(d), allowedMentions: NO_MENTIONS });
        return;
      }
      void sendTyping(message);
      const threadId = message.channel.isThread() ? message.channel.id : null;
      const prior = await previousQuestion(message, botId);
      const effective = withContext(prior, question);
      const { reply } = await answerQuestion(deps.ctx, {
        question,
        asked: effective,
        guildId: message.guildId ?? null,
        channelId: message.channelId,
        threadId,
        via: 'mention',
        updatesButton: true,
      });
      if (deps.inflight.abandoned) return; // too late: the user was told we stopped
      const sent = await message.reply({ ...reply, allowedMentions: NO_MENTIONS });
      remember(sent.id, effective);
      if (threadId) remember(threadId, effective);
      if (prior) log.debug('follow-up', { withContext: true });
    } catch (err) {
      outcome = classify(err, log);
      if (deps.inflight.abandoned) return; // the shutdown notice stands
      await message
        .reply({ content: `⚠️ ${describeError(err)}`, allowedMentions: NO_MENTIONS })
        .catch((e: unknown) => log.warn('could not send the error message', { err: e }));
    } finally {
      log.info('mention', { outcome, latencyMs: Math.round(performance.now() - started) });
    }
  }

  /** The context of a follow-up: a thread's earlier questions, else the answer this message replies to. */
  async function previousQuestion(message: Message, botId: string): Promise<string | undefined> {
    if (message.channel.isThread() && deps.ctx.core.insights.enabled) {
      const logged = deps.ctx.core.insights.threadQuestions(message.channel.id, THREAD_CONTEXT);
      if (logged.length > 0) return logged.join('\n');
    }
    const ref = message.reference?.messageId;
    if (ref) {
      const known = previous.get(ref);
      if (known) return known;
      // Not in memory (e.g. after a restart): walk one step up the chain through the API.
      try {
        const answer = await message.fetchReference();
        if (answer.author.id === botId && answer.reference?.messageId) {
          const asked = await answer.fetchReference();
          const q = stripMention(asked.content, botId);
          if (q) return q;
        }
      } catch {
        // Deleted or unreadable: answer without context.
      }
    }
    return message.channel.isThread() ? previous.get(message.channel.id) : undefined;
  }
}

/** The question without the bot's mention(s). */
export function stripMention(content: string, botId: string): string {
  return content
    .replace(new RegExp(`<@!?${botId}>`, 'g'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Previous question + follow-up, kept within the engine's question limit (the follow-up wins). */
export function withContext(prior: string | undefined, question: string): string {
  if (!prior) return question;
  const room = MAX_QUESTION_CHARS - question.length - 1;
  if (room < 20) return question.slice(0, MAX_QUESTION_CHARS);
  const context = prior.length > room ? prior.slice(prior.length - room) : prior;
  return `${context}\n${question}`;
}

async function sendTyping(message: Message): Promise<void> {
  try {
    if ('sendTyping' in message.channel) await message.channel.sendTyping();
  } catch {
    // Typing is cosmetic.
  }
}
