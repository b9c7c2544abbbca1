import { UserError } from '../errors.ts';
import { notCoveredText } from '../answer/not-covered.ts';
import type { AnswerResult, Citation, NotCoveredReason, Passage } from '../types.ts';
import type { RetrieveOptions, Retriever } from '../retrieval/retriever.ts';

export interface Answerer {
  answer(question: string, passages: Passage[], opts?: { asOf?: string }): AnswerResult | Promise<AnswerResult>;
}

export interface AskOptions extends RetrieveOptions {
  /** Include the retrieved passages in the result. */
  withPassages?: boolean;
}

/** The `ask --json` contract. */
export interface AskResult {
  question: string;
  answer: string;
  /** `also_reported_by`: other outlets that carried the same story (near-duplicate alternates). */
  citations: Array<Omit<Citation, 'articleId'> & { article_id?: number; also_reported_by?: string[] }>;
  grounded: boolean;
  /** The short thing asked for (a name, a number, a date), verbatim from a cited sentence; null when none is convincing. */
  direct_answer: string | null;
  /** Set when `grounded` is false: why the tracked news doesn't cover the question. */
  not_covered_reason?: NotCoveredReason;
  timings_ms: { retrieve: number; answer: number };
  passages?: Array<{ n: number; article_id: number; url: string | null; title: string; text: string; score: number }>;
}

export const MAX_QUESTION_CHARS = 1000;

export interface AskDeps {
  /** `emptiness` (optional) tells an empty store or over-narrow filters apart from "nothing relevant". */
  retriever: Pick<Retriever, 'retrieve'> & Partial<Pick<Retriever, 'emptiness'>>;
  answerer: Answerer;
  /** Other outlets that carried the story of a cited article (its alternates), for `also_reported_by`. */
  alsoReportedBy?: (articleId: number) => string[];
}

/** retrieve → answer, timed; the one path every front end (CLI, Discord, eval) goes through. */
export async function ask(deps: AskDeps, question: string, opts: AskOptions = {}): Promise<AskResult> {
  const q = question.trim();
  if (!q) throw new UserError('empty-question', 'The question is empty: ask something, e.g. "What did Lavrov say about a new US ambassador?"');
  if (q.length > MAX_QUESTION_CHARS) {
    throw new UserError('bad-input', `The question is too long (${q.length} characters; at most ${MAX_QUESTION_CHARS}).`);
  }
  let t = performance.now();
  const passages = await deps.retriever.retrieve(q, opts);
  const retrieveMs = performance.now() - t;
  t = performance.now();
  const empty = passages.length === 0 ? (deps.retriever.emptiness?.(opts) ?? null) : null;
  const result: AnswerResult = empty
    ? { kind: 'no-context', answer: notCoveredText(empty, { filters: describeFilters(opts) }), citations: [], grounded: false, reason: empty }
    : await deps.answerer.answer(q, passages, { asOf: opts.asOf });
  const answerMs = performance.now() - t;
  const numbers = new Map<number, number>();
  for (const c of result.citations) numbers.set(c.articleId, c.n);
  for (const p of passages) if (!numbers.has(p.articleId)) numbers.set(p.articleId, numbers.size + 1);
  const out: AskResult = {
    question: q,
    answer: result.answer,
    citations: result.citations.map(({ articleId, ...c }) => {
      const others = deps.alsoReportedBy?.(articleId).filter((outlet) => outlet !== c.source) ?? [];
      // article_id: which stored article a citation points at (freshness, "Updates since").
      return others.length > 0 ? { ...c, article_id: articleId, also_reported_by: others } : { ...c, article_id: articleId };
    }),
    grounded: result.grounded,
    direct_answer: result.directAnswer ?? null,
    ...(result.kind === 'no-context' && result.reason ? { not_covered_reason: result.reason } : {}),
    timings_ms: { retrieve: round(retrieveMs), answer: round(answerMs) },
  };
  if (opts.withPassages) {
    out.passages = passages.map((p) => ({
      n: numbers.get(p.articleId)!,
      article_id: p.articleId,
      url: p.url,
      title: p.title,
      text: p.text,
      score: p.score,
    }));
  }
  return out;
}

/** The filters of a question in words, for "no tracked article matches the filters (…)". */
function describeFilters(o: AskOptions): string {
  const parts: string[] = [];
  if (o.sourceIds?.length) parts.push(`source ${o.sourceIds.map((id) => `#${id}`).join(', ')}`);
  if (o.since) parts.push(`published since ${o.since}`);
  if (o.asOf) parts.push(`as of ${o.asOf}`);
  if (o.guildId !== undefined) parts.push(o.guildId === null ? 'global sources only' : "this server's sources");
  return parts.join(', ');
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
