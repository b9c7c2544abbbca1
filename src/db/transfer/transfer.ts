import path from 'node:path';
import { UserError } from '../../errors.ts';
import type { TransferBackend } from './backend.ts';
import { keywordHash, MultisetHash, rowJson, type CanonicalValue, type ColumnSpec } from './canonical.ts';
import { createDumpWriter, damaged, DUMP_FORMAT, DUMP_VERSION, openDumpReader, type DumpHeader } from './dump-file.ts';
import { NEVER_REUSED_IDS, NOT_MOVED, TRANSFER_TABLES } from './tables.ts';

/** Per table: rows and content hash, as read from a store (and, on import, as found in the dump). */
export interface TableFigures {
  name: string;
  rows: number;
  hash: string;
}

export interface TransferReport {
  file: string;
  backend: 'sqlite' | 'postgres';
  /** The store written or read (a data dir, or a database URL without its password). */
  location: string;
  schemaVersion: number;
  embedderId: string | null;
  tables: TableFigures[];
  keyword: { terms: number; tokens: number; hash: string };
}

export type TransferProgress = (table: string, rows: number) => void;

/** Moving a whole store in and out of a dump file; opened on the configured store by `openStoreTransfer` (src/app.ts). */
export interface StoreTransfer {
  readonly backend: 'sqlite' | 'postgres';
  readonly location: string;
  /** Writes the whole store to `file` (replaced atomically) from one consistent snapshot. */
  exportTo(file: string, onProgress?: TransferProgress): Promise<TransferReport>;
  /**
   * Loads `file` into this store, which must be empty, in one transaction: rows, then keyword tokens
   * rebuilt from the text, then id marks; then every table is read back and its count and hash
   * compared with the dump's. Any difference, or a damaged dump, rolls everything back.
   */
  importFrom(file: string, onProgress?: TransferProgress): Promise<TransferReport>;
  close(): Promise<void>;
}

export function createStoreTransfer(b: TransferBackend): StoreTransfer {
  return {
    backend: b.backend,
    location: b.location,
    exportTo: (file, onProgress) => exportStore(b, file, onProgress),
    importFrom: (file, onProgress) => importDump(b, file, onProgress),
    close: () => b.close(),
  };
}

async function checkSchemaCovered(b: TransferBackend): Promise<void> {
  const known = new Set([...TRANSFER_TABLES.map((t) => t.name), ...Object.keys(NOT_MOVED)]);
  const unknown = (await b.tableNames()).filter((t) => !known.has(t));
  // A table added by a migration but not to the dump would be lost silently on a move.
  if (unknown.length > 0) throw new Error(`export/import does not know the table(s) ${unknown.join(', ')}: add them to src/db/transfer/tables.ts`);
}

async function exportStore(b: TransferBackend, file: string, onProgress?: TransferProgress): Promise<TransferReport> {
  await checkSchemaCovered(b);
  const writer = await createDumpWriter(file);
  await b.beginRead();
  try {
    const tables: DumpHeader['tables'] = [];
    let embedderId: string | null = null;
    for (const t of TRANSFER_TABLES) {
      const columns = await b.columns(t.name);
      const h = new MultisetHash();
      for await (const batch of b.rows(t, columns)) {
        for (const r of batch) {
          const json = rowJson(r);
          h.add(json);
          await writer.row(t.name, json);
          if (t.name === 'meta' && r[0] === 'embedder_id') embedderId = String(r[1]);
        }
        onProgress?.(t.name, h.count);
      }
      tables.push({ name: t.name, columns, rows: h.count, hash: h.hex() });
    }
    const keyword = keywordHash(await b.keywordOccurrences());
    const header: DumpHeader = {
      format: DUMP_FORMAT,
      version: DUMP_VERSION,
      created_at: new Date().toISOString(),
      from: { backend: b.backend },
      schema_version: await b.schemaVersion(),
      embedder_id: embedderId,
      tables,
      keyword,
      id_high_water: await b.idHighWater(),
    };
    await b.endRead();
    await writer.finish(header);
    return report(
      file,
      b,
      header,
      tables.map(({ name, rows, hash }) => ({ name, rows, hash })),
    );
  } catch (err) {
    writer.abort();
    await b.endRead();
    throw err;
  }
}

