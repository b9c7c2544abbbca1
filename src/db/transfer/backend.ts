import type { CanonicalValue, ColumnSpec } from './canonical.ts';
import type { TransferTable } from './tables.ts';

/**
 * What export and import need from one storage adapter: rows of a table in canonical form, bulk
 * inserts, the keyword index and id high-water marks, inside one read snapshot or one write
 * transaction. Each adapter implements it next to its own SQL.
 */
export interface TransferBackend {
  readonly backend: 'sqlite' | 'postgres';
  /** Where the store is, for messages (never with a password). */
  readonly location: string;
  /** The number of migrations applied (the same numbering on both adapters). */
  schemaVersion(): Promise<number>;
  /** Every table of the schema, to check that a dump names them all. */
  tableNames(): Promise<string[]>;
  columns(table: string): Promise<ColumnSpec[]>;
  /** Rows in canonical form, in batches. */
  rows(table: TransferTable, columns: readonly ColumnSpec[]): AsyncIterable<CanonicalValue[][]>;
  count(table: string): Promise<number>;
  /** Per table with an integer `id`: the highest id ever handed out (a sequence may be past max(id)). */
  idHighWater(): Promise<Record<string, number>>;
  /** The keyword index as BM25 loads it (`KeywordStore.termOccurrences`). */
  keywordOccurrences(): Promise<Iterable<[term: string, occurrences: string]>>;
  /** A consistent snapshot for an export. */
  beginRead(): Promise<void>;
  endRead(): Promise<void>;
  /** One write transaction for an import: everything or nothing. */
  beginWrite(): Promise<void>;
  /** Deletes every row of a table (inside the write transaction; used for `meta`, which opening a store fills). */
  clear(table: string): Promise<void>;
  insert(table: string, columns: readonly ColumnSpec[], rows: readonly CanonicalValue[][]): Promise<void>;
  /** Writes the keyword tokens of every chunk from its article's text; returns the chunks tokenised. */
  rebuildKeywords(): Promise<number>;
  /** Makes new ids continue after the given marks. */
  setIdHighWater(marks: Record<string, number>): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  close(): Promise<void>;
}
