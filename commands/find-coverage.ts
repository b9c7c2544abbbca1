import { ApplicationCommandType, ContextMenuCommandBuilder, InteractionContextType } from 'discord.js';
import { scopeOf, type MessageCommand } from '../src/discord/command.ts';
import { coverageQuery, hasText, linksIn, messageText, sameUrl } from '../src/discord/message-text.ts';
import { quoteLine } from './ask-message.ts';
import { searchPage } from './search.ts';

const MAX_QUERY = 300; // /search's own limit
const MAX_RESULTS = 25;

/** Right-click a message → Apps → "Find coverage": the tracked articles about its subject or link. */
export const findCoverage = {
  kind: 'message',
  data: new ContextMenuCommandBuilder()
    .setName('Find coverage')
    .setType(ApplicationCommandType.Message)
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM),
  rateLimited: true,
  // Nothing to ask about (an image only): the explanation goes to the clicker alone.
  ephemeral: (i) => !hasText(i.targetMessage),
  async execute(i, ctx) {
    const target = messageText(i.targetMessage, 4000);
    const query = coverageQuery(target.text, MAX_QUERY);
    const found = await ctx.queue.run(() => ctx.core.search(query, scopeOf(i), { k: MAX_RESULTS }));
    // The article the message links to, when it is tracked, goes first.
    const links = linksIn(i.targetMessage.content);
    const linked = found.filter((a) => a.url && links.some((l) => sameUrl(l, a.url!)));
    const items = [...linked, ...found.filter((a) => !linked.includes(a))];
    const key = ctx.pages.put({ userId: i.user.id, query, items });
    const page = searchPage(key, query, items, 0);
    const notes = [
      linked.length
        ? '*The linked article is tracked: it is listed first.*'
        : links.length
          ? '*The linked page is not tracked here; these are the closest tracked articles.*'
          : '',
      target.length > MAX_QUERY ? `*The message is long: I searched for its first ${query.length} characters.*` : '',
    ].filter(Boolean);
    return { ...page, content: [quoteLine(i.targetMessage, 'Coverage of'), ...notes].join('\n') };
  },
} satisfies MessageCommand;
