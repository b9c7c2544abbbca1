import { UserError } from '../src/errors.ts';
import type { ComponentHandler } from '../src/discord/component-handler.ts';
import { formatAnswerReply } from '../src/discord/format-answer.ts';
import { UPDATES_BUTTON_PREFIX, withFreshness } from '../src/discord/format-freshness.ts';
import { formatMoment } from '../src/freshness/freshness.ts';
import { truncate } from '../src/discord/sanitize.ts';

/**
 * `updates:<snapshotId>` on an answer: the same question over only what the tracked news added
 * since that answer, citing only the newer articles — or "Nothing new since …". Shown to the person
 * who clicked; the original answer stays as it was.
 */
export const updatesButton = {
  prefix: UPDATES_BUTTON_PREFIX,
  rateLimited: true,
  async handle(i, ctx, args) {
    const id = Number(args[0]);
    if (!Number.isSafeInteger(id) || id <= 0) throw new UserError('bad-input', 'This button is broken; ask again.');
    const guildId = i.guildId ?? null;
    const u = await ctx.queue.run(() => ctx.core.updatesSince(id, guildId));
    const when = formatMoment(new Date(u.since));
    if (u.kind === 'nothing-new') return { followUp: { content: `Nothing new since ${when} on this question in the sources this server tracks.` } };
    const reply = withFreshness(formatAnswerReply(u.result), ctx.core.freshness(u.result, guildId));
    const [embed] = reply.embeds ?? [];
    if (embed) embed.title = truncate(`Updates since ${when}: ${embed.title ?? ''}`, 256);
    return { followUp: reply };
  },
} satisfies ComponentHandler;
