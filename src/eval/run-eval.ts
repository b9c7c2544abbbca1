import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { openApp, type App } from '../app.ts';
import { createEmbeddings } from '../retrieval/embeddings-factory.ts';
import { createExtractiveAnswerer, type ExtractiveOptions } from '../answer/extractive-answerer.ts';
import type { RetrieverTuning } from '../retrieval/retriever.ts';
import type { Passage } from '../types.ts';
import { findAnswerable } from './answerable.ts';
import { tuningKey, type EvalConfig } from './configs.ts';
import { buildLangchainBaseline, type LangchainBaseline } from './langchain-baseline.ts';
import { checkCitations, containsAnswer, firstHitRank, round } from './metrics.ts';
import { loadQuestions, type EvalQuestion } from './questions.ts';
import { BUDGETS, summarize, type BudgetKey, type EvalReport, type QuestionResult } from './report.ts';

export interface EvalRunOptions {
  corpus: string;
  questions: string;
  configs: EvalConfig[];
  /** Passages the answer is built from (recall is always measured on the top 10). */
  k: number;
  limit?: number;
  config: Config;
  logger: Logger;
  /** Keep the temporary data dir (its path is in the report) instead of deleting it. */
  keepData?: boolean;
  /** Score against a store a previous `--keep-data` run already built from this corpus (no ingest, never deleted). */
  reuseDataDir?: string;
  progress?: (line: string) => void;
  /** Ask every question this many days from its week (e.g. -90: before its news existed). */
  shiftDays?: number;
}

const RECALL_DEPTH = 10;

/**
 * Ingests the corpus into a fresh data dir through the normal ingestion path, then asks every
 * question as of its week under each config, on the same data. Returns the report and every
 * per-question result.
 */
