import { UserError } from '../errors.ts';
import type { RetrieverTuning } from '../retrieval/retriever.ts';
import type { ExtractiveOptions } from '../answer/extractive-answerer.ts';

/**
 * A named system under test. `retriever` configs go through the engine's own retriever and `ask`;
 * `langchain` is the tutorial baseline built beside it on the same stored articles.
 */
export type EvalConfig =
  | {
      name: string;
      kind: 'retriever';
      description: string;
      mode: 'hybrid' | 'bm25' | 'dense';
      /** Retriever tuning overrides (a separate engine instance is opened on the same data). */
      tuning?: Partial<RetrieverTuning>;
      /** `configured`: the shipped answerer (`core.ask`); `extractive`: the offline one whatever is configured. */
      answerer: 'configured' | 'extractive';
      perArticle?: number;
      /** Extractive answerer overrides (opened like tuning, on the same data). */
      answer?: Partial<ExtractiveOptions>;
    }
  | {
      name: string;
      kind: 'langchain';
      description: string;
      /** Search ef; unset: hnswlib's default (10), as in the tutorial. */
      ef?: number;
    };

// The baselines are the plain retrievers: no recency prior, no passage window, no per-article cap,
// so every figure of `newsdesk` is a ratio against what a keyword or vector search alone gives.
const PLAIN: Partial<RetrieverTuning> = { recencyWeight: 0, window: 0, merge: false, articleVotes: 0 };

