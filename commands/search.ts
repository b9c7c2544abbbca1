import { ButtonStyle, ComponentType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { ArticleSummary } from '../src/core/questions.ts';
import { UserError } from '../src/errors.ts';
import { scopeOf, type BotReply, type Command } from '../src/discord/command.ts';
import { customId, type ComponentHandler } from '../src/discord/component-handler.ts';
import { formatArticlePage, PAGE_SIZE } from '../src/discord/format-articles.ts';
import { resolveSource, sourceChoices } from '../src/discord/parse-options.ts';
import { parseSince } from '../src/text/dates.ts';

const MAX_RESULTS = 25;

/** `/search query [since] [source]`: matching articles, best first, five per page with Previous/Next buttons. */
export const search = {
  data: new SlashCommandBuilder()
    .setName('search')
    .setDescription('Find articles the server tracks (no answer, just the list), best match first.')
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .addStringOption((o) => o.setName('query').setDescription('Words to look for').setRequired(true).setMaxLength(300))
    .addStringOption((o) => o.setName('since').setDescription('Only articles since a date (2024-11-01) or a span (7d, 2w)').setMaxLength(20))
    .addStringOption((o) => o.setName('source').setDescription('Only this source').setAutocomplete(true)),
  rateLimited: true,
  async execute(i, ctx) {
    const query = i.options.getString('query', true).trim();
    if (!query) throw new UserError('bad-input', 'The query is empty: give a few words to look for.');
    const sinceRaw = i.options.getString('since');
    const since = sinceRaw ? parseSince(sinceRaw) : undefined;
    const sourceRaw = i.options.getString('source');
    const sourceIds = sourceRaw ? [resolveSource(ctx.core.sources.list(scopeOf(i)), sourceRaw).id] : undefined;
    const items = await ctx.queue.run(() => ctx.core.search(query, scopeOf(i), { k: MAX_RESULTS, since, sourceIds }));
    const key = ctx.pages.put({ userId: i.user.id, query, items });
    return searchPage(key, query, items, 0);
  },
  async autocomplete(i, ctx) {
    return sourceChoices(ctx.core.sources.list(scopeOf(i)), i.options.getFocused(), i.guildId);
  },
} satisfies Command;

/** Previous/Next on a result list (`search:<key>:<page>`); the list lives in memory for 15 minutes. */
export const searchPager = {
  prefix: 'search',
  async handle(i, ctx, [key, page]) {
    const entry = key ? ctx.pages.get<ArticleSummary>(key) : undefined;
    if (!entry) return { update: { content: 'These results expired; run /search again.', embeds: [], components: [] } };
    if (entry.userId !== i.user.id) throw new UserError('permission', 'Only the person who ran this search can turn its pages; run /search yourself.');
    return { update: searchPage(key!, entry.query, entry.items, Number(page) || 0) };
  },
} satisfies ComponentHandler;

/** One page of results with Previous/Next buttons (`search:<key>:<page>`). */
export function searchPage(key: string, query: string, items: ArticleSummary[], page: number): BotReply {
  const pages = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
  const p = Math.min(Math.max(0, page), pages - 1);
  const embed = formatArticlePage({
    heading: `Search: ${query}`,
    items,
    page: p,
    empty: 'No tracked article matches. Try other words, or ask an admin to add sources.',
  });
  if (pages === 1) return { embeds: [embed], components: [] };
  return {
    embeds: [embed],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Previous', custom_id: customId('search', key, p - 1), disabled: p === 0 },
          { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Next', custom_id: customId('search', key, p + 1), disabled: p >= pages - 1 },
        ],
      },
    ],
  };
}