export async function runEval(opts: EvalRunOptions): Promise<{ report: EvalReport; results: QuestionResult[]; dataDir: string }> {
  const started = Date.now();
  const progress = opts.progress ?? (() => {});
  const questions = shiftQuestions(await loadQuestions(opts.questions, opts.limit), opts.shiftDays ?? 0);
  const dataDir = opts.reuseDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-eval-'));
  const config: Config = { ...opts.config, dataDir };
  const results: QuestionResult[] = [];
  let core: App | undefined = await openApp(config, { logger: opts.logger });
  try {
    const ingest: Record<string, unknown> = opts.reuseDataDir
      ? { reused: dataDir, ...core.stats(), embedder: core.embedderId }
      : await ingestCorpus(core, opts.corpus, dataDir, progress);

    const answerable = findAnswerable(core.articles, questions);
    const answerableN = [...answerable.values()].filter(Boolean).length;
    progress(`${answerableN} of ${questions.length} questions answerable (gold answer in a visible article)`);
    const lookup = createLookups(core);

    const groups = new Map<string, EvalConfig[]>();
    for (const c of opts.configs) groups.set(tuningKey(c), [...(groups.get(tuningKey(c)) ?? []), c]);
    const byConfig = new Map<string, QuestionResult[]>();
    let baseline: Promise<LangchainBaseline> | undefined; // built once, shared by langchain configs

    for (const [key, configs] of groups) {
      const first = key === '';
      const variant = first ? undefined : (JSON.parse(key) as { tuning: Partial<RetrieverTuning>; answer: Partial<ExtractiveOptions> });
      const engine = variant ? await openApp(config, { logger: opts.logger, tuning: variant.tuning, extractive: variant.answer }) : core;
      engine.warmUp(); // the in-memory keyword index, as a running bot has it
      try {
        for (const c of configs) {
          let run: Runner;
          if (c.kind === 'langchain') {
            baseline ??= buildBaseline(engine, config, ingest, progress);
            run = langchainRunner(engine, await baseline, c.ef);
          } else run = retrieverRunner(engine, c);
          const out: QuestionResult[] = [];
          for (const [i, q] of questions.entries()) {
            out.push(await scoreOne(c.name, q, answerable.get(q.id) ?? false, run, lookup, opts.k));
            if ((i + 1) % 100 === 0) progress(`  ${c.name}: ${i + 1}/${questions.length}`);
          }
          byConfig.set(c.name, out);
          const s = summarize(out);
          progress(`${c.name}: answer-recall@5 ${(100 * s.answer_recall['5']).toFixed(1)}%, MRR@10 ${s.mrr10.toFixed(3)}`);
        }
      } finally {
        if (!first) await engine.close();
      }
    }

    const report: EvalReport = {
      configs: {},
      n: questions.length,
      answerable_n: answerableN,
      k: opts.k,
      ingest,
      corpus: opts.corpus,
      questions: opts.questions,
      shift_days: opts.shiftDays ?? 0,
      started_at: new Date(started).toISOString(),
      seconds: 0,
    };
    for (const c of opts.configs) {
      const out = byConfig.get(c.name)!;
      results.push(...out);
      const unanswerable = out.filter((r) => !r.answerable);
      report.configs[c.name] = {
        ...summarize(out),
        answerable: summarize(out.filter((r) => r.answerable)),
        unanswerable: { n: unanswerable.length, abstain: round(unanswerable.filter((r) => !r.grounded).length / Math.max(1, unanswerable.length), 4) },
        description: c.description,
      };
    }
    report.seconds = round((Date.now() - started) / 1000, 1);
    await core.close();
    core = undefined;
    return { report, results, dataDir };
  } finally {
    if (core) await core.close().catch(() => {});
    if (!opts.keepData && !opts.reuseDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The normal ingestion path (the JSONL importer via `sources.addPath`), timed. */
async function ingestCorpus(core: App, corpus: string, dataDir: string, progress: (l: string) => void): Promise<Record<string, unknown>> {
  progress(`ingesting ${corpus} into ${dataDir}`);
  const t = performance.now();
  let lastNote = 0;
  const sourceResults = await core.sources.addPath(corpus, (r) => {
    if (performance.now() - lastNote < 10_000) return; // a line every 10 s is enough
    lastNote = performance.now();
    progress(`  ${r.added} articles, ${r.chunks} chunks (${((performance.now() - t) / 1000).toFixed(0)} s)`);
  });
  const ingestSeconds = (performance.now() - t) / 1000;
  const rep = sourceResults[0]?.report;
  const stats = core.stats();
  progress(`ingested ${stats.articles} articles, ${stats.chunks} chunks in ${ingestSeconds.toFixed(1)} s`);
  return {
    listed: sourceResults.reduce((s, r) => s + r.listed, 0),
    added: rep?.added ?? 0,
    alternates: rep?.alternates ?? 0,
    unchanged: rep?.unchanged ?? 0,
    skipped: rep?.skipped.length ?? 0,
    articles: stats.articles,
    chunks: stats.chunks,
    seconds: round(ingestSeconds),
    articles_per_s: round((rep?.added ?? 0) / ingestSeconds, 1),
    chunks_per_s: round(stats.chunks / ingestSeconds, 1),
    timings_ms: rep ? Object.fromEntries(Object.entries(rep.timings).map(([k, v]) => [k, Math.round(v)])) : {},
    embedder: core.embedderId,
  };
}

/** What scoring needs from a system: top-10 passages, and an answer with its citations and timings. */
interface Runner {
  top(q: EvalQuestion): Promise<Passage[]>;
  answer(
    q: EvalQuestion,
    k: number,
  ): Promise<{
    answer: string;
    grounded: boolean;
    direct_answer: string | null;
    citations: Array<{ n: number; quote: string }>;
    articleIds: number[];
    retrieveMs: number;
    answerMs: number;
  }>;
}

function retrieverRunner(core: App, c: Extract<EvalConfig, { kind: 'retriever' }>): Runner {
  const ask = c.answerer === 'configured' ? core.ask : core.askExtractive;
  return {
    top: (q) => core.retriever.retrieve(q.question, { k: RECALL_DEPTH, asOf: q.week, mode: c.mode, perArticle: c.perArticle }),
    async answer(q, k) {
      const r = await ask(q.question, { k, asOf: q.week, mode: c.mode, perArticle: c.perArticle, withPassages: true });
      // A citation's [n] is its article's passage number.
      const articleIds = r.citations.map((c) => r.passages?.find((p) => p.n === c.n)?.article_id ?? -1);
      return { ...r, articleIds, retrieveMs: r.timings_ms.retrieve, answerMs: r.timings_ms.answer };
    },
  };
}

async function buildBaseline(core: App, config: Config, ingest: Record<string, unknown>, progress: (l: string) => void): Promise<LangchainBaseline> {
  progress('building the LangChain tutorial baseline (split, embed, HNSW)');
  const emb = await createEmbeddings(config);
  const lc = await buildLangchainBaseline(core.articles, emb.embeddings);
  ingest.langchain_baseline = lc.build;
  progress(`  ${lc.build.chunks} splits; split ${lc.build.split_ms} ms, embed+index ${lc.build.embed_index_ms} ms`);
  return lc;
}

function langchainRunner(core: App, lc: LangchainBaseline, ef: number | undefined): Runner {
  const answerer = createExtractiveAnswerer({ idf: (t) => core.keyword.idf(t) });
  return {
    top: (q) => lc.search(q.question, RECALL_DEPTH, q.week, { ef }),
    async answer(q, k) {
      let t = performance.now();
      const passages = await lc.search(q.question, k, q.week, { ef });
      const retrieveMs = performance.now() - t;
      t = performance.now();
      const r = answerer.answer(q.question, passages);
      const answerMs = performance.now() - t;
      return {
        answer: r.answer,
        grounded: r.grounded,
        direct_answer: r.directAnswer ?? null,
        citations: r.citations,
        articleIds: r.citations.map((c) => c.articleId),
        retrieveMs,
        answerMs,
      };
    },
  };
}

function createLookups(core: App) {
  const texts = new Map<number, string | undefined>();
  return {
    articleText(id: number): string | undefined {
      if (!texts.has(id)) texts.set(id, core.articles.articleText(id));
      return texts.get(id);
    },
    externalId(id: number): string {
      return core.articles.externalId(id) ?? `#${id}`;
    },
    /** Our article ids for corpus ids (near-duplicates map to the copy that was indexed). */
    goldArticles(ids: readonly string[]): Set<number> {
      const out = new Set<number>();
      for (const e of ids) {
        const id = core.articles.indexedIdOfExternal(e);
        if (id !== undefined) out.add(id);
      }
      return out;
    },
  };
}

async function scoreOne(
  config: string,
  q: EvalQuestion,
  answerable: boolean,
  run: Runner,
  lookup: ReturnType<typeof createLookups>,
  k: number,
): Promise<QuestionResult> {
  const top = await run.top(q);
  const a = await run.answer(q, k);
  const gold = lookup.goldArticles(q.goldIds);
  let goldRank: number | null | undefined;
  if (gold.size > 0) {
    const i = top.findIndex((p) => gold.has(p.articleId));
    goldRank = i < 0 ? null : i + 1;
  }
  const cited = a.citations.length > 0 || /\[\d+\]/.test(a.answer);
  const check = cited ? checkCitations(a.answer, a.citations, (i) => (a.articleIds[i] === undefined ? undefined : lookup.articleText(a.articleIds[i]!))) : null;
  const result: QuestionResult = {
    config,
    id: q.id,
    week: q.week,
    question: q.question,
    gold: q.answer,
    answerable,
    hit_rank: firstHitRank(
      top.map((p) => p.text),
      q.answer,
    ),
    contained: containsAnswer(a.answer, q.answer),
    direct_answer: a.direct_answer,
    direct_contained: containsAnswer(a.direct_answer ?? firstSentence(a.answer), q.answer),
    budget_hits: budgetHits(top, q.answer),
    grounded: a.grounded,
    citations_valid: check ? check.valid : null,
    retrieve_ms: round(a.retrieveMs, 3),
    answer_ms: round(a.answerMs, 3),
    answer: a.answer,
    passage_chars: Math.round(top.slice(0, k).reduce((sum, p) => sum + p.text.length, 0) / Math.max(1, Math.min(k, top.length))),
    top: top.map((p) => ({ article: lookup.externalId(p.articleId), title: p.title })),
  };
  if (goldRank !== undefined) result.gold_article_rank = goldRank;
  if (check && !check.valid) result.citation_problems = { dangling: check.danglingMarkers, bad_quotes: check.badQuotes };
  return result;
}

/** For each reading budget: the gold answer lies within the first N characters of the passages in rank order. */
function budgetHits(top: readonly Passage[], gold: string): Record<BudgetKey, boolean> {
  const all = top.map((p) => p.text).join('\n\n');
  return Object.fromEntries(BUDGETS.map((b) => [b, containsAnswer(all.slice(0, Number(b)), gold)])) as Record<BudgetKey, boolean>;
}

/** The answer's first sentence, up to and including its first citation marker. */
export function firstSentence(answer: string): string {
  const m = /^.*?\[\d+\]/s.exec(answer);
  return m ? m[0] : answer;
}

/** Questions asked `days` from their week (their as-of date); 0 leaves them as they are. */
export function shiftQuestions(questions: EvalQuestion[], days: number): EvalQuestion[] {
  if (!days) return questions;
  return questions.map((q) => ({ ...q, week: new Date(Date.parse(`${q.week}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10) }));
}
