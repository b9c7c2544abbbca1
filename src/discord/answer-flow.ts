import type { AskVia } from '../core/insights.ts';
import type { BotReply, CommandContext } from './command.ts';
import { formatAnswerReply } from './format-answer.ts';
import { feedbackRow } from './format-feedback.ts';
import { updatesButtonRow, withFreshness } from './format-freshness.ts';

/** One question from Discord, however it arrived (/ask, a mention, a context menu). */
export interface AnswerRequest {
  /** What the user wrote: shown as the answer's title and logged. */
  question: string;
  /** What is asked: the question with follow-up context (defaults to `question`). */
  asked?: string;
  guildId: string | null;
  channelId: string | null;
  /** The thread the question was asked in, if any. */
  threadId?: string | null;
  via: AskVia;
  sourceIds?: number[];
  since?: string;
  /** Add the "Updates since" button (not for answers narrowed to one source or date). */
  updatesButton?: boolean;
}

/**
 * ask (in the bounded queue) → log the question and answer → the reply with its freshness line, 👍/👎
 * buttons when the log is on, and "Updates since" when asked for. The one path every Discord front end
 * takes, so every answer looks and is rated the same way.
 */
export async function answerQuestion(ctx: CommandContext, req: AnswerRequest): Promise<{ reply: BotReply; questionId: number | null }> {
  // withPassages: the log maps each citation to its article through the passages' numbers.
  const result = await ctx.queue.run(() =>
    ctx.core.ask(req.asked ?? req.question, { guildId: req.guildId, sourceIds: req.sourceIds, since: req.since, k: 5, withPassages: true }),
  );
  let questionId: number | null = null;
  try {
    questionId = ctx.core.insights.record({
      guildId: req.guildId,
      channelId: req.channelId,
      threadId: req.threadId ?? null,
      via: req.via,
      question: req.question,
      result,
    });
  } catch (err) {
    // The answer matters more than its log entry: answer without feedback buttons.
    ctx.logger.warn('could not log the question', { err });
  }
  const reply = withFreshness(formatAnswerReply({ ...result, question: req.question }), ctx.core.freshness(result, req.guildId));
  reply.components = [
    ...(reply.components ?? []),
    ...(questionId !== null ? [feedbackRow(questionId)] : []),
    ...(req.updatesButton ? [updatesButtonRow(ctx.core.snapshotAnswer(result, req.guildId))] : []),
  ];
  return { reply, questionId };
}
