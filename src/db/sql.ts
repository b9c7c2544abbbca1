/**
 * The small driver interface the repositories are written against: the subset of better-sqlite3's
 * API they use, so the SQLite adapter is better-sqlite3 itself and the PostgreSQL adapter
 * (src/db/pg/pg-db.ts) implements the same calls over a synchronous client. SQL is written once in
 * the common dialect both accept (`?` or `@name` placeholders, `ON CONFLICT`, `RETURNING`, quoted
 * camelCase aliases); the few places that differ ask `dialect`.
 */
export type Dialect = 'sqlite' | 'postgres';

export interface SqlStatement {
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number };
  iterate(...params: unknown[]): IterableIterator<unknown>;
  /** Rows as their first column only. */
  pluck(toggle?: boolean): this;
  /** Rows as arrays instead of objects. */
  raw(toggle?: boolean): this;
}

export interface SqlDb {
  readonly dialect: Dialect;
  prepare(sql: string): SqlStatement;
  exec(sql: string): void;
  /** Runs `fn` in one write transaction (the outermost takes the store's write lock); nested calls are savepoints. */
  transaction<T>(fn: () => T): T;
}

/**
 * `IN (…)` over a JSON array of ids bound to one parameter: one statement for any number of ids,
 * in either dialect (`json_each` in SQLite, `json_array_elements_text` in PostgreSQL).
 */
export function jsonIdList(db: Pick<SqlDb, 'dialect'>, param: string): string {
  return db.dialect === 'sqlite'
    ? `(SELECT value FROM json_each(${param}))`
    : `(SELECT value::bigint FROM json_array_elements_text(CAST(${param} AS json)) AS value)`;
}
