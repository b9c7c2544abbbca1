import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { UserError } from '../errors.ts';
import { silentLogger } from '../logger.ts';
import { openApp } from '../app.ts';
import { readJsonl } from '../eval/questions.ts';
import { MATCH_DEFAULTS, type MatchTuning } from '../watches/topic-matcher.ts';
import type { AlertSink } from '../watches/watch-service.ts';

/** The labelled fixture: topics and, for each, the corpus ids a watcher should be alerted to. */
export interface AlertLabels {
  slice: { from: string; to: string };
  topics: Array<{ topic: string; relevant: Array<{ id: string; url?: string }> }>;
}

export interface PrCounts {
  alerts: number;
  correct: number;
  relevant: number;
  found: number;
}

export interface PrFigures extends PrCounts {
  precision: number;
  recall: number;
  f1: number;
}

export interface AlertEvalReport {
  articles: number;
  stories: number;
  topics: number;
  relevantStories: number;
  /** Labelled articles that were not stored (too short to ingest): they cannot be alerted and are left out. */
  unstoredLabels: number;
  /** Alerts the real pipeline posted, at `threshold`, while ingesting the slice in publication order. */
  live: PrFigures & { threshold: number };
  /** Precision/recall if the threshold were each value (scores of every topic × story, with the final IDF). */
  sweep: Array<PrFigures & { threshold: number }>;
  /** The threshold with the best F1 over all topics, and a 2-fold check: chosen on half the topics, scored on the other half. */
  chosen: { threshold: number; f1: number; crossValidated: PrFigures };
  perTopic: Array<{ topic: string } & PrFigures>;
}

