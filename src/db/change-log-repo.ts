import type { SqlDb as Db } from './sql.ts';

/** One committed write other processes must apply to their in-memory indexes. */
export interface ChangeRecord {
  seq: number;
  writer: string;
  /** `chunks`: chunk ids added/removed; `scope`: source links changed; `reload`: rebuild everything (reindex). */
  kind: 'chunks' | 'scope' | 'reload';
  articleId: number | null;
  added: number[];
  removed: number[];
}

export interface ChangeLogRepo {
  /** Appends a change; call inside the write transaction it describes. */
  record(kind: ChangeRecord['kind'], change?: { articleId?: number | null; added?: number[]; removed?: number[] }): void;
  /** Changes after `seq`, oldest first, at most `limit`. */
  since(seq: number, limit?: number): ChangeRecord[];
  /** The newest sequence number (0 when empty). */
  head(): number;
  /** The oldest sequence number still kept (0 when empty). */
  tail(): number;
  /** Drops all but the newest `keep` entries. */
  prune(keep: number): void;
}

/** PostgreSQL channel told of every change-log entry (on COMMIT; the payload is the writer's name). */
export const CHANGE_CHANNEL = 'newsdesk_changes';

/** The `change_log` table. `writer` names this process, so it can skip what it applied itself. */
export function createChangeLogRepo(db: Db, writer: string): ChangeLogRepo {
  const insertSql = 'INSERT INTO change_log (writer, kind, article_id, added, removed, at) VALUES (?, ?, ?, ?, ?, ?)';
  const s = {
    // On PostgreSQL the same statement also notifies listeners, delivered only when the transaction commits.
    insert: db.prepare(
      db.dialect === 'postgres' ? `WITH ins AS (${insertSql} RETURNING writer) SELECT pg_notify('${CHANGE_CHANNEL}', ins.writer) FROM ins` : insertSql,
    ),
    since: db.prepare('SELECT seq, writer, kind, article_id, added, removed FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?'),
    head: db.prepare('SELECT coalesce(max(seq), 0) FROM change_log').pluck(),
    tail: db.prepare('SELECT coalesce(min(seq), 0) FROM change_log').pluck(),
    prune: db.prepare('DELETE FROM change_log WHERE seq <= (SELECT max(seq) FROM change_log) - ?'),
  };
  const ids = (json: string | null): number[] => (json ? (JSON.parse(json) as number[]) : []);
  return {
    record(kind, change = {}) {
      const added = change.added ?? [];
      const removed = change.removed ?? [];
      if (kind === 'chunks' && added.length === 0 && removed.length === 0) return;
      s.insert.run(
        writer,
        kind,
        change.articleId ?? null,
        added.length ? JSON.stringify(added) : null,
        removed.length ? JSON.stringify(removed) : null,
        new Date().toISOString(),
      );
    },
    since(seq, limit = 10_000) {
      const rows = s.since.all(seq, limit) as Array<{
        seq: number;
        writer: string;
        kind: ChangeRecord['kind'];
        article_id: number | null;
        added: string | null;
        removed: string | null;
      }>;
      return rows.map((r) => ({ seq: r.seq, writer: r.writer, kind: r.kind, articleId: r.article_id, added: ids(r.added), removed: ids(r.removed) }));
    },
    head: () => s.head.get() as number,
    tail: () => s.tail.get() as number,
    prune(keep) {
      s.prune.run(keep);
    },
  };
}
