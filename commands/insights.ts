import { ButtonStyle, ComponentType, InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { UserError } from '../src/errors.ts';
import { scopeOf, type Command } from '../src/discord/command.ts';
import { customId, type ComponentHandler } from '../src/discord/component-handler.ts';
import { formatInsights } from '../src/discord/format-insights.ts';

/** `/insights report [days]`, `/insights purge`: what this server asks and how well it is answered. Manage Server. */
export const insights = {
  data: new SlashCommandBuilder()
    .setName('insights')
    .setDescription('What this server asks, what is not covered, feedback and source health (Manage Server).')
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addSubcommand((s) =>
      s
        .setName('report')
        .setDescription('Questions, answered vs not covered, coverage gaps, feedback, source health.')
        .addIntegerOption((o) =>
          o.setName('days').setDescription('The period (default 7 days)').addChoices({ name: 'last 7 days', value: 7 }, { name: 'last 30 days', value: 30 }),
        ),
    )
    .addSubcommand((s) => s.setName('purge').setDescription("Delete this server's question and feedback log (asks to confirm).")),
  requiredPermissions: PermissionFlagsBits.ManageGuild,
  ephemeral: () => true,
  async execute(i, ctx) {
    const guildId = scopeOf(i).guildId;
    if (guildId === null) throw new UserError('bad-input', 'Insights are per server: run /insights in a server.');
    if (i.options.getSubcommand(true) === 'purge') {
      const held = ctx.core.insights.report({ kind: 'guild', guildId }, ctx.core.insights.retentionDays || 1).questions;
      return {
        content: `This deletes this server's question log: **${held}** question${held === 1 ? '' : 's'}, their answers and every 👍/👎 vote. It cannot be undone.`,
        components: [
          {
            type: ComponentType.ActionRow,
            components: [
              { type: ComponentType.Button, style: ButtonStyle.Danger, custom_id: customId('insights', 'purge'), label: 'Delete the log' },
              { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: customId('insights', 'cancel'), label: 'Cancel' },
            ],
          },
        ],
      };
    }
    const days = i.options.getInteger('days') ?? 7;
    return { embeds: [formatInsights(ctx.core.insights.report({ kind: 'guild', guildId }, days))] };
  },
} satisfies Command;

/** The confirmation buttons of `/insights purge` (`insights:purge`, `insights:cancel`); Manage Server again at click time. */
export const insightsPurge = {
  prefix: 'insights',
  requiredPermissions: PermissionFlagsBits.ManageGuild,
  async handle(i, ctx, [action]) {
    if (action !== 'purge') return { update: { content: 'Nothing deleted.', components: [] } };
    if (!i.guildId) throw new UserError('bad-input', 'Insights are per server.');
    const deleted = ctx.core.insights.purge({ kind: 'guild', guildId: i.guildId });
    return {
      update: { content: `Deleted this server's question log: ${deleted} question${deleted === 1 ? '' : 's'} with their answers and votes.`, components: [] },
    };
  },
} satisfies ComponentHandler;