async function importDump(b: TransferBackend, file: string, onProgress?: TransferProgress): Promise<TransferReport> {
  await checkSchemaCovered(b);
  const { header, lines } = await openDumpReader(file);
  const version = await b.schemaVersion();
  if (header.schema_version !== version) {
    throw new UserError(
      'bad-input',
      `${file} was exported at schema version ${header.schema_version}, this store is at version ${version}. Import it with the Newsdesk version that wrote it, then upgrade that store (\`npx newsdesk migrate\`) and export again.`,
    );
  }
  const byName = new Map(header.tables.map((t) => [t.name, t]));
  for (const t of TRANSFER_TABLES) {
    const inDump = byName.get(t.name);
    if (!inDump) throw damaged(file, `its header has no table ${t.name}`);
    const here = await b.columns(t.name);
    if (columnsKey(here) !== columnsKey(inDump.columns)) {
      throw new UserError(
        'bad-input',
        `${file}: table ${t.name} has the columns (${columnsKey(inDump.columns)}) in the dump but (${columnsKey(here)}) in this store, at the same schema version. The dump was not written by Newsdesk.`,
      );
    }
  }
  for (const name of byName.keys()) if (!TRANSFER_TABLES.some((t) => t.name === name)) throw damaged(file, `its header names an unknown table ${name}`);

  const occupied: string[] = [];
  for (const t of TRANSFER_TABLES) {
    if (t.name === 'meta') continue; // opening a store records its embedder there; no data of its own
    const n = await b.count(t.name);
    if (n > 0) occupied.push(`${t.name}: ${n}`);
  }
  if (occupied.length > 0) {
    const fix =
      b.backend === 'sqlite' ? 'Set NEWSDESK_DATA_DIR to a new, empty directory' : 'Point NEWSDESK_DATABASE_URL at a new, empty database (createdb newsdesk2)';
    throw new UserError(
      'bad-input',
      `The store ${b.location} is not empty (${occupied.join(', ')}); an import never merges into or overwrites a store. ${fix} and run the import again.`,
    );
  }

  const seen = new Map<string, MultisetHash>(TRANSFER_TABLES.map((t) => [t.name, new MultisetHash()]));
  await b.beginWrite();
  try {
    await b.clear('meta');
    let batch: CanonicalValue[][] = [];
    let batchTable = '';
    let total = 0;
    const order = TRANSFER_TABLES.map((t) => t.name);
    let at = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await b.insert(batchTable, byName.get(batchTable)!.columns, batch);
      onProgress?.(batchTable, seen.get(batchTable)!.count);
      batch = [];
    };
    let n = 1;
    let endRows: number | null = null;
    for await (const line of lines) {
      n++;
      if (line.kind === 'end') {
        endRows = line.rows;
        continue;
      }
      const spec = byName.get(line.table);
      if (!spec) throw damaged(file, `line ${n} is a row of an unknown table ${line.table}`);
      if (line.table !== batchTable) {
        await flush();
        const idx = order.indexOf(line.table);
        if (idx < at) throw damaged(file, `line ${n}: rows of ${line.table} after those of ${order[at]}`);
        at = idx;
        batchTable = line.table;
      }
      checkValues(file, n, spec.columns, line.values);
      seen.get(line.table)!.add(rowJson(line.values));
      batch.push(line.values);
      total++;
      if (batch.length >= 1000) await flush();
    }
    await flush();
    if (endRows !== total) throw damaged(file, `its end line counts ${endRows} rows but it holds ${total}`);
    for (const t of header.tables) {
      const h = seen.get(t.name)!;
      if (h.count !== t.rows || h.hex() !== t.hash) {
        throw damaged(file, `table ${t.name} holds ${h.count} rows (hash ${h.hex()}) but its header says ${t.rows} (hash ${t.hash})`);
      }
    }
    await b.rebuildKeywords();
    await b.setIdHighWater(header.id_high_water);

    // Read everything back from the store, as an export would, and compare with the dump.
    const stored: TableFigures[] = [];
    const problems: string[] = [];
    for (const t of TRANSFER_TABLES) {
      const h = new MultisetHash();
      for await (const rows of b.rows(t, byName.get(t.name)!.columns)) for (const r of rows) h.add(rowJson(r));
      const want = byName.get(t.name)!;
      stored.push({ name: t.name, rows: h.count, hash: h.hex() });
      if (h.count !== want.rows || h.hex() !== want.hash) problems.push(`${t.name}: ${h.count} rows, hash ${h.hex()} (dump: ${want.rows}, ${want.hash})`);
    }
    const keyword = keywordHash(await b.keywordOccurrences());
    if (keyword.hash !== header.keyword.hash || keyword.tokens !== header.keyword.tokens) {
      problems.push(
        `keyword index: ${keyword.terms} terms, ${keyword.tokens} tokens, hash ${keyword.hash} (dump: ${header.keyword.terms}, ${header.keyword.tokens}, ${header.keyword.hash})`,
      );
    }
    const marks = await b.idHighWater();
    for (const name of NEVER_REUSED_IDS) {
      const want = header.id_high_water[name] ?? 0;
      if ((marks[name] ?? 0) < want) problems.push(`${name}: new ids would start after ${marks[name] ?? 0}, but the dump's store had handed out ${want}`);
    }
    if (problems.length > 0) {
      throw new Error(`import into ${b.location} does not match ${path.basename(file)}, rolled back:\n  ${problems.join('\n  ')}`);
    }
    await b.commit();
    return report(file, b, header, stored, keyword);
  } catch (err) {
    await b.rollback();
    throw err;
  }
}

function checkValues(file: string, n: number, columns: readonly ColumnSpec[], values: readonly CanonicalValue[]): void {
  if (values.length !== columns.length) throw damaged(file, `line ${n} has ${values.length} values for ${columns.length} columns`);
  values.forEach((v, i) => {
    if (v === null) return;
    const kind = columns[i]!.kind;
    const ok = kind === 'integer' ? Number.isSafeInteger(v) : kind === 'real' ? typeof v === 'number' : typeof v === 'string';
    if (!ok) throw damaged(file, `line ${n}: column ${columns[i]!.name} holds ${JSON.stringify(v)}, not ${kind === 'blob' ? 'base64 text' : kind}`);
  });
}

function columnsKey(cols: readonly ColumnSpec[]): string {
  return cols.map((c) => `${c.name} ${c.kind}`).join(', ');
}

function report(file: string, b: TransferBackend, header: DumpHeader, tables: TableFigures[], keyword = header.keyword): TransferReport {
  return { file, backend: b.backend, location: b.location, schemaVersion: header.schema_version, embedderId: header.embedder_id, tables, keyword };
}
