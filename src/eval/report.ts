import { meanReciprocalRank, rate, recallAtK, round, summarizeLatency, type LatencySummary } from './metrics.ts';

/** One question under one config, as written to `questions.jsonl`. */
export interface QuestionResult {
  config: string;
  id: string;
  week: string;
  question: string;
  gold: string;
  /** The gold answer occurs in some article visible at `week`. */
  answerable: boolean;
  /** 1-based rank of the first of the top-10 passages containing the gold answer; null: none. */
  hit_rank: number | null;
  /** 1-based rank of the first top-10 passage from a gold article; null: none; absent: no gold ids. */
  gold_article_rank?: number | null;
  /** The answer text (what the user reads) contains the gold answer. */
  contained: boolean;
  grounded: boolean;
  /** null when the answer cites nothing (an abstention). */
  citations_valid: boolean | null;
  citation_problems?: { dangling: number[]; bad_quotes: number[] };
  retrieve_ms: number;
  answer_ms: number;
  answer: string;
  /** The direct answer the system gave (null: none). */
  direct_answer: string | null;
  /** The direct answer — or, without one, the answer's first sentence — contains the gold answer. */
  direct_contained: boolean;
  /** The gold answer occurs within the first N characters of the top-10 passages concatenated in rank order. */
  budget_hits: Record<BudgetKey, boolean>;
  /** Mean length in characters of the top-k passages (longer passages match answer strings more easily). */
  passage_chars: number;
  /** The top-10 passages' articles: corpus id (or our id) and title. */
  top: Array<{ article: string; title: string }>;
}

export const BUDGETS = ['1000', '2000', '4000'] as const;
export type BudgetKey = (typeof BUDGETS)[number];

export interface ConfigSummary {
  n: number;
  answer_recall: { '1': number; '3': number; '5': number; '10': number };
  mrr10: number;
  /** Top-k passages include a gold article, over questions whose gold ids are in the corpus. */
  gold_article_recall: { '5': number; '10': number; n: number } | null;
  /** Reading-cost-fair recall: configurations with long and short passages compare at equal characters read. */
  answer_recall_budget: Record<BudgetKey, number>;
  containment: number;
  /** The direct answer (or the answer's first sentence when there is none) contains the gold answer. */
  direct_answer_contains: number;
  /** Mean characters of the answer text. */
  answer_chars: number;
  /** Containment among questions where answer-recall@5 hits (target ≥ 0.8). */
  containment_given_hit5: number | null;
  citation_validity: number | null;
  abstain: number;
  /** Mean characters per retrieved passage: compare recall only between similar lengths. */
  passage_chars: number;
  latency_ms: { retrieve: LatencySummary; answer: LatencySummary; total: LatencySummary };
}

export function summarize(results: readonly QuestionResult[]): ConfigSummary {
  const ranks = results.map((r) => r.hit_rank);
  const gold = results.filter((r) => r.gold_article_rank !== undefined);
  const goldRanks = gold.map((r) => r.gold_article_rank ?? null);
  const hit5 = results.filter((r) => r.hit_rank !== null && r.hit_rank <= 5);
  const r4 = (x: number) => round(x, 4);
  const r4n = (x: number | null) => (x === null ? null : round(x, 4));
  return {
    n: results.length,
    answer_recall: {
      '1': r4(recallAtK(ranks, 1)),
      '3': r4(recallAtK(ranks, 3)),
      '5': r4(recallAtK(ranks, 5)),
      '10': r4(recallAtK(ranks, 10)),
    },
    mrr10: r4(meanReciprocalRank(ranks, 10)),
    gold_article_recall: gold.length ? { '5': r4(recallAtK(goldRanks, 5)), '10': r4(recallAtK(goldRanks, 10)), n: gold.length } : null,
    answer_recall_budget: Object.fromEntries(BUDGETS.map((b) => [b, r4(rate(results.map((r) => r.budget_hits[b])) ?? 0)])) as Record<BudgetKey, number>,
    containment: r4(rate(results.map((r) => r.contained)) ?? 0),
    direct_answer_contains: r4(rate(results.map((r) => r.direct_contained)) ?? 0),
    answer_chars: Math.round(results.reduce((sum, r) => sum + r.answer.length, 0) / Math.max(1, results.length)),
    containment_given_hit5: r4n(rate(hit5.map((r) => r.contained))),
    citation_validity: r4n(rate(results.filter((r) => r.citations_valid !== null).map((r) => r.citations_valid === true))),
    abstain: r4(rate(results.map((r) => !r.grounded)) ?? 0),
    passage_chars: Math.round(results.reduce((sum, r) => sum + r.passage_chars, 0) / Math.max(1, results.length)),
    latency_ms: {
      retrieve: summarizeLatency(results.map((r) => r.retrieve_ms)),
      answer: summarizeLatency(results.map((r) => r.answer_ms)),
      total: summarizeLatency(results.map((r) => r.retrieve_ms + r.answer_ms)),
    },
  };
}

