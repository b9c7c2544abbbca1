import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { scopeOf, type Command } from '../src/discord/command.ts';
import { formatArticlePage } from '../src/discord/format-articles.ts';
import { resolveSource, sourceChoices } from '../src/discord/parse-options.ts';

/** `/latest [source]`: the newest articles the server tracks. */
export const latest = {
  data: new SlashCommandBuilder()
    .setName('latest')
    .setDescription('The newest articles this server tracks.')
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .addStringOption((o) => o.setName('source').setDescription('Only this source').setAutocomplete(true)),
  async execute(i, ctx) {
    const scope = scopeOf(i);
    const raw = i.options.getString('source');
    const source = raw ? resolveSource(ctx.core.sources.list(scope), raw) : undefined;
    const items = ctx.core.latest(scope, { sourceId: source?.id, limit: 10 });
    const heading = source ? `Latest from ${source.name ?? source.url}` : 'Latest articles';
    return { embeds: [formatArticlePage({ heading, items, pageSize: 10, empty: 'Nothing tracked yet. An admin can add a feed with /sources add.' })] };
  },
  async autocomplete(i, ctx) {
    return sourceChoices(ctx.core.sources.list(scopeOf(i)), i.options.getFocused(), i.guildId);
  },
} satisfies Command;
