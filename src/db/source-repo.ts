import type { Db } from './database.ts';

export type SourceKind = 'feed' | 'page' | 'file';

export interface Source {
  id: number;
  guildId: string | null;
  kind: SourceKind;
  url: string;
  name: string | null;
  enabled: boolean;
  pollIntervalMin: number | null;
  etag: string | null;
  lastModified: string | null;
  lastFetchAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
  nextPollAt: string | null;
  pausedReason: string | null;
  createdAt: string;
  articleCount: number;
}

interface SourceRow {
  id: number;
  guild_id: string | null;
  kind: SourceKind;
  url: string;
  name: string | null;
  enabled: number;
  poll_interval_min: number | null;
  etag: string | null;
  last_modified: string | null;
  last_fetch_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
  consecutive_failures: number;
  next_poll_at: string | null;
  paused_reason: string | null;
  created_at: string;
  article_count: number;
}

const SELECT = `SELECT s.*, (SELECT count(*) FROM article_sources x WHERE x.source_id = s.id) AS article_count FROM sources s`;

function toSource(r: SourceRow): Source {
  return {
    id: r.id,
    guildId: r.guild_id,
    kind: r.kind,
    url: r.url,
    name: r.name,
    enabled: r.enabled === 1,
    pollIntervalMin: r.poll_interval_min,
    etag: r.etag,
    lastModified: r.last_modified,
    lastFetchAt: r.last_fetch_at,
    lastSuccessAt: r.last_success_at,
    lastError: r.last_error,
    consecutiveFailures: r.consecutive_failures,
    nextPollAt: r.next_poll_at,
    pausedReason: r.paused_reason,
    createdAt: r.created_at,
    articleCount: r.article_count,
  };
}

/** Which sources a caller may see: every source (CLI), or one guild's plus the global ones. */
export type GuildScope = { kind: 'all' } | { kind: 'guild'; guildId: string | null };

export function createSourceRepo(db: Db) {
  const byId = db.prepare(`${SELECT} WHERE s.id = ?`);
  const byGuildUrl = db.prepare(`${SELECT} WHERE coalesce(s.guild_id, '') = coalesce(?, '') AND s.url = ?`);
  return {
    get(id: number): Source | undefined {
      const r = byId.get(id) as SourceRow | undefined;
      return r && toSource(r);
    },
    find(guildId: string | null, url: string): Source | undefined {
      const r = byGuildUrl.get(guildId, url) as SourceRow | undefined;
      return r && toSource(r);
    },
    /** Returns the existing source when the same URL is already tracked in that scope. */
    upsert(input: { guildId: string | null; kind: SourceKind; url: string; name?: string | null }): Source {
      const existing = this.find(input.guildId, input.url);
      if (existing) return existing;
      const info = db
        .prepare('INSERT INTO sources (guild_id, kind, url, name, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(input.guildId, input.kind, input.url, input.name ?? null, new Date().toISOString());
      return this.get(Number(info.lastInsertRowid))!;
    },
    list(scope: GuildScope = { kind: 'all' }): Source[] {
      const rows =
        scope.kind === 'all'
          ? db.prepare(`${SELECT} ORDER BY s.id`).all()
          : scope.guildId === null
            ? db.prepare(`${SELECT} WHERE s.guild_id IS NULL ORDER BY s.id`).all()
            : db.prepare(`${SELECT} WHERE s.guild_id = ? OR s.guild_id IS NULL ORDER BY s.id`).all(scope.guildId);
      return (rows as SourceRow[]).map(toSource);
    },
    remove(id: number): void {
      db.prepare('DELETE FROM sources WHERE id = ?').run(id);
    },
    update(id: number, patch: Partial<Record<keyof SourceRow, string | number | null>>): void {
      const keys = Object.keys(patch).filter((k) => /^[a-z_]+$/.test(k));
      if (keys.length === 0) return;
      db.prepare(`UPDATE sources SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`).run({
        ...patch,
        id,
      });
    },
  };
}

export type SourceRepo = ReturnType<typeof createSourceRepo>;
