import type { APIEmbed, APIEmbedField } from 'discord.js';
import type { InsightsReport } from '../core/insights-report.ts';
import { DISCORD_LIMITS } from './discord-limits.ts';
import { COLORS } from './format-answer.ts';
import { REASON_LABELS } from './format-feedback.ts';
import { linkText, neutralizeMentions, truncate } from './sanitize.ts';

const LINES = 5; // entries per section: an overview, not a dump (the CLI's --json has everything)

/** `/insights report`: one embed, within Discord's limits, of what the server asked and how it went. */
export function formatInsights(r: InsightsReport): APIEmbed {
  const pct = r.answered_share === null ? '' : ` (${Math.round(r.answered_share * 100)} %)`;
  const summary = r.questions
    ? `**${r.questions}** question${r.questions === 1 ? '' : 's'} · **${r.answered}** answered${pct} · **${r.not_covered}** not covered`
    : 'No questions in this period.';
  const why = Object.entries(r.not_covered_reasons)
    .sort(([, a], [, b]) => b - a)
    .map(([reason, n]) => `${reason.replace(/[-_]/g, ' ')} ${n}`);
  const withWhy = why.length ? `${summary}\nNot covered because: ${why.join(' · ')}` : summary;
  const description = r.logging
    ? withWhy
    : `${withWhy}\nThe question log is off (NEWSDESK_QUESTION_LOG_DAYS=0), so nothing is recorded and answers carry no feedback buttons.`;
  const fields: APIEmbedField[] = [
    field(
      'Coverage gaps — asked, not covered',
      r.coverage_gaps.slice(0, LINES).map((g) => `• **${g.count}×** ${quote(g.question)}`),
      r.coverage_gaps.length ? '\n→ Add a source that covers these with `/sources add`.' : '',
    ),
    field('Feedback', [feedbackLine(r)]),
    field(
      'Worst-rated answers',
      r.feedback.worst
        .slice(0, LINES)
        .map(
          (w) =>
            `• 👎 ${w.down} · 👍 ${w.up} ${quote(w.question)}${w.reasons.length ? ` — ${w.reasons.map((x) => REASON_LABELS[x].label.replace('…', '').toLowerCase()).join(', ')}` : ''}` +
            (w.comments[0] ? `: *${truncate(neutralizeMentions(w.comments[0].replace(/\s+/g, ' ')).replace(/[*_`~|]/g, ''), 100)}*` : ''),
        ),
    ),
    field('Source health', sourceLines(r)),
  ].filter((f): f is APIEmbedField => f !== null);
  return {
    title: `Insights · last ${r.days} days`,
    description,
    color: COLORS.answer,
    fields,
    footer: { text: r.logging ? `Questions and votes are kept ${r.retention_days} days · /insights purge deletes this server's log` : 'Question log off' },
  };
}

function feedbackLine(r: InsightsReport): string {
  const f = r.feedback;
  if (f.up + f.down === 0) return 'No votes yet. Every answer has 👍/👎 buttons.';
  const reasons = (Object.entries(f.reasons) as Array<[keyof typeof REASON_LABELS, number]>)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${REASON_LABELS[k].label.replace('…', '').toLowerCase()} ${n}`);
  return `👍 ${f.up} · 👎 ${f.down}${reasons.length ? ` — ${reasons.join(', ')}` : ''}`;
}

function sourceLines(r: InsightsReport): string[] {
  const s = r.sources;
  if (s.total === 0) return ['This server tracks no sources yet. Add one with `/sources add`.'];
  const name = (x: { id: number; name: string }) => `#${x.id} ${truncate(linkText(x.name), 60)}`;
  const lines = [
    ...s.paused.slice(0, LINES).map((x) => `⏸️ ${name(x)} — paused: ${truncate(neutralizeMentions(x.reason), 100)}`),
    ...s.failing
      .slice(0, LINES)
      .map(
        (x) =>
          `⚠️ ${name(x)} — ${x.consecutive_failures} failed poll${x.consecutive_failures === 1 ? '' : 's'}${x.last_error ? `: ${truncate(neutralizeMentions(x.last_error), 100)}` : ''}`,
      ),
    ...s.never_cited.slice(0, LINES).map((x) => `💤 ${name(x)} — never cited in an answer (${x.articles} article${x.articles === 1 ? '' : 's'})`),
  ];
  const more = s.never_cited.length - Math.min(s.never_cited.length, LINES);
  if (more > 0) lines.push(`…and ${more} more never cited`);
  return lines.length ? lines : [`All ${s.total} sources are healthy and cited.`];
}

function quote(text: string): string {
  return `“${truncate(neutralizeMentions(text.replace(/\s+/g, ' ')), 120)}”`;
}

/** A field whose lines fit the 1,024-character value limit (whole lines only); null when empty. */
function field(name: string, lines: string[], tail = ''): APIEmbedField | null {
  if (lines.length === 0) return null;
  const max = DISCORD_LIMITS.embedFieldValue - tail.length;
  const kept: string[] = [];
  let used = 0;
  for (const l of lines) {
    const line = truncate(l, 300);
    if (used + line.length + 1 > max) break;
    kept.push(line);
    used += line.length + 1;
  }
  return { name, value: kept.join('\n') + tail };
}
