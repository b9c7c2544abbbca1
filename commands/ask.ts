import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { MAX_QUESTION_CHARS } from '../src/core/ask.ts';
import { scopeOf, type Command } from '../src/discord/command.ts';
import { formatAnswerReply } from '../src/discord/format-answer.ts';
import { resolveSource, sourceChoices } from '../src/discord/parse-options.ts';
import { parseSince } from '../src/text/dates.ts';
import { updatesButtonRow, withFreshness } from '../src/discord/format-freshness.ts';

/** `/ask question [source] [since] [private]`: an answer with numbered citations. */
export const ask = {
  data: new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Ask a question about the news this server tracks; the answer cites its sources.')
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .addStringOption((o) =>
      o.setName('question').setDescription('Your question, e.g. "What did Lavrov say about a new US ambassador?"').setRequired(true).setMaxLength(MAX_QUESTION_CHARS),
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
    const result = await ctx.queue.run(() => ctx.core.ask(question, { guildId: scope.guildId, sourceIds, since, k: 5 }));
    const reply = withFreshness(formatAnswerReply(result), ctx.core.freshness(result, scope.guildId));
    // "Updates since" re-asks later over newer articles only; answers narrowed to one source or date get none.
    if (!sourceIds && !since) reply.components = [...(reply.components ?? []), updatesButtonRow(ctx.core.snapshotAnswer(result, scope.guildId))];
    return reply;
  },
  async autocomplete(i, ctx) {
    return sourceChoices(ctx.core.sources.list(scopeOf(i)), i.options.getFocused());
  },
} satisfies Command;

