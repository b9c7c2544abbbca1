import type { SqlDb as Db } from './sql.ts';
import type { GuildScope } from './source-repo.ts';

/** How a question reached the bot. */
export type AskVia = 'slash' | 'mention' | 'context-menu';

/** One cited article as the log keeps it (title and link survive the article's removal). */
export interface LoggedCitation {
  n: number;
  articleId: number | null;
  title: string;
  url: string | null;
  source: string | null;
}

/** A question to log, with what the engine answered. */
export interface QuestionEntry {
  guildId: string | null;
  channelId: string | null;
  threadId?: string | null;
  via: AskVia;
  question: string;
  answer: string;
  grounded: boolean;
  notCoveredReason?: string | null;
  citations: LoggedCitation[];
  askedAt: string;
}

export interface LoggedQuestion extends Omit<QuestionEntry, 'citations' | 'threadId' | 'notCoveredReason'> {
  id: number;
  threadId: string | null;
  notCoveredReason: string | null;
}

/** Table access for `questions` and its child `question_citations` (written and deleted together). */
export interface QuestionLogRepo {
  insert(entry: QuestionEntry): number;
  get(id: number): LoggedQuestion | undefined;
  citations(id: number): LoggedCitation[];
  setThread(id: number, threadId: string): void;
  /** The last `limit` questions asked or answered in a thread, oldest first. */
  threadQuestions(threadId: string, limit: number): string[];
  /** Questions asked since `sinceIso` in scope, oldest first. */
  since(scope: GuildScope, sinceIso: string): LoggedQuestion[];
  /** Ids of sources that carry an article cited by a grounded answer in scope (ever, within retention). */
  citedSourceIds(scope: GuildScope): Set<number>;
  deleteOlderThan(iso: string): number;
  /** Deletes every question in scope (and, by cascade, their citations and votes). */
  deleteAll(scope: GuildScope): number;
}

interface Row {
  id: number;
  guild_id: string | null;
  channel_id: string | null;
  thread_id: string | null;
  via: AskVia;
  question: string;
  answer: string;
  grounded: number;
  not_covered_reason: string | null;
  asked_at: string;
}

const toQuestion = (r: Row): LoggedQuestion => ({
  id: r.id,
  guildId: r.guild_id,
  channelId: r.channel_id,
  threadId: r.thread_id,
  via: r.via,
  question: r.question,
  answer: r.answer,
  grounded: r.grounded === 1,
  notCoveredReason: r.not_covered_reason,
  askedAt: r.asked_at,
});

/** `guild_id` condition for a scope: every row, or one guild's (NULL = DMs). */
function scopeSql(scope: GuildScope, column = 'guild_id'): { sql: string; params: unknown[] } {
  if (scope.kind === 'all') return { sql: '1 = 1', params: [] };
  return scope.guildId === null ? { sql: `${column} IS NULL`, params: [] } : { sql: `${column} = ?`, params: [scope.guildId] };
}

export function createQuestionLogRepo(db: Db): QuestionLogRepo {
  const s = {
    insert: db
      .prepare(
        `INSERT INTO questions (guild_id, channel_id, thread_id, via, question, answer, grounded, not_covered_reason, asked_at)
       VALUES (@guildId, @channelId, @threadId, @via, @question, @answer, @grounded, @notCoveredReason, @askedAt) RETURNING id`,
      )
      .pluck(),
    cite: db.prepare(
      `INSERT INTO question_citations (question_id, n, article_id, title, url, source) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (question_id, n) DO UPDATE SET article_id = excluded.article_id, title = excluded.title, url = excluded.url, source = excluded.source`,
    ),
    get: db.prepare('SELECT * FROM questions WHERE id = ?'),
    citations: db.prepare('SELECT n, article_id, title, url, source FROM question_citations WHERE question_id = ? ORDER BY n'),
    setThread: db.prepare('UPDATE questions SET thread_id = ? WHERE id = ?'),
    thread: db.prepare('SELECT question FROM (SELECT id, question FROM questions WHERE thread_id = ? ORDER BY id DESC LIMIT ?) AS recent ORDER BY id'),
    older: db.prepare('DELETE FROM questions WHERE asked_at < ?'),
  };
  const insert = (e: QuestionEntry): number =>
    db.transaction(() => {
      const id = s.insert.get({ ...e, threadId: e.threadId ?? null, notCoveredReason: e.notCoveredReason ?? null, grounded: e.grounded ? 1 : 0 }) as number;
      for (const c of e.citations) s.cite.run(id, c.n, c.articleId, c.title, c.url, c.source);
      return id;
    });
  return {
    insert,
    get(id) {
      const r = s.get.get(id) as Row | undefined;
      return r && toQuestion(r);
    },
    citations(id) {
      return (s.citations.all(id) as Array<{ n: number; article_id: number | null; title: string; url: string | null; source: string | null }>).map((r) => ({
        n: r.n,
        articleId: r.article_id,
        title: r.title,
        url: r.url,
        source: r.source,
      }));
    },
    setThread(id, threadId) {
      s.setThread.run(threadId, id);
    },
    threadQuestions(threadId, limit) {
      return (s.thread.all(threadId, limit) as Array<{ question: string }>).map((r) => r.question);
    },
    since(scope, sinceIso) {
      const w = scopeSql(scope);
      return (db.prepare(`SELECT * FROM questions WHERE ${w.sql} AND asked_at >= ? ORDER BY asked_at, id`).all(...w.params, sinceIso) as Row[]).map(toQuestion);
    },
    citedSourceIds(scope) {
      const w = scopeSql(scope, 'q.guild_id');
      const rows = db
        .prepare(
          `SELECT DISTINCT x.source_id AS id FROM questions q
           JOIN question_citations c ON c.question_id = q.id
           JOIN article_sources x ON x.article_id = c.article_id
           WHERE q.grounded = 1 AND ${w.sql}`,
        )
        .all(...w.params) as Array<{ id: number }>;
      return new Set(rows.map((r) => r.id));
    },
    deleteOlderThan(iso) {
      return s.older.run(iso).changes;
    },
    deleteAll(scope) {
      const w = scopeSql(scope);
      return db.prepare(`DELETE FROM questions WHERE ${w.sql}`).run(...w.params).changes;
    },
  };
}
