import type { GuildScope } from '../../db/source-repo.ts';
import { UserError } from '../../errors.ts';
import type { InsightsReport } from '../../core/insights-report.ts';
import type { CliCommand } from '../cli-command.ts';
import { withCore } from '../with-core.ts';

/**
 * `newsdesk insights [report] [--json] [--guild ID|dm] [--days N]`: the figures `/insights report`
 * shows, for operators (every server together unless --guild); `newsdesk insights purge (--guild ID |
 * --all)` deletes the question/feedback log.
 */
export const insightsCommand: CliCommand = {
  name: 'insights',
  summary: 'What was asked, answered vs not covered, coverage gaps, feedback, source health; or purge the log.',
  help: `Usage: newsdesk insights [report] [--json] [--guild ID|dm] [--days 7|30]
       newsdesk insights purge (--guild ID | --all)

Reads the question/feedback log (it stores what users asked in Discord; kept NEWSDESK_QUESTION_LOG_DAYS
days, default 90): questions asked, the share answered vs not covered, the most frequent not-covered
questions grouped when alike (coverage gaps), 👍/👎 counts with the worst-rated answers, and source
health (failing, paused, never cited).

Options:
  --guild ID      One Discord server (dm: direct messages); default: every server together.
  --days N        The period in days (default 7).
  --all           With purge: every server's log.
  --json          The report as one JSON object (see README, "The question log").
  -v, --verbose   Log at info level on stderr.
  -h, --help      Show this help.`,
  positionals: true,
  options: { json: { type: 'boolean' }, guild: { type: 'string' }, days: { type: 'string' }, all: { type: 'boolean' } },
  async run({ values, positionals, config, logger, out }) {
    const guild = values.guild as string | undefined;
    const scope: GuildScope = guild === undefined ? { kind: 'all' } : { kind: 'guild', guildId: guild === 'dm' ? null : guild };
    const [action = 'report'] = positionals;
    if (action !== 'report' && action !== 'purge') throw new UserError('usage', `insights: unknown action "${action}"; use report (the default) or purge.`);
    if (action === 'purge' && guild === undefined && !values.all)
      throw new UserError('usage', 'insights purge needs --guild ID (one server) or --all (every server).');
    const days = values.days === undefined ? 7 : Number(values.days);
    if (!Number.isInteger(days) || days < 1 || days > 3650) throw new UserError('usage', '--days takes a whole number of days, e.g. 7 or 30.');
    return withCore(config, logger, async (nd) => {
      if (action === 'purge') {
        const deleted = nd.insights.purge(values.all ? { kind: 'all' } : scope);
        out(values.json ? JSON.stringify({ deleted }) : `Deleted ${deleted} logged question${deleted === 1 ? '' : 's'} with their answers and votes.`);
        return 0;
      }
      const report = nd.insights.report(scope, days);
      out(values.json ? JSON.stringify(report) : formatText(report));
      return 0;
    });
  },
};

function formatText(r: InsightsReport): string {
  const pct = r.answered_share === null ? '—' : `${Math.round(r.answered_share * 100)} %`;
  const lines = [
    `Insights for ${r.scope === 'all' ? 'every server' : r.scope === null ? 'direct messages' : `guild ${r.scope}`}, last ${r.days} days${r.logging ? '' : ' (question log off: NEWSDESK_QUESTION_LOG_DAYS=0)'}`,
    `${r.questions} questions · ${r.answered} answered (${pct}) · ${r.not_covered} not covered`,
    `Feedback: ${r.feedback.up} 👍 · ${r.feedback.down} 👎`,
  ];
  const why = Object.entries(r.not_covered_reasons).map(([reason, n]) => `${reason} ${n}`);
  if (why.length) lines.splice(2, 0, `Not covered because: ${why.join(', ')}`);
  if (r.coverage_gaps.length) lines.push('Coverage gaps (add a source that covers these):', ...r.coverage_gaps.map((g) => `  ${g.count}× ${g.question}`));
  if (r.feedback.worst.length)
    lines.push(
      'Worst-rated answers:',
      ...r.feedback.worst.map((w) => `  #${w.question_id} 👎${w.down} 👍${w.up} ${w.question}${w.reasons.length ? ` (${w.reasons.join(', ')})` : ''}`),
    );
  const s = r.sources;
  for (const x of s.paused) lines.push(`Paused source #${x.id} ${x.name}: ${x.reason}`);
  for (const x of s.failing)
    lines.push(`Failing source #${x.id} ${x.name}: ${x.consecutive_failures} failures${x.last_error ? `, last: ${x.last_error}` : ''}`);
  for (const x of s.never_cited) lines.push(`Never cited: #${x.id} ${x.name} (${x.articles} articles)`);
  return lines.join('\n');
}
