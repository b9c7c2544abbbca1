import { ChannelType, InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { UserError } from '../src/errors.ts';
import type { Command } from '../src/discord/command.ts';
import type { ComponentHandler, ComponentResult } from '../src/discord/component-handler.ts';
import { createChannelPoster } from '../src/discord/channel-poster.ts';
import { formatWatchList, WATCH_BUTTON_PREFIX } from '../src/discord/format-alert.ts';
import { linkText, neutralizeMentions, truncate } from '../src/discord/sanitize.ts';
import { MAX_TOPIC_CHARS } from '../src/watches/topic-matcher.ts';

/** `/watch add|list|remove`: topic alerts from this server's sources. Manage Server only. */
export const watch = {
  data: new SlashCommandBuilder()
    .setName('watch')
    .setDescription('Alerts when new articles in this server’s sources match a topic (Manage Server permission).')
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addSubcommand((s) =>
      s
        .setName('add')
        .setDescription('Post an alert whenever a newly tracked story matches this topic.')
        .addStringOption((o) =>
          o.setName('topic').setDescription('A few key words, e.g. "harbour ferry tolls"').setRequired(true).setMaxLength(MAX_TOPIC_CHARS),
        )
        .addChannelOption((o) =>
          o.setName('channel').setDescription('Where alerts go (default: this channel)').addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
        ),
    )
    .addSubcommand((s) => s.setName('list').setDescription('Every watch with its channel, alerts sent and last alert.'))
    .addSubcommand((s) =>
      s
        .setName('remove')
        .setDescription('Stop a watch.')
        .addIntegerOption((o) => o.setName('id').setDescription('The watch id (see /watch list)').setRequired(true).setMinValue(1)),
    ),
  requiredPermissions: PermissionFlagsBits.ManageGuild,
  ephemeral: () => true,
  async execute(i, ctx) {
    const guildId = i.guildId;
    if (!guildId) throw new UserError('bad-input', 'Watches belong to a server: run /watch in a server.');
    switch (i.options.getSubcommand(true)) {
      case 'add': {
        const channelId = i.options.getChannel('channel')?.id ?? i.channelId;
        const topic = i.options.getString('topic', true);
        // Refuse now, while an admin is looking, rather than fail silently at the first alert.
        const why = await createChannelPoster(i.client).cannotPost(guildId, channelId);
        if (why)
          throw new UserError('permission', `I cannot post alerts there: ${why}. Give the bot those permissions in that channel, or pick another channel.`);
        const { watch: w, resumed } = ctx.core.watches.add({ guildId, channelId, topic, createdBy: i.user.id });
        const noSources = ctx.core.sources.list({ kind: 'guild', guildId }).length === 0;
        return {
          content: [
            `${resumed ? 'Resumed' : 'Watching'} **${truncate(linkText(w.topic), 200)}** → <#${w.channelId}> (watch #${w.id}).`,
            'New articles from this server’s sources that match will be posted there, one alert per story.',
            noSources ? '⚠️ This server tracks no sources yet: add one with `/sources add`, or nothing can match.' : '',
          ]
            .filter(Boolean)
            .join('\n'),
        };
      }
      case 'list':
        return formatWatchList(ctx.core.watches.list(guildId));
      case 'remove': {
        const w = ctx.core.watches.remove(guildId, i.options.getInteger('id', true));
        return { content: `Removed watch #${w.id} (**${truncate(linkText(w.topic), 200)}** → <#${w.channelId}>).` };
      }
      default:
        throw new UserError('bad-input', 'Unknown /watch subcommand.');
    }
  },
} satisfies Command;

/**
 * The alert buttons: `watch:mute:<storyId>` (no more alerts about that story in this server) and
 * `watch:unwatch:<watchId>` (stop the watch). Both change the server's settings: Manage Server, checked
 * at run time by the router. The alert keeps its embed; its buttons give way to a line saying who did
 * what, and the clicker gets a private note.
 */
export const watchButtons = {
  prefix: WATCH_BUTTON_PREFIX,
  requiredPermissions: PermissionFlagsBits.ManageGuild,
  async handle(i, ctx, args): Promise<ComponentResult> {
    const guildId = i.guildId;
    if (!guildId) throw new UserError('bad-input', 'This button only works in a server.');
    const [action, rawId] = args;
    const id = Number(rawId);
    if (!Number.isSafeInteger(id) || id <= 0) throw new UserError('bad-input', 'This button is broken; use /watch instead.');
    const done = (line: string) => ({ content: neutralizeMentions(line), components: [] });
    if (action === 'mute') {
      ctx.core.watches.mute(guildId, id, i.user.id);
      return { update: done(`🔕 Story muted by ${i.user.username}.`), followUp: { content: 'Muted: no more alerts about this story in this server.' } };
    }
    if (action === 'unwatch') {
      const w = ctx.core.watches.remove(guildId, id);
      return {
        update: done(`Watch #${w.id} stopped by ${i.user.username}.`),
        followUp: { content: `Stopped watch #${w.id} (**${truncate(linkText(w.topic), 200)}**). \`/watch add\` starts it again.` },
      };
    }
    throw new UserError('bad-input', 'This button is broken; use /watch instead.');
  },
} satisfies ComponentHandler;