function figures(c: PrCounts): PrFigures {
  const precision = c.alerts ? c.correct / c.alerts : 1;
  const recall = c.relevant ? c.found / c.relevant : 1;
  return { ...c, precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
}

function add(a: PrCounts, b: PrCounts): PrCounts {
  return { alerts: a.alerts + b.alerts, correct: a.correct + b.correct, relevant: a.relevant + b.relevant, found: a.found + b.found };
}

const ZERO: PrCounts = { alerts: 0, correct: 0, relevant: 0, found: 0 };

/**
 * Alert quality as a number: ingests a slice of a corpus (publication order) into a fresh store with
 * one watch per labelled topic, each in its own channel, through the normal ingest path and the
 * article-added hook, recording the alerts instead of posting them. Scored per story (copies of one
 * story alert once): precision = alerted stories that are relevant / alerts, recall = relevant
 * stories alerted / relevant stories. The sweep re-scores every topic × story to choose the threshold.
 */
export async function evaluateAlerts(o: {
  corpus: string;
  labels: AlertLabels;
  threshold?: number;
  thresholds?: number[];
  /** Other matcher knobs to try (lead length, lead credit). */
  tuning?: Partial<Omit<MatchTuning, 'threshold'>>;
  onProgress?: (msg: string) => void;
}): Promise<AlertEvalReport> {
  if (!fs.existsSync(o.corpus)) throw new UserError('bad-input', `No corpus at ${o.corpus}.`);
  const threshold = o.threshold ?? MATCH_DEFAULTS.threshold;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-alert-eval-'));
  try {
    const slice: Array<Record<string, unknown>> = [];
    for await (const { value } of readJsonl(o.corpus)) {
      const v = value as { published?: string | null };
      const day = (v.published ?? '').slice(0, 10);
      if (day >= o.labels.slice.from && day <= o.labels.slice.to) slice.push(value as Record<string, unknown>);
    }
    slice.sort((a, b) => String(a.published).localeCompare(String(b.published)) || String(a.id).localeCompare(String(b.id)));
    const file = path.join(dir, 'slice.jsonl');
    fs.writeFileSync(file, slice.map((x) => JSON.stringify(x)).join('\n') + '\n');
    o.onProgress?.(`ingesting ${slice.length} articles from ${o.labels.slice.from} to ${o.labels.slice.to}`);

    const config = loadConfig({ NEWSDESK_DATA_DIR: path.join(dir, 'data'), NEWSDESK_LOG_LEVEL: 'silent', NEWSDESK_ALERTS_PER_CHANNEL_HOUR: '100000' });
    const core = await openApp(config, { logger: silentLogger, watchTuning: { ...o.tuning, threshold } });
    try {
      const channelOf = new Map<string, string>();
      o.labels.topics.forEach((t, i) => {
        const { watch } = core.watches.add({ guildId: 'eval', channelId: `c${i}`, topic: t.topic, createdBy: null });
        channelOf.set(`c${i}`, t.topic);
        void watch;
      });
      const live = new Map<string, Set<number>>(o.labels.topics.map((t) => [t.topic, new Set<number>()]));
      const sink: AlertSink = {
        async postAlert(channelId, alert) {
          live.get(channelOf.get(channelId)!)!.add(alert.article.storyId);
          return { kind: 'posted', messageId: `m${alert.article.id}` };
        },
        async postCollapsed() {
          return { kind: 'posted', messageId: 'collapsed' };
        },
      };
      core.watches.attach(sink);
      await core.sources.addPath(file);
      await core.watches.idle();

      const stored = core.stories.byExternalId();
      const stories = new Map<number, Array<{ title: string; text: string }>>();
      for (const a of stored.values()) stories.set(a.storyId, [...(stories.get(a.storyId) ?? []), { title: a.title, text: a.text }]);
      let unstoredLabels = 0;
      const relevantOf = new Map<string, Set<number>>();
      for (const t of o.labels.topics) {
        const set = new Set<number>();
        for (const r of t.relevant) {
          const a = stored.get(r.id);
          if (a) set.add(a.storyId);
          else unstoredLabels++;
        }
        relevantOf.set(t.topic, set);
      }
      const counts = (topic: string, alerted: Set<number>): PrCounts => {
        const rel = relevantOf.get(topic)!;
        const correct = [...alerted].filter((s) => rel.has(s)).length;
        return { alerts: alerted.size, correct, relevant: rel.size, found: correct };
      };

      // Every topic × story score once (a story alerts when any of its copies reaches the threshold).
      const scores = new Map<string, Map<number, number>>();
      for (const t of o.labels.topics) {
        const m = new Map<number, number>();
        for (const [storyId, copies] of stories) m.set(storyId, Math.max(...copies.map((c) => core.watches.score(t.topic, c))));
        scores.set(t.topic, m);
      }
      const at = (topics: string[], th: number): PrCounts =>
        topics.reduce((acc, topic) => add(acc, counts(topic, new Set([...scores.get(topic)!].filter(([, s]) => s >= th).map(([id]) => id)))), ZERO);
      const grid = o.thresholds ?? Array.from({ length: 15 }, (_, i) => Math.round((0.3 + i * 0.05) * 100) / 100);
      const all = o.labels.topics.map((t) => t.topic);
      const sweep = grid.map((th) => ({ threshold: th, ...figures(at(all, th)) }));
      const best = (topics: string[]) => grid.map((th) => ({ th, f1: figures(at(topics, th)).f1 })).sort((a, b) => b.f1 - a.f1 || b.th - a.th)[0]!;
      const chosen = best(all);
      const even = all.filter((_, i) => i % 2 === 0);
      const odd = all.filter((_, i) => i % 2 === 1);
      const crossValidated = figures(add(at(odd, best(even).th), at(even, best(odd).th)));

      const liveCounts = all.reduce((acc, topic) => add(acc, counts(topic, live.get(topic)!)), ZERO);
      return {
        articles: slice.length,
        stories: stories.size,
        topics: all.length,
        relevantStories: [...relevantOf.values()].reduce((n, s) => n + s.size, 0),
        unstoredLabels,
        live: { threshold, ...figures(liveCounts) },
        sweep,
        chosen: { threshold: chosen.th, f1: chosen.f1, crossValidated },
        perTopic: all.map((topic) => ({ topic, ...figures(counts(topic, live.get(topic)!)) })),
      };
    } finally {
      core.watches.attach(null);
      await core.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const pct = (x: number) => (x * 100).toFixed(1);

/** The report as Markdown: the live figures, the per-topic table and the threshold sweep. */
export function formatAlertReport(r: AlertEvalReport): string {
  const lines = [
    `Alert quality on ${r.articles} articles (${r.stories} stories), ${r.topics} topics, ${r.relevantStories} relevant topic × story pairs${r.unstoredLabels ? ` (${r.unstoredLabels} labelled articles not stored, left out)` : ''}.`,
    '',
    `Live run at threshold ${r.live.threshold}: precision ${pct(r.live.precision)} % (${r.live.correct}/${r.live.alerts} alerts), recall ${pct(r.live.recall)} % (${r.live.found}/${r.live.relevant}), F1 ${pct(r.live.f1)}.`,
    `Best F1 over the sweep at threshold ${r.chosen.threshold} (F1 ${pct(r.chosen.f1)}); chosen on half the topics and scored on the other half: precision ${pct(r.chosen.crossValidated.precision)} %, recall ${pct(r.chosen.crossValidated.recall)} %, F1 ${pct(r.chosen.crossValidated.f1)}.`,
    '',
    '| threshold | alerts | precision % | recall % | F1 |',
    '|---|---|---|---|---|',
    ...r.sweep.map((s) => `| ${s.threshold.toFixed(2)} | ${s.alerts} | ${pct(s.precision)} | ${pct(s.recall)} | ${pct(s.f1)} |`),
    '',
    '| topic (live run) | alerts | correct | relevant | precision % | recall % |',
    '|---|---|---|---|---|---|',
    ...r.perTopic.map((t) => `| ${t.topic} | ${t.alerts} | ${t.correct} | ${t.relevant} | ${pct(t.precision)} | ${pct(t.recall)} |`),
  ];
  return lines.join('\n');
}
