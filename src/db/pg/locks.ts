/**
 * PostgreSQL advisory lock keys used by Newsdesk, in one place so that no two features share one by
 * accident. Any bigint works; these spell "ND" + a number.
 */

/** Held by every store write transaction (pg_advisory_xact_lock): one writer at a time, as in SQLite. */
export const WRITE_LOCK = 7_868_001;
/** Held while a schema migration is applied, so two processes starting at once apply each once. */
export const MIGRATION_LOCK = 7_868_002;
/** Held for as long as a process leads (session-level pg_try_advisory_lock): the one poller (src/db/pg-leadership.ts). */
export const LEADER_LOCK = 7_868_003;
