import { FEEDBACK_REASONS, type FeedbackReason } from '../src/core/insights.ts';
import { UserError } from '../src/errors.ts';
import type { ComponentHandler } from '../src/discord/component-handler.ts';
import { COMMENT_INPUT, commentModal, FEEDBACK_PREFIX, REASON_LABELS, reasonPrompt, withFeedbackCounts } from '../src/discord/format-feedback.ts';

/**
 * 👍/👎 on answers (`feedback:up|down:<answer id>`), the 👎 reason select (`feedback:reason:<id>`) and the
 * "Other…" comment modal (`feedback:comment:<id>`). Votes live in SQLite, so buttons on answers from
 * before a restart still work; one vote per user per answer, replaced by the next click.
 */
export const feedback = {
  prefix: FEEDBACK_PREFIX,
  modal(i, _ctx, [action, id]) {
    if (action === 'reason' && i.isStringSelectMenu() && i.values[0] === 'other') return commentModal(answerId(id));
    return undefined;
  },
  async handle(i, ctx, [action, id]) {
    const who = { questionId: answerId(id), guildId: i.guildId ?? null, userId: i.user.id };
    switch (action) {
      case 'up':
      case 'down': {
        const counts = ctx.core.insights.vote({ ...who, vote: action === 'up' ? 1 : -1 });
        const rows = i.message ? withFeedbackCounts(i.message.components.map((c) => c.toJSON()) as never, who.questionId, counts) : undefined;
        return {
          update: { components: rows },
          followUp: action === 'up' ? { content: 'Thanks — marked as helpful. Click 👎 instead to change your vote.' } : reasonPrompt(who.questionId),
        };
      }
      case 'reason': {
        if (!i.isStringSelectMenu()) throw new UserError('bad-input', 'Pick a reason from the list.');
        const reason = i.values[0] as FeedbackReason;
        if (!FEEDBACK_REASONS.includes(reason)) throw new UserError('bad-input', 'Pick a reason from the list.');
        ctx.core.insights.reason({ ...who, reason });
        return { update: { content: `Thanks — noted: **${REASON_LABELS[reason].label}**. Server admins see the totals in /insights.`, components: [] } };
      }
      case 'comment': {
        if (!i.isModalSubmit()) throw new UserError('bad-input', 'This button no longer works; vote again.');
        ctx.core.insights.reason({ ...who, reason: 'other', comment: i.fields.getTextInputValue(COMMENT_INPUT) });
        return { update: { content: 'Thanks — noted. Server admins see the totals in /insights.', components: [] } };
      }
      default:
        throw new UserError('bad-input', 'This button no longer works; run the command again.');
    }
  },
} satisfies ComponentHandler;

function answerId(raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new UserError('bad-input', 'This button no longer works; ask again.');
  return n;
}
