import { ChannelType, InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { UserError } from '../src/errors.ts';
import { NO_MENTIONS, type Command } from '../src/discord/command.ts';
import { createChannelPoster } from '../src/discord/channel-poster.ts';
import { formatDigest, formatEmptyDigest } from '../src/discord/format-digest.ts';
import { formatMoment } from '../src/freshness/freshness.ts';
import { weekdayName } from '../src/digest/schedule-time.ts';
import type { DigestFrequency } from '../src/db/digest-repo.ts';

/** `/digest now|schedule|off`: the top stories from this server's sources, now or on a schedule. */
export const digest = {
  data: new SlashCommandBuilder()
    .setName('digest')
    .setDescription('The top stories from the sources this server tracks, clustered by story, with citations.')
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) =>
      s
        .setName('now')
        .setDescription('Post a digest now.')
        .addStringOption((o) =>
          o.setName('since').setDescription('A span (12h, 3d, 1w) or a date (2024-11-01); default: since the last digest, or 24 h').setMaxLength(20),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName('schedule')
        .setDescription('Post a digest every day or week (Manage Server permission).')
        .addChannelOption((o) =>
          o.setName('channel').setDescription('Where the digest goes').setRequired(true).addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
        )
        .addStringOption((o) => o.setName('time').setDescription('Time of day, 24-hour HH:MM, e.g. 08:00').setRequired(true).setMaxLength(5))
        .addStringOption((o) => o.setName('timezone').setDescription('IANA time zone, e.g. Europe/Berlin (default UTC)').setMaxLength(64))
        .addStringOption((o) =>
          o
            .setName('frequency')
            .setDescription('daily (default) or weekly (on today’s weekday)')
            .addChoices({ name: 'daily', value: 'daily' }, { name: 'weekly', value: 'weekly' }),
        ),
    )
    .addSubcommand((s) => s.setName('off').setDescription('Stop the scheduled digest (Manage Server permission).')),
  ephemeral: (i) => i.options.getSubcommand(false) !== 'now',
  async execute(i, ctx) {
    const guildId = i.guildId;
    if (!guildId) throw new UserError('bad-input', 'Digests are per server: run /digest in a server.');
    const sub = i.options.getSubcommand(true);
    if (sub !== 'now' && !i.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
      throw new UserError('permission', 'Only members with the **Manage Server** permission can schedule or stop digests. `/digest now` is open to everyone.');
    }
    switch (sub) {
      case 'now': {
        const outcome = await ctx.queue.run(async () => ctx.core.digests.now(guildId, i.options.getString('since')));
        if (outcome.kind === 'empty') return formatEmptyDigest(outcome.since);
        const [first, ...rest] = formatDigest(outcome.digest, new Date());
        // Later pages follow the first one, in order; the router then sends the first page (again) as the reply.
        if (rest.length) {
          await i.editReply({ content: '', embeds: first!.embeds ?? [], allowedMentions: NO_MENTIONS });
          for (const page of rest) await i.followUp({ embeds: page.embeds ?? [], allowedMentions: NO_MENTIONS });
        }
        return first!;
      }
      case 'schedule': {
        const channelId = i.options.getChannel('channel', true).id;
        const why = await createChannelPoster(i.client).cannotPost(guildId, channelId);
        if (why)
          throw new UserError('permission', `I cannot post digests there: ${why}. Give the bot those permissions in that channel, or pick another channel.`);
        const s = ctx.core.digests.schedule({
          guildId,
          channelId,
          time: i.options.getString('time', true),
          timeZone: i.options.getString('timezone'),
          frequency: i.options.getString('frequency') as DigestFrequency | null,
          createdBy: i.user.id,
        });
        const when = s.frequency === 'weekly' ? `every ${weekdayName(s.weekday ?? 0)} at ${s.time}` : `every day at ${s.time}`;
        return {
          content: `The digest will be posted in <#${s.channelId}> ${when} (${s.timeZone}). Next: ${formatMoment(new Date(s.nextRunAt))}. \`/digest off\` stops it.`,
        };
      }
      case 'off': {
        const s = ctx.core.digests.off(guildId);
        return { content: `Stopped the digest that was posted in <#${s.channelId}> at ${s.time} (${s.timeZone}).` };
      }
      default:
        throw new UserError('bad-input', 'Unknown /digest subcommand.');
    }
  },
} satisfies Command;
