import type { SqlDb as Db } from './sql.ts';
import type { GuildScope } from './source-repo.ts';

export type FeedbackReason = 'wrong' | 'outdated' | 'missing-source' | 'other';
export const FEEDBACK_REASONS: readonly FeedbackReason[] = ['wrong', 'outdated', 'missing-source', 'other'];

export interface Vote {
  questionId: number;
  userId: string;
  vote: 1 | -1;
  reason: FeedbackReason | null;
  comment: string | null;
  votedAt: string;
}

/** Table access for `feedback`: one row per user and answer, replaced when the user votes again. */
export interface FeedbackRepo {
  /** Records or replaces a vote; a new 👍 clears an earlier 👎's reason. */
  upsert(vote: Omit<Vote, 'reason' | 'comment'> & { reason?: FeedbackReason | null; comment?: string | null }): void;
  get(questionId: number, userId: string): Vote | undefined;
  counts(questionId: number): { up: number; down: number };
  /** Votes cast since `sinceIso` on answers in scope. */
  since(scope: GuildScope, sinceIso: string): Vote[];
}

interface Row {
  question_id: number;
  user_id: string;
  vote: 1 | -1;
  reason: FeedbackReason | null;
  comment: string | null;
  voted_at: string;
}

const toVote = (r: Row): Vote => ({ questionId: r.question_id, userId: r.user_id, vote: r.vote, reason: r.reason, comment: r.comment, votedAt: r.voted_at });

export function createFeedbackRepo(db: Db): FeedbackRepo {
  const s = {
    upsert: db.prepare(
      `INSERT INTO feedback (question_id, user_id, vote, reason, comment, voted_at) VALUES (@questionId, @userId, @vote, @reason, @comment, @votedAt)
       ON CONFLICT (question_id, user_id) DO UPDATE SET vote = excluded.vote, reason = excluded.reason, comment = excluded.comment, voted_at = excluded.voted_at`,
    ),
    get: db.prepare('SELECT * FROM feedback WHERE question_id = ? AND user_id = ?'),
    counts: db.prepare(`SELECT coalesce(sum(CASE WHEN vote = 1 THEN 1 ELSE 0 END), 0) AS up, coalesce(sum(CASE WHEN vote = -1 THEN 1 ELSE 0 END), 0) AS down
       FROM feedback WHERE question_id = ?`),
  };
  return {
    upsert(v) {
      s.upsert.run({ ...v, reason: v.reason ?? null, comment: v.comment ?? null });
    },
    get(questionId, userId) {
      const r = s.get.get(questionId, userId) as Row | undefined;
      return r && toVote(r);
    },
    counts(questionId) {
      return s.counts.get(questionId) as { up: number; down: number };
    },
    since(scope, sinceIso) {
      const where = scope.kind === 'all' ? '1 = 1' : scope.guildId === null ? 'q.guild_id IS NULL' : 'q.guild_id = ?';
      const params = scope.kind === 'guild' && scope.guildId !== null ? [scope.guildId] : [];
      const rows = db
        .prepare(
          `SELECT f.* FROM feedback f JOIN questions q ON q.id = f.question_id WHERE ${where} AND f.voted_at >= ? ORDER BY f.voted_at, f.question_id, f.user_id`,
        )
        .all(...params, sinceIso) as Row[];
      return rows.map(toVote);
    },
  };
}