export const CONFIGS: readonly EvalConfig[] = [
  {
    name: 'bm25',
    kind: 'retriever',
    mode: 'bm25',
    answerer: 'extractive',
    tuning: PLAIN,
    perArticle: 100,
    description: 'keyword only: FTS5 BM25 over our chunks, no recency prior, no window, extractive answer',
  },
  {
    name: 'dense',
    kind: 'retriever',
    mode: 'dense',
    answerer: 'extractive',
    tuning: PLAIN,
    perArticle: 100,
    description: 'vector only: local embedder + HNSW, no recency prior, no window, extractive answer',
  },
  {
    name: 'langchain-baseline',
    kind: 'langchain',
    description: 'LangChain tutorial: RecursiveCharacterTextSplitter(1000/200) + HNSWLib.fromDocuments + similaritySearch, same embedder, extractive answer',
  },
  { name: 'newsdesk', kind: 'retriever', mode: 'hybrid', answerer: 'configured', description: 'the shipped default: core.ask' },
  // Experiments (run with --config NAME or --config all): the shipped default with one knob changed.
  {
    name: 'newsdesk-norecency',
    kind: 'retriever',
    mode: 'hybrid',
    answerer: 'configured',
    tuning: { recencyWeight: 0 },
    description: 'newsdesk without the recency prior',
  },
  {
    name: 'newsdesk-nowindow',
    kind: 'retriever',
    mode: 'hybrid',
    answerer: 'configured',
    tuning: { window: 0 },
    description: 'newsdesk with passages of one chunk (no neighbours)',
  },
  {
    name: 'newsdesk-window1',
    kind: 'retriever',
    mode: 'hybrid',
    answerer: 'configured',
    tuning: { window: 1 },
    description: 'newsdesk with one neighbouring chunk on each side',
  },
  {
    name: 'newsdesk-equal-fusion',
    kind: 'retriever',
    mode: 'hybrid',
    answerer: 'configured',
    tuning: { denseWeight: 1 },
    description: 'newsdesk with dense votes at full weight',
  },
  {
    name: 'newsdesk-bm25only',
    kind: 'retriever',
    mode: 'bm25',
    answerer: 'configured',
    description: 'newsdesk with the dense path off (keyword + recency + window)',
  },
  {
    name: 'newsdesk-perarticle1',
    kind: 'retriever',
    mode: 'hybrid',
    answerer: 'configured',
    perArticle: 1,
    description: 'newsdesk with one passage per article',
  },
  {
    name: 'newsdesk-sentences',
    kind: 'retriever',
    mode: 'hybrid',
    answerer: 'configured',
    answer: { direct: false },
    description: 'newsdesk without the direct answer line (sentences only)',
  },
  {
    name: 'x-stale30',
    kind: 'retriever',
    mode: 'hybrid',
    answerer: 'configured',
    answer: { staleDays: 30, staleDaysRecent: 14 },
    description: 'experiment: stale after 30 days (14 for latest-news questions)',
  },
  {
    name: 'x-window10',
    kind: 'retriever',
    mode: 'hybrid',
    answerer: 'configured',
    tuning: { recentWindowDays: 10, recentWindowBoost: 3 },
    description: 'experiment: latest-news questions favour the last 10 days by 3 votes',
  },
  {
    name: 'x-artw',
    kind: 'retriever',
    mode: 'hybrid',
    answerer: 'configured',
    tuning: { articleWeight: 0.15 },
    description: 'experiment: article-level evidence 0.15',
  },
  { name: 'x-nomerge', kind: 'retriever', mode: 'hybrid', answerer: 'configured', tuning: { merge: false }, description: 'experiment: no passage merging' },
  {
    name: 'x-stale90',
    kind: 'retriever',
    mode: 'hybrid',
    answerer: 'configured',
    answer: { staleDays: 90, staleDaysRecent: 30 },
    description: 'experiment: stale after 90 days (30 for latest-news questions)',
  },
  { name: 'x-key03', kind: 'retriever', mode: 'hybrid', answerer: 'configured', answer: { minKeyShare: 0.3 }, description: 'experiment: key share 0.3' },
  {
    name: 'x-sentkey',
    kind: 'retriever',
    mode: 'hybrid',
    answerer: 'configured',
    answer: { minKeyShare: 0.34, keyScope: 'sentences' },
    description: 'experiment: a third of the key content in the answer sentences',
  },
  {
    name: 'x-recent14',
    kind: 'retriever',
    mode: 'hybrid',
    answerer: 'configured',
    answer: { staleDaysRecent: 14 },
    description: 'experiment: latest-news questions stale after 14 days',
  },
  ...[0.5, 1, 2, 4].map(
    (v): EvalConfig => ({
      name: `x-story${v}`,
      kind: 'retriever',
      mode: 'hybrid',
      answerer: 'configured',
      tuning: { articleVotes: v },
      description: `experiment: whole-article BM25 rank worth ${v} RRF votes`,
    }),
  ),
  ...[0, 1].flatMap((w) =>
    [1, 2, 4].map(
      (v): EvalConfig => ({
        name: `x-story${v}-w${w}`,
        kind: 'retriever',
        mode: 'hybrid',
        answerer: 'configured',
        tuning: { articleVotes: v, window: w },
        description: `experiment: whole-article BM25 rank worth ${v} RRF votes, window ${w}`,
      }),
    ),
  ),
  ...(
    [
      [5, 700],
      [6, 800],
      [6, 900],
      [8, 900],
    ] as const
  ).map(
    ([n, c]): EvalConfig => ({
      name: `x-len${n}-${c}`,
      kind: 'retriever',
      mode: 'hybrid',
      answerer: 'configured',
      answer: { maxSentences: n, maxChars: c },
      description: `experiment: answers of at most ${n} sentences and ${c} characters`,
    }),
  ),
  ...(
    [
      [7, 3],
      [7, 10],
      [10, 3],
      [14, 10],
    ] as const
  ).map(
    ([d, b]): EvalConfig => ({
      name: `x-hard${d}-${b}`,
      kind: 'retriever',
      mode: 'hybrid',
      answerer: 'configured',
      tuning: { recentWindowDays: d, recentWindowBoost: b, recentWindowFor: 'all' },
      description: `experiment: every question favours the last ${d} days by ${b} votes`,
    }),
  ),
  ...[0, 1].map(
    (w): EvalConfig => ({
      name: `x-w${w}-len6`,
      kind: 'retriever',
      mode: 'hybrid',
      answerer: 'configured',
      tuning: { window: w },
      answer: { maxSentences: 6, maxChars: 800 },
      description: `experiment: window ${w}, answers of at most 6 sentences and 800 characters`,
    }),
  ),
  {
    name: 'x-coverage',
    kind: 'retriever',
    mode: 'hybrid',
    answerer: 'configured',
    answer: { selection: 'coverage' },
    description: 'experiment: sentences chosen by the hand-set coverage score instead of the fitted sentence model',
  },
  {
    name: 'x-nofloor',
    kind: 'retriever',
    mode: 'hybrid',
    answerer: 'configured',
    answer: { restFloor: 'none' },
    description: 'experiment: after the first sentence, any sentence the model ranks high, on the topic or not',
  },
  {
    name: 'x-score-order',
    kind: 'retriever',
    mode: 'hybrid',
    answerer: 'configured',
    answer: { restOrder: 'score' },
    description: 'experiment: after the first sentence, the likeliest sentences first whatever their length (before density order)',
  },
  {
    name: 'x-density60',
    kind: 'retriever',
    mode: 'hybrid',
    answerer: 'configured',
    answer: { densityChars: 60 },
    description: 'experiment: density order with 60 characters added to each sentence length',
  },
  {
    name: 'x-density300',
    kind: 'retriever',
    mode: 'hybrid',
    answerer: 'configured',
    answer: { densityChars: 300 },
    description: 'experiment: density order with 300 characters added to each sentence length',
  },
  {
    name: 'x-oldrule',
    kind: 'retriever',
    mode: 'hybrid',
    answerer: 'configured',
    answer: { staleDaysRecent: 14, weakOldDays: 3650 },
    description: 'experiment: the previous stale rule (latest-news questions stale after 14 days), no old-and-weak rule',
  },
  ...(
    [
      [0.4, 0],
      [0.35, 0.5],
      [0.45, 0],
    ] as const
  ).map(
    ([c, k]): EvalConfig => ({
      name: `x-weak${c}-${k}`,
      kind: 'retriever',
      mode: 'hybrid',
      answerer: 'configured',
      answer: { weakCoverage: c, weakKeyShare: k },
      description: `experiment: old (14 days) and weak means a best sentence under ${c} coverage or under ${k} of the key content`,
    }),
  ),
  ...[0.5, 1].map(
    (b): EvalConfig => ({
      name: `x-typebonus${b}`,
      kind: 'retriever',
      mode: 'hybrid',
      answerer: 'configured',
      answer: { selection: 'coverage', typeBonus: b },
      description: `experiment: coverage selection, where sentences offering a leading candidate of the asked-for type get ${b} (0.25 by default)`,
    }),
  ),
  {
    name: 'langchain-ef100',
    kind: 'langchain',
    ef: 100,
    description: 'langchain-baseline with search ef 100 instead of 10 (diagnostic: how much the date filter costs at ef 10)',
  },
];

export const DEFAULT_CONFIGS = ['bm25', 'dense', 'langchain-baseline', 'newsdesk'];

/** Resolves `--config a,b` (or `all`); unknown names are a user error listing the known ones. */
export function resolveConfigs(spec: string | undefined): EvalConfig[] {
  const names = !spec
    ? DEFAULT_CONFIGS
    : spec === 'all'
      ? CONFIGS.map((c) => c.name)
      : spec
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  const unknown = names.filter((n) => !CONFIGS.some((c) => c.name === n));
  if (unknown.length > 0 || names.length === 0) {
    throw new UserError(
      'bad-input',
      `Unknown eval config ${unknown.map((u) => `"${u}"`).join(', ') || '(none)'}; known: ${CONFIGS.map((c) => c.name).join(', ')}, all.`,
    );
  }
  return [...new Set(names)].map((n) => CONFIGS.find((c) => c.name === n)!);
}

/** Configs sharing one tuning share one engine instance. */
export function tuningKey(c: EvalConfig): string {
  if (c.kind !== 'retriever' || (!c.tuning && !c.answer)) return '';
  return JSON.stringify({ tuning: c.tuning ?? {}, answer: c.answer ?? {} });
}
