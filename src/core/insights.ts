import { FEEDBACK_REASONS, type FeedbackReason, type FeedbackRepo } from '../db/feedback-repo.ts';
import type { AskVia, LoggedQuestion, QuestionLogRepo } from '../db/question-log-repo.ts';
import type { GuildScope, Source } from '../db/source-repo.ts';
import { UserError } from '../errors.ts';
import { buildInsightsReport, type InsightsReport } from './insights-report.ts';

// Front ends name these through the service, not the store.
export { FEEDBACK_REASONS };
export type { AskVia, FeedbackReason, LoggedQuestion };

/** What `ask` returned, as far as the log keeps it. Extra fields (e.g. a not-covered reason) are read if present. */
export interface AskOutcome {
  answer: string;
  grounded: boolean;
  citations: Array<{ n: number; title: string; url: string | null; source: string | null }>;
  /** With `withPassages`: the passages, whose `n` matches the citations' (how the log knows the cited articles). */
  passages?: Array<{ n: number; article_id: number }>;
}

export interface RecordInput {
  guildId: string | null;
  channelId: string | null;
  threadId?: string | null;
  via: AskVia;
  /** What the user wrote (not the follow-up context added to it). */
  question: string;
  result: AskOutcome;
}

/** The questions/feedback log and the figures built from it. */
export interface InsightsService {
  /** False when the retention setting is 0: nothing is logged and answers carry no feedback buttons. */
  readonly enabled: boolean;
  readonly retentionDays: number;
  /** Logs one answered (or not covered) question; returns its id, or null when logging is off. */
  record(input: RecordInput): number | null;
  question(id: number): LoggedQuestion | undefined;
  /** Records a user's 👍 (1) or 👎 (-1), replacing an earlier vote; refuses answers of other servers. */
  vote(input: { questionId: number; guildId: string | null; userId: string; vote: 1 | -1 }): { up: number; down: number };
  /** Adds the reason (and an optional comment) to a user's 👎, casting the 👎 if there was none. */
  reason(input: { questionId: number; guildId: string | null; userId: string; reason: FeedbackReason; comment?: string | null }): void;
  counts(questionId: number): { up: number; down: number };
  attachThread(questionId: number, threadId: string): void;
  /** Earlier questions asked or answered in a thread, oldest first. */
  threadQuestions(threadId: string, limit?: number): string[];
  report(scope: GuildScope, days: number, now?: Date): InsightsReport;
  /** Deletes the log in scope (questions, citations, votes); returns the number of questions deleted. */
  purge(scope: GuildScope): number;
  /** Deletes entries older than the retention period; returns how many. */
  prune(now?: Date): number;
}

export interface InsightsDeps {
  questions: QuestionLogRepo;
  feedback: FeedbackRepo;
  /** Days to keep questions and votes; 0 keeps nothing. */
  retentionDays: number;
  /** The sources a scope's health section covers (a guild's own; every source for "all"). */
  sources: (scope: GuildScope) => Source[];
}

const DAY_MS = 86_400_000;
const PRUNE_EVERY_MS = 3_600_000; // the log is trimmed at most hourly, on the next write

export function createInsightsService(deps: InsightsDeps): InsightsService {
  const { questions, feedback } = deps;
  const enabled = deps.retentionDays > 0;
  let lastPrune = 0;

  function owned(questionId: number, guildId: string | null): LoggedQuestion {
    const q = questions.get(questionId);
    if (!q || q.guildId !== guildId) {
      throw new UserError('not-found', `This answer is no longer in the log (answers are kept ${deps.retentionDays} days), so it cannot be rated.`);
    }
    return q;
  }

  const service: InsightsService = {
    enabled,
    retentionDays: deps.retentionDays,
    record(input) {
      if (!enabled) return null;
      const now = new Date();
      if (now.getTime() - lastPrune > PRUNE_EVERY_MS) service.prune(now);
      return questions.insert({
        guildId: input.guildId,
        channelId: input.channelId,
        threadId: input.threadId ?? null,
        via: input.via,
        question: input.question,
        answer: input.result.answer,
        grounded: input.result.grounded,
        notCoveredReason: input.result.grounded ? null : notCoveredReason(input.result),
        citations: input.result.citations.map((c) => ({
          n: c.n,
          articleId: input.result.passages?.find((p) => p.n === c.n)?.article_id ?? null,
          title: c.title,
          url: c.url,
          source: c.source,
        })),
        askedAt: now.toISOString(),
      });
    },
    question: (id) => questions.get(id),
    vote({ questionId, guildId, userId, vote }) {
      owned(questionId, guildId);
      feedback.upsert({ questionId, userId, vote, votedAt: new Date().toISOString() });
      return feedback.counts(questionId);
    },
    reason({ questionId, guildId, userId, reason, comment }) {
      owned(questionId, guildId);
      feedback.upsert({
        questionId,
        userId,
        vote: -1,
        reason,
        comment: comment?.trim() ? comment.trim().slice(0, 500) : null,
        votedAt: new Date().toISOString(),
      });
    },
    counts: (id) => feedback.counts(id),
    attachThread: (id, threadId) => questions.setThread(id, threadId),
    threadQuestions: (threadId, limit = 3) => questions.threadQuestions(threadId, limit),
    report(scope, days, now = new Date()) {
      const since = new Date(now.getTime() - days * DAY_MS).toISOString();
      const votes = feedback.since(scope, since);
      const votedQuestions = new Map(
        [...new Set(votes.map((v) => v.questionId))].flatMap((id) => {
          const q = questions.get(id);
          return q ? [[id, { ...q, citations: questions.citations(id).map((c) => ({ title: c.title, url: c.url })) }] as const] : [];
        }),
      );
      return buildInsightsReport({
        scope: scope.kind === 'all' ? 'all' : scope.guildId,
        days,
        now,
        logging: enabled,
        retentionDays: deps.retentionDays,
        questions: questions.since(scope, since),
        votes,
        votedQuestions,
        sources: deps.sources(scope),
        citedSourceIds: questions.citedSourceIds(scope),
      });
    },
    purge: (scope) => questions.deleteAll(scope),
    prune(now = new Date()) {
      lastPrune = now.getTime();
      // Retention 0: nothing should be there, but a store logged under an earlier setting is emptied too.
      return questions.deleteOlderThan(new Date(now.getTime() - deps.retentionDays * DAY_MS).toISOString());
    },
  };
  service.prune();
  return service;
}

/**
 * The engine's reason for "not covered", if this version of `ask` gives one (a string field named
 * `not_covered_reason`, or `reason` / `not_covered.reason`); stored as is.
 */
function notCoveredReason(result: AskOutcome): string | null {
  const r = result as unknown as Record<string, unknown>;
  const nested = r.not_covered && typeof r.not_covered === 'object' ? (r.not_covered as Record<string, unknown>).reason : undefined;
  const value = [r.not_covered_reason, r.reason, nested].find((v) => typeof v === 'string' && v.length > 0);
  return typeof value === 'string' ? value.slice(0, 100) : null;
}