export interface EvalReport {
  configs: Record<string, ConfigSummary & { answerable: ConfigSummary; unanswerable: { n: number; abstain: number }; description: string }>;
  /** Days added to every question's week before asking (0: as of the week). */
  shift_days: number;
  n: number;
  answerable_n: number;
  k: number;
  ingest: Record<string, unknown>;
  corpus: string;
  questions: string;
  started_at: string;
  seconds: number;
}

const pct = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? '—' : (100 * x).toFixed(1));
const ms = (l: LatencySummary) => `${fmt(l.p50)} / ${fmt(l.p95)}`;
const fmt = (x: number) => (Number.isNaN(x) ? '—' : x < 10 ? x.toFixed(2) : x.toFixed(1));

/** Markdown: one table over all questions, one over the answerable subset. */
export function formatMarkdown(report: EvalReport): string {
  const head =
    '| config | R@1 | R@3 | R@5 | R@10 | MRR@10 | budget 1k/2k/4k | gold-art R@10 | contain | direct | contain\\|hit@5 | answer chars | cit. valid | abstain | passage chars | retrieve p50/p95 ms | answer p50/p95 ms |\n' +
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|';
  const row = (name: string, s: ConfigSummary) =>
    `| ${name} | ${pct(s.answer_recall['1'])} | ${pct(s.answer_recall['3'])} | ${pct(s.answer_recall['5'])} | ${pct(s.answer_recall['10'])} | ${pct(s.mrr10)} | ${BUDGETS.map((b) => pct(s.answer_recall_budget[b])).join(' / ')} | ${
      s.gold_article_recall ? `${pct(s.gold_article_recall['10'])} (n=${s.gold_article_recall.n})` : '—'
    } | ${pct(s.containment)} | ${pct(s.direct_answer_contains)} | ${pct(s.containment_given_hit5)} | ${s.answer_chars} | ${pct(s.citation_validity)} | ${pct(s.abstain)} | ${s.passage_chars} | ${ms(s.latency_ms.retrieve)} | ${ms(s.latency_ms.answer)} |`;
  const names = Object.keys(report.configs);
  return [
    `All questions (n = ${report.n}; answers from the top ${report.k} passages; figures in %)`,
    '',
    head,
    ...names.map((n) => row(n, report.configs[n]!)),
    '',
    `Answerable subset (n = ${report.answerable_n}: the gold answer occurs in an article visible at the question's week)`,
    '',
    head,
    ...names.map((n) => row(n, report.configs[n]!.answerable)),
    '',
    `Unanswerable subset (the gold answer is in no article visible at the question's date${report.shift_days ? `, shifted by ${report.shift_days} days` : ''}): share of honest "not covered" answers`,
    '',
    '| config | n | abstain |',
    '|---|---|---|',
    ...names.map((n) => `| ${n} | ${report.configs[n]!.unanswerable.n} | ${pct(report.configs[n]!.unanswerable.abstain)} |`),
    '',
  ].join('\n');
}
