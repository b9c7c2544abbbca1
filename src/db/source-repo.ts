import type { SqlDb as Db } from './sql.ts';

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

/** The fields of a source its owner's code may change (camelCase; the repository maps them to columns). */
export type SourcePatch = Partial<
  Pick<
    Source,
    | 'enabled'
    | 'pollIntervalMin'
    | 'etag'
    | 'lastModified'
    | 'lastFetchAt'
    | 'lastSuccessAt'
    | 'lastError'
    | 'consecutiveFailures'
    | 'nextPollAt'
    | 'pausedReason'
  >
>;

const COLUMNS: Record<keyof SourcePatch, keyof SourceRow> = {
  enabled: 'enabled',
  pollIntervalMin: 'poll_interval_min',
  etag: 'etag',
  lastModified: 'last_modified',
  lastFetchAt: 'last_fetch_at',
  lastSuccessAt: 'last_success_at',
  lastError: 'last_error',
  consecutiveFailures: 'consecutive_failures',
  nextPollAt: 'next_poll_at',
  pausedReason: 'paused_reason',
};

/** The sources table. */
export interface SourceRepo {
  get(id: number): Source | undefined;
  find(guildId: string | null, url: string): Source | undefined;
  /** Returns the existing source when the same URL is already tracked in that scope. */
  upsert(input: { guildId: string | null; kind: SourceKind; url: string; name?: string | null }): Source;
  list(scope?: GuildScope): Source[];
  remove(id: number): void;
  update(id: number, patch: SourcePatch): void;
  count(): number;
}

export function createSourceRepo(db: Db): SourceRepo {
  const byId = db.prepare(`${SELECT} WHERE s.id = ?`);
  const byGuildUrl = db.prepare(`${SELECT} WHERE coalesce(s.guild_id, '') = coalesce(?, '') AND s.url = ?`);
  const repo: SourceRepo = {
    get(id: number): Source | undefined {
      const r = byId.get(id) as SourceRow | undefined;
      return r && toSource(r);
    },
    find(guildId: string | null, url: string): Source | undefined {
      const r = byGuildUrl.get(guildId, url) as SourceRow | undefined;
      return r && toSource(r);
    },
    /** Returns the existing source when the same URL is already tracked in that scope. */
    upsert(input) {
      const existing = repo.find(input.guildId, input.url);
      if (existing) return existing;
      const id = db
        .prepare('INSERT INTO sources (guild_id, kind, url, name, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id')
        .pluck()
        .get(input.guildId, input.kind, input.url, input.name ?? null, new Date().toISOString()) as number;
      return repo.get(id)!;
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
    update(id: number, patch: SourcePatch): void {
      const params: Record<string, string | number | null> = { id };
      for (const [key, value] of Object.entries(patch) as Array<[keyof SourcePatch, SourcePatch[keyof SourcePatch]]>) {
        const column = COLUMNS[key];
        if (!column || value === undefined) continue;
        params[column] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
      }
      const columns = Object.keys(params).filter((k) => k !== 'id');
      if (columns.length === 0) return;
      db.prepare(`UPDATE sources SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run(params);
    },
    count: () => db.prepare('SELECT count(*) FROM sources').pluck().get() as number,
  };
  return repo;
}
