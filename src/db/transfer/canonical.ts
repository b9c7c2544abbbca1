import { createHash } from 'node:crypto';

/** Column kinds as both adapters store them (SQLite's storage classes). */
export type ColumnKind = 'integer' | 'real' | 'text' | 'blob';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
}

/**
 * A value as it travels in a dump and as it is hashed: numbers for integer and real columns, strings
 * for text, base64 strings for blobs (chunk vectors: Float32 little-endian bytes), null.
 */
export type CanonicalValue = number | string | null;

/**
 * An order-independent content hash of a multiset of rows: SHA-256 of each row's canonical JSON,
 * added lane by lane (8 × 32-bit, modulo 2^32). The two stores need not return rows in the same
 * order (text keys sort differently under PostgreSQL collations), and a lost, changed or
 * duplicated row still changes the sum.
 */
export class MultisetHash {
  private readonly lanes = new Uint32Array(8);
  count = 0;

  add(canonical: string): void {
    const d = createHash('sha256').update(canonical).digest();
    for (let i = 0; i < 8; i++) this.lanes[i] = (this.lanes[i]! + d.readUInt32BE(i * 4)) >>> 0;
    this.count++;
  }

  hex(): string {
    return Array.from(this.lanes, (v) => v.toString(16).padStart(8, '0')).join('');
  }
}

/** The canonical JSON of one row (values in column order). */
export function rowJson(values: readonly CanonicalValue[]): string {
  return JSON.stringify(values);
}

/**
 * The keyword index as BM25 sees it, hashed: per term, its occurrences (`doc·2 + isTitle`, one per
 * token instance) sorted. Both adapters yield these through `KeywordStore.termOccurrences()`.
 */
export function keywordHash(occurrences: Iterable<[term: string, occurrences: string]>): { terms: number; tokens: number; hash: string } {
  const h = new MultisetHash();
  let tokens = 0;
  for (const [term, occ] of occurrences) {
    const list = occ
      .split(',')
      .map(Number)
      .sort((a, b) => a - b);
    tokens += list.length;
    h.add(`${term}\t${list.join(',')}`);
  }
  return { terms: h.count, tokens, hash: h.hex() };
}

/** Maps a declared SQL column type to its kind (SQLite's affinity rules, which PostgreSQL's names also satisfy). */
export function kindOfDeclaredType(declared: string): ColumnKind {
  const t = declared.toUpperCase();
  if (t.includes('INT')) return 'integer';
  if (t.includes('BLOB') || t.includes('BYTEA')) return 'blob';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB') || t.includes('NUMERIC')) return 'real';
  return 'text';
}
