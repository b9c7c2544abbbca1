import {
  ButtonStyle,
  ComponentType,
  TextInputStyle,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIModalInteractionResponseCallbackData,
} from 'discord.js';
import type { FeedbackReason } from '../core/insights.ts';
import { customId } from './component-handler.ts';

export const FEEDBACK_PREFIX = 'feedback';

type Row = APIActionRowComponent<APIComponentInMessageActionRow>;

/** What a 👎 can say was wrong, as the select menu offers it. */
export const REASON_LABELS: Record<FeedbackReason, { label: string; description: string }> = {
  wrong: { label: 'Wrong', description: 'The answer says something the articles do not.' },
  outdated: { label: 'Outdated', description: 'There is newer news than what it cites.' },
  'missing-source': { label: 'Missing source', description: 'The server does not track the outlet that covers this.' },
  other: { label: 'Other…', description: 'Tell us in a few words.' },
};

/** The 👍/👎 row under an answer: `feedback:up:<id>`, `feedback:down:<id>`, with the vote counts. */
export function feedbackRow(questionId: number, counts: { up: number; down: number } = { up: 0, down: 0 }): Row {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        custom_id: customId(FEEDBACK_PREFIX, 'up', questionId),
        emoji: { name: '👍' },
        label: label('Helpful', counts.up),
      },
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        custom_id: customId(FEEDBACK_PREFIX, 'down', questionId),
        emoji: { name: '👎' },
        label: label('Not helpful', counts.down),
      },
    ],
  };
}

function label(text: string, n: number): string {
  return n > 0 ? `${text} · ${n}` : text;
}

/**
 * The message's components with the feedback row's counts brought up to date; every other component
 * (other handlers' buttons on the same answer) is kept as it is.
 */
export function withFeedbackCounts(rows: Row[], questionId: number, counts: { up: number; down: number }): Row[] {
  const fresh = feedbackRow(questionId, counts).components;
  const replace = new Map(fresh.map((c) => [(c as { custom_id: string }).custom_id, c]));
  let found = false;
  const out = rows.map((row) => ({
    ...row,
    components: row.components.map((c) => {
      const id = (c as { custom_id?: string }).custom_id;
      const next = id ? replace.get(id) : undefined;
      if (next) found = true;
      return next ?? c;
    }),
  }));
  return found ? out : [...out, feedbackRow(questionId, counts)];
}

/** The private follow-up to a 👎: pick what was wrong (`feedback:reason:<id>`). */
export function reasonPrompt(questionId: number) {
  return {
    content: 'Thanks. What was wrong with this answer? (Optional; server admins see the totals in /insights.)',
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.StringSelect,
            custom_id: customId(FEEDBACK_PREFIX, 'reason', questionId),
            placeholder: 'Choose a reason',
            options: (Object.keys(REASON_LABELS) as FeedbackReason[]).map((value) => ({ value, ...REASON_LABELS[value] })),
          },
        ],
      },
    ] as Row[],
  };
}

export const COMMENT_INPUT = 'comment';

/** "Other…": a short free-text reason (`feedback:comment:<id>`). */
export function commentModal(questionId: number): APIModalInteractionResponseCallbackData {
  return {
    custom_id: customId(FEEDBACK_PREFIX, 'comment', questionId),
    title: 'What was wrong?',
    components: [
      {
        type: ComponentType.Label,
        label: 'In a few words',
        component: { type: ComponentType.TextInput, custom_id: COMMENT_INPUT, style: TextInputStyle.Paragraph, max_length: 500, required: false },
      },
    ],
  };
}
