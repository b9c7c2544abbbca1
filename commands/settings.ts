import { ChannelType, InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { UserError } from '../src/errors.ts';
import { scopeOf, type Command } from '../src/discord/command.ts';

/** `/settings ask-threads enabled [channel]`, `/settings show`: per-channel choices. Manage Server. */
export const settings = {
  data: new SlashCommandBuilder()
    .setName('settings')
    .setDescription('How Newsdesk behaves in this server (Manage Server).')
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addSubcommand((s) =>
      s
        .setName('ask-threads')
        .setDescription('Answer each /ask in a new thread (for busy channels).')
        .addBooleanOption((o) => o.setName('enabled').setDescription('On or off').setRequired(true))
        .addChannelOption((o) =>
          o.setName('channel').setDescription('The channel (default: this one)').addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
        ),
    )
    .addSubcommand((s) => s.setName('show').setDescription('The current settings.')),
  requiredPermissions: PermissionFlagsBits.ManageGuild,
  ephemeral: () => true,
  async execute(i, ctx) {
    const guildId = scopeOf(i).guildId;
    if (guildId === null) throw new UserError('bad-input', 'Settings are per server: run /settings in a server.');
    if (i.options.getSubcommand(true) === 'show') {
      const threaded = ctx.core.settings.list(guildId);
      return {
        content: threaded.length
          ? `/ask answers in a new thread in: ${threaded.map((c) => `<#${c.channelId}>`).join(', ')}.`
          : '/ask answers as a reply in every channel.',
      };
    }
    const channelId = i.options.getChannel('channel')?.id ?? i.channelId;
    if (i.channel?.isThread() && channelId === i.channelId)
      throw new UserError('bad-input', 'Run this in the channel itself (or pick it with `channel`), not in a thread.');
    const s = ctx.core.settings.setAskInThreads(guildId, channelId, i.options.getBoolean('enabled', true));
    return {
      content: s.askInThreads
        ? `From now on, /ask in <#${channelId}> answers in a new thread per question.`
        : `/ask in <#${channelId}> answers as a reply again.`,
    };
  },
} satisfies Command;
