import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { scopeOf } from '../src/discord/command.ts';
import { COLORS } from '../src/discord/format-answer.ts';
import { isDemoSource } from '../src/config.ts';

/** `/help`: what the bot does, with examples. */
export const help = {
  data: new SlashCommandBuilder()
    .setName('help')
    .setDescription('What Newsdesk does, with examples.')
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM),
  ephemeral: () => true,
  async execute(interaction, ctx) {
    const demo = ctx.core.sources.list(scopeOf(interaction)).find(isDemoSource);
    return { embeds: [helpEmbed(demo ? { demoSourceId: demo.id } : {})] };
  },
} satisfies Command;

export function helpEmbed(opts: { demoSourceId?: number } = {}) {
  const demo =
    opts.demoSourceId === undefined
      ? []
      : [
          {
            name: 'Demo source',
            value:
              `Until you add your own sources I also answer from one demo article (source #${opts.demoSourceId}, from data/seed/: a November 2024 story on Russia–US relations). ` +
              `The operator removes it with \`npx newsdesk sources remove ${opts.demoSourceId}\`.`,
          },
        ];
  return {
    title: 'Newsdesk',
    color: COLORS.answer,
    description:
      'I answer questions about the news this server tracks, citing the articles I used as [1], [2]…\n' +
      'I only know what the tracked sources published: if nothing tracked covers it, I say so.',
    fields: [
      {
        name: '/ask',
        value: '`/ask question:What did Lavrov say about a new US ambassador?`\nOptions: `source`, `since` (2024-11-01 or 7d), `private` (only you see it).',
      },
      { name: 'Mention me', value: '`@Newsdesk what changed in the ambassador story?` — reply to my answer with another mention to follow up.' },
      { name: '/search and /latest', value: '`/search query:ambassador` lists matching articles; `/latest` shows the newest ones.' },
      {
        name: 'On any message: Apps → Ask Newsdesk / Find coverage',
        value:
          'Right-click (or long-press) a message: **Ask Newsdesk** answers it as a question; **Find coverage** lists the tracked articles about it or its link.',
      },
      { name: 'Rate answers', value: 'Every answer has 👍/👎 buttons; a 👎 asks what was wrong. Server admins see the totals in `/insights`.' },
      { name: '/sources (Manage Server)', value: '`/sources add url:https://example.org/feed.xml` · `/sources list` · `/sources remove` · `/sources refresh`' },
      {
        name: '/insights and /settings (Manage Server)',
        value:
          '`/insights report days:7` — questions, coverage gaps, feedback, source health · `/insights purge` · `/settings ask-threads enabled:True` — answer /ask in a thread per question',
      },
      ...demo,
    ],
  };
}
