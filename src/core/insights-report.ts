import type { FeedbackReason, Vote } from '../db/feedback-repo.ts';
import type { LoggedQuestion } from '../db/question-log-repo.ts';
import type { Source } from '../db/source-repo.ts';
import { groupQuestions } from './coverage-gaps.ts';

/** `newsdesk insights --json` and `/insights report`: one server's (or every server's) last N days. */
export interface InsightsReport {
  /** A guild id, null for direct messages, or "all" (the CLI without --guild). */
  scope: string | null;
  days: number;
  since: string;
  generated_at: string;
  /** False when NEWSDESK_QUESTION_LOG_DAYS=0: nothing is logged, so the figures stay empty. */
  logging: boolean;
  retention_days: number;
  questions: number;
  answered: number;
  not_covered: number;
  /** answered / questions, 0–1; null without questions. */
  answered_share: number | null;
  /** Not-covered questions by the engine's reason, when it gives one. */
  not_covered_reasons: Record<string, number>;
  coverage_gaps: Array<{ question: string; count: number; examples: string[]; last_asked: string; suggestion: string }>;
  feedback: {
    up: number;
    down: number;
    reasons: Record<FeedbackReason, number>;
    worst: Array<{
      question_id: number;
      question: string;
      answer: string;
      up: number;
      down: number;
      reasons: FeedbackReason[];
      /** What voters typed under "Other…" (at most three). */
      comments: string[];
      asked_at: string;
      citations: Array<{ title: string; url: string | null }>;
    }>;
  };
  sources: {
    total: number;
    failing: Array<{ id: number; name: string; consecutive_failures: number; last_error: string | null }>;
    paused: Array<{ id: number; name: string; reason: string }>;
    /** Sources no grounded answer in the log ever cited (within the retention period). */
    never_cited: Array<{ id: number; name: string; articles: number }>;
  };
}

export interface ReportInput {
  scope: string | null;
  days: number;
  now: Date;
  logging: boolean;
  retentionDays: number;
  questions: LoggedQuestion[];
  votes: Vote[];
  /** Questions any vote in `votes` is about (may be older than the window). */
  votedQuestions: Map<number, LoggedQuestion & { citations: Array<{ title: string; url: string | null }> }>;
  sources: Source[];
  citedSourceIds: Set<number>;
}

const MAX_GAPS = 10;
const MAX_WORST = 5;
const GAP_SUGGESTION = 'Add a source that covers this (/sources add)';

/** Pure: the figures from the rows. */
export function buildInsightsReport(input: ReportInput): InsightsReport {
  const answered = input.questions.filter((q) => q.grounded).length;
  const notCovered = input.questions.filter((q) => !q.grounded);
  const reasons: Record<string, number> = {};
  for (const q of notCovered) if (q.notCoveredReason) reasons[q.notCoveredReason] = (reasons[q.notCoveredReason] ?? 0) + 1;
  const gaps = groupQuestions(notCovered.map((q) => ({ question: q.question, askedAt: q.askedAt }))).slice(0, MAX_GAPS);

  const feedbackReasons: Record<FeedbackReason, number> = { wrong: 0, outdated: 0, 'missing-source': 0, other: 0 };
  const perAnswer = new Map<number, { up: number; down: number; reasons: Set<FeedbackReason>; comments: string[] }>();
  for (const v of input.votes) {
    const a = perAnswer.get(v.questionId) ?? { up: 0, down: 0, reasons: new Set<FeedbackReason>(), comments: [] as string[] };
    if (v.vote === 1) a.up++;
    else {
      a.down++;
      if (v.reason) {
        a.reasons.add(v.reason);
        if (v.comment && a.comments.length < 3) a.comments.push(v.comment);
        feedbackReasons[v.reason]++;
      }
    }
    perAnswer.set(v.questionId, a);
  }
  const worst = [...perAnswer.entries()]
    .filter(([, a]) => a.down > 0)
    .sort(([ia, a], [ib, b]) => b.down - b.up - (a.down - a.up) || b.down - a.down || ib - ia)
    .slice(0, MAX_WORST)
    .flatMap(([id, a]) => {
      const q = input.votedQuestions.get(id);
      if (!q) return [];
      return [
        {
          question_id: id,
          question: q.question,
          answer: q.answer,
          up: a.up,
          down: a.down,
          reasons: [...a.reasons],
          comments: a.comments,
          asked_at: q.askedAt,
          citations: q.citations,
        },
      ];
    });

  const name = (s: Source) => s.name ?? s.url;
  const polled = input.sources.filter((s) => s.kind !== 'file');
  return {
    scope: input.scope,
    days: input.days,
    since: new Date(input.now.getTime() - input.days * 86_400_000).toISOString(),
    generated_at: input.now.toISOString(),
    logging: input.logging,
    retention_days: input.retentionDays,
    questions: input.questions.length,
    answered,
    not_covered: notCovered.length,
    answered_share: input.questions.length ? Math.round((answered / input.questions.length) * 1000) / 1000 : null,
    not_covered_reasons: reasons,
    coverage_gaps: gaps.map((g) => ({ question: g.question, count: g.count, examples: g.examples, last_asked: g.lastAsked, suggestion: GAP_SUGGESTION })),
    feedback: {
      up: input.votes.filter((v) => v.vote === 1).length,
      down: input.votes.filter((v) => v.vote === -1).length,
      reasons: feedbackReasons,
      worst,
    },
    sources: {
      total: input.sources.length,
      failing: polled
        .filter((s) => s.consecutiveFailures > 0 && !s.pausedReason)
        .map((s) => ({ id: s.id, name: name(s), consecutive_failures: s.consecutiveFailures, last_error: s.lastError })),
      paused: polled.filter((s) => s.pausedReason || !s.enabled).map((s) => ({ id: s.id, name: name(s), reason: s.pausedReason ?? 'disabled' })),
      never_cited: input.sources.filter((s) => !input.citedSourceIds.has(s.id)).map((s) => ({ id: s.id, name: name(s), articles: s.articleCount })),
    },
  };
}
