/**
 * What `newsdesk export` / `import` move, in the order they are loaded (parents before children, so
 * foreign keys hold at every insert). `key` orders a table's rows in the dump.
 */
export interface TransferTable {
  name: string;
  key: readonly string[];
}

export const TRANSFER_TABLES: readonly TransferTable[] = [
  { name: 'meta', key: ['key'] },
  { name: 'sources', key: ['id'] },
  { name: 'articles', key: ['id'] },
  { name: 'article_sources', key: ['article_id', 'source_id'] },
  { name: 'article_aliases', key: ['url'] },
  { name: 'article_versions', key: ['id'] },
  { name: 'chunks', key: ['id'] },
  { name: 'watches', key: ['id'] },
  { name: 'watch_alerts', key: ['channel_id', 'story_id'] },
  { name: 'muted_stories', key: ['guild_id', 'story_id'] },
  { name: 'digest_schedules', key: ['guild_id'] },
  { name: 'digest_runs', key: ['id'] },
  { name: 'answer_snapshots', key: ['id'] },
  { name: 'questions', key: ['id'] },
  { name: 'question_citations', key: ['question_id', 'n'] },
  { name: 'feedback', key: ['question_id', 'user_id'] },
  { name: 'channel_settings', key: ['guild_id', 'channel_id'] },
];

/**
 * Tables of a store that are deliberately not in a dump, with the reason. A new table must be added
 * to one of the two lists (a test checks every table of the schema is named).
 */
export const NOT_MOVED: Readonly<Record<string, string>> = {
  change_log: 'the feed other processes follow; a new store starts its own (its processes load everything on open)',
  chunk_fts: 'keyword tokens (SQLite): rebuilt on import from the stored text with the same analyser, then compared by hash',
  chunk_keywords: 'keyword tokens (PostgreSQL): rebuilt on import as on SQLite',
  schema_migrations: "PostgreSQL's migration bookkeeping: the importing store has its own, at the same version",
};

/** Tables whose ids are labels elsewhere and must never be reused (the HNSW index labels chunks by id). */
export const NEVER_REUSED_IDS: readonly string[] = ['chunks'];
