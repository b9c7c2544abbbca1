import { isUserError, UserError } from '../../errors.ts';
import type { App } from '../../app.ts';
import { describeSkips } from '../../sources/describe-skips.ts';
import type { CliCommand } from '../cli-command.ts';
import { formatSource } from '../format.ts';
import { createProgress, formatElapsed, plural } from '../progress.ts';
import { parseId, parseWhole } from '../parse-values.ts';
import { withCore } from '../with-core.ts';

const ACTIONS = 'list, add, remove, refresh or interval';

export const sourcesCommand: CliCommand = {
  name: 'sources',
  summary: 'List, add, remove, refresh tracked sources, or set their poll interval.',
  help: `Usage: newsdesk sources <action> [options]

Actions:
  list                          Sources with article count, last success, next poll and last error.
  add <url> [--name NAME]       Track a feed or an article page (fetched and checked first).
  remove <id>                   Stop tracking; articles no other source carries leave the store.
  refresh [id]                  Poll one source now (or every feed and page source).
  interval <id> <min|default>   Poll this source every N minutes (1–10080), or the default again.

Options:
  --guild ID      Only this Discord server's sources (add: track it for that server only).
  --json          Machine-readable output (list, add).
  -v, --verbose   Log at info level on stderr.
  -h, --help      Show this help.`,
  positionals: true,
  options: { json: { type: 'boolean' }, guild: { type: 'string' }, name: { type: 'string' } },
  async run(ctx) {
    const { values, positionals, config, logger } = ctx;
    const [action = 'list', arg, extra] = positionals;
    if (!['list', 'add', 'remove', 'refresh', 'interval'].includes(action)) {
      throw new UserError('usage', `sources: unknown action "${action}"; use ${ACTIONS} (see newsdesk sources --help).`);
    }
    // Arguments are checked before the store is opened: a typo costs nothing.
    const id = action === 'remove' || action === 'interval' || (action === 'refresh' && arg !== undefined) ? parseId(arg, `sources ${action}`) : undefined;
    if (action === 'add' && !arg) throw new UserError('usage', 'sources add needs a URL (a feed or an article page).');
    let minutes: number | null | undefined;
    if (action === 'interval') {
      if (extra === undefined) throw new UserError('usage', 'Usage: newsdesk sources interval <id> <minutes|default>');
      minutes = extra === 'default' ? null : parseWhole(extra, 'sources interval', 1, 10_080);
    }
    const guild = values.guild as string | undefined;
    const scope = guild ? { kind: 'guild' as const, guildId: guild } : { kind: 'all' as const };
    return withCore(config, logger, async (nd) => {
      const known = (n: number) => {
        const s = nd.sources.get(n);
        if (!s || (guild && s.guildId !== guild))
          throw new UserError('not-found', `No source #${n}${guild ? ` in guild ${guild}` : ''}; "newsdesk sources list" shows the ids.`);
        return s;
      };
      switch (action) {
        case 'list': {
          const list = nd.sources.list(scope);
          if (values.json) ctx.out(JSON.stringify(list));
          else ctx.out(list.length ? list.map(formatSource).join('\n') : 'No sources yet. Add one with: newsdesk sources add <url>');
          return 0;
        }
        case 'add':
          return add(nd, ctx, arg!);
        case 'interval': {
          known(id!);
          const s = nd.sources.setInterval(id!, minutes!, scope);
          ctx.out(`#${id} is polled every ${plural(s.pollIntervalMin ?? config.polling.intervalMin, 'minute')}; next poll ${s.nextPollAt}.`);
          return 0;
        }
        case 'remove': {
          known(id!);
          const r = await nd.sources.remove(id!, scope);
          ctx.out(`Removed source #${id} and ${plural(r.removedArticles, 'article')} no other source carries.`);
          return 0;
        }
        default: {
          if (id !== undefined) known(id);
          const ids =
            id !== undefined
              ? [id]
              : nd.sources
                  .list(scope)
                  .filter((s) => s.kind !== 'file')
                  .map((s) => s.id);
          let failed = 0;
          for (const n of ids) {
            try {
              const r = await nd.sources.refresh(n);
              ctx.out(
                `#${n}: ${r.notModified ? 'not modified' : `${r.report.added} new, ${r.report.updated} updated${r.report.skipped.length ? `; ${describeSkips(r.report.skipped)}` : ''}`}`,
              );
            } catch (err) {
              if (!isUserError(err)) throw err;
              failed++;
              ctx.out(`#${n}: failed — ${err.message}`);
            }
          }
          if (ids.length === 0) ctx.out('No feed or page sources to refresh (file sources are imported once).');
          return failed ? 1 : 0;
        }
      }
    });
  },
};

async function add(nd: App, ctx: Parameters<CliCommand['run']>[0], url: string): Promise<number> {
  const progress = createProgress(process.stderr);
  progress.update(`${url}: fetching…`);
  const r = await nd.sources
    .addUrl(url, { guildId: (ctx.values.guild as string | undefined) ?? null, name: ctx.values.name as string | undefined })
    .finally(() => progress.done());
  if (ctx.values.json) {
    ctx.out(JSON.stringify({ source: r.source, added: r.report.added, skipped: r.report.skipped }));
    return 0;
  }
  const newest = r.newestTitle ? `, newest: ${r.newestTitle}` : '';
  ctx.out(
    `Tracking #${r.source.id} ${r.source.name ?? r.source.url} (${r.source.kind}): ${plural(r.report.added, 'new article')}${newest} (${formatElapsed(progress.elapsedMs())}).`,
  );
  if (r.report.skipped.length > 0) ctx.out(`  ${describeSkips(r.report.skipped, 10)}`);
  return 0;
}
