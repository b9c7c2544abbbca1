import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { MAX_QUESTION_CHARS } from '../src/core/ask.ts';
import { answerQuestion } from '../src/discord/answer-flow.ts';
import { scopeOf, type Command } from '../src/discord/command.ts';
import { resolveSource, sourceChoices } from '../src/discord/parse-options.ts';
import { neutralizeMentions, truncate } from '../src/discord/sanitize.ts';
import { parseSince } from '../src/text/dates.ts';

/** `/ask question [source] [since] [private]`: an answer with numbered citations and 👍/👎 buttons. */
export const ask = {
  data: new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Ask a question about the news this server tracks; the answer cites its sources.')
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .addStringOption((o) =>
      o
        .setName('question')
        .setDescription('Your question, e.g. "What did Lavrov say about a new US ambassador?"')
        .setRequired(true)
        .setMaxLength(MAX_QUESTION_CHARS),
    )
    .addStringOption((o) => o.setName('source').setDescription('Only use this source').setAutocomplete(true))
    .addStringOption((o) => o.setName('since').setDescription('Only articles since a date (2024-11-01) or a span (7d, 2w)').setMaxLength(20))
    .addBooleanOption((o) => o.setName('private').setDescription('Only you see the answer')),
  rateLimited: true,
  ephemeral: (i) => i.options.getBoolean('private') ?? false,
  async execute(i, ctx) {
    const scope = scopeOf(i);
    const question = i.options.getString('question', true);
    const sourceRaw = i.options.getString('source');
    const sinceRaw = i.options.getString('since');
    const sourceIds = sourceRaw ? [resolveSource(ctx.core.sources.list(scope), sourceRaw).id] : undefined;
    const since = sinceRaw ? parseSince(sinceRaw) : undefined;
    const inThread = i.channel?.isThread() ?? false;
    const { reply, questionId } = await answerQuestion(ctx, {
      question,
      guildId: scope.guildId,
      channelId: i.channelId,
      threadId: inThread ? i.channelId : null,
      via: 'slash',
      sourceIds,
      since,
      // "Updates since" re-asks later over newer articles only; answers narrowed to one source or date get none.
      updatesButton: !sourceIds && !since,
    });
    // Busy channels can ask for one thread per question (/settings ask-threads); private answers stay replies.
    const threads = scope.guildId !== null && !inThread && !i.options.getBoolean('private') && ctx.core.settings.get(scope.guildId, i.channelId).askInThreads;
    if (!threads) return reply;
    return {
      content: `❓ **${truncate(neutralizeMentions(question.replace(/\s+/g, ' ')), 300)}** — answered in the thread below.`,
      thread: { name: question, reply, onStarted: (threadId) => questionId !== null && ctx.core.insights.attachThread(questionId, threadId) },
    };
  },
  async autocomplete(i, ctx) {
    return sourceChoices(ctx.core.sources.list(scopeOf(i)), i.options.getFocused(), i.guildId);
  },
} satisfies Command;
