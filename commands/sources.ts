import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { isUserError, UserError } from '../src/errors.ts';
import { scopeOf, type Command } from '../src/discord/command.ts';
import { formatSourceAdded, formatSourceList } from '../src/discord/format-sources.ts';
import { ownSources, resolveSource, sourceChoices } from '../src/discord/parse-options.ts';
import { linkText, neutralizeMentions, truncate } from '../src/discord/sanitize.ts';

/** `/sources add|list|remove|refresh`: manage what this server tracks. Manage Server only. */
export const sources = {
  data: new SlashCommandBuilder()
    .setName('sources')
    .setDescription('Manage the news sources this server tracks (Manage Server permission).')
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addSubcommand((s) =>
      s
        .setName('add')
        .setDescription('Track a feed (RSS/Atom) or an article page; it is fetched right away.')
        .addStringOption((o) => o.setName('url').setDescription('Feed or article URL (https://…)').setRequired(true).setMaxLength(2000))
        .addStringOption((o) => o.setName('name').setDescription('A short name for the source').setMaxLength(100)),
    )
    .addSubcommand((s) =>
      s
        .setName('list')
        .setDescription('Every source with article count, last fetch and last error.')
        .addIntegerOption((o) => o.setName('page').setDescription('Which page (10 sources each)').setMinValue(1)),
    )
    .addSubcommand((s) =>
      s
        .setName('remove')
        .setDescription('Stop tracking a source and drop its articles.')
        .addStringOption((o) => o.setName('source').setDescription('The source (id or name)').setRequired(true).setAutocomplete(true)),
    )
    .addSubcommand((s) =>
      s
        .setName('refresh')
        .setDescription('Fetch a source (or all of this server’s sources) now.')
        .addStringOption((o) => o.setName('source').setDescription('The source (id or name); all when empty').setAutocomplete(true)),
    ),
  requiredPermissions: PermissionFlagsBits.ManageGuild,
  ephemeral: () => true,
  async execute(i, ctx) {
    const scope = scopeOf(i);
    if (scope.guildId === null) throw new UserError('bad-input', 'Sources are managed per server: run /sources in a server.');
    const sub = i.options.getSubcommand(true);
    switch (sub) {
      case 'add': {
        const r = await ctx.core.sources.addUrl(i.options.getString('url', true), { guildId: scope.guildId, name: i.options.getString('name') });
        return { content: formatSourceAdded(r) };
      }
      case 'list':
        return { embeds: [formatSourceList(ctx.core.sources.list(scope), i.options.getInteger('page') ?? 1)] };
      case 'remove': {
        const s = resolveSource(ownSources(ctx.core.sources.list(scope), scope), i.options.getString('source', true));
        const r = await ctx.core.sources.remove(s.id, scope);
        return {
          content: `Removed **#${s.id} ${truncate(linkText(s.name ?? s.url), 200)}** and ${r.removedArticles} article${r.removedArticles === 1 ? '' : 's'} no other source carries.`,
        };
      }
      case 'refresh': {
        const own = ownSources(ctx.core.sources.list(scope), scope).filter((s) => s.kind !== 'file');
        const raw = i.options.getString('source');
        const targets = raw ? [resolveSource(own, raw)] : own;
        if (targets.length === 0) return { content: 'This server tracks no sources yet. Add one with /sources add.' };
        const lines: string[] = [];
        for (const s of targets.slice(0, 20)) {
          try {
            const r = await ctx.core.sources.refresh(s.id);
            lines.push(`#${s.id}: ${r.notModified ? 'not modified' : `${r.report.added} new, ${r.report.updated} updated`}`);
          } catch (err) {
            if (!isUserError(err)) throw err;
            lines.push(`#${s.id}: failed — ${truncate(neutralizeMentions(err.message), 200)}`);
          }
        }
        if (targets.length > 20) lines.push(`…${targets.length - 20} more not refreshed now; they are polled on schedule.`);
        return { content: truncate(lines.join('\n'), 2000) };
      }
      default:
        throw new UserError('bad-input', `Unknown subcommand "${sub}".`);
    }
  },
  async autocomplete(i, ctx) {
    const scope = scopeOf(i);
    return sourceChoices(ownSources(ctx.core.sources.list(scope), scope), i.options.getFocused(), i.guildId);
  },
} satisfies Command;
