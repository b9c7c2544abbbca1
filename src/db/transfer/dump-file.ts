import fs from 'node:fs';
import { once } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { UserError } from '../../errors.ts';

/**
 * The dump format (`newsdesk export`): gzip-compressed JSON lines. Line 1 is the header (schema
 * version, embedder, per-table columns, row counts and content hashes, keyword-index hash, id
 * high-water marks); then one line per row, `{"t": table, "r": [values in column order]}`, tables
 * in load order; the last line is `{"end": true, "rows": N}`, so a dump cut at any byte is noticed.
 * The header is written last and stored first: a separate gzip member ahead of the rows (gzip
 * readers concatenate members).
 */
export const DUMP_FORMAT = 'newsdesk-dump';
export const DUMP_VERSION = 1;

const column = z.object({ name: z.string(), kind: z.enum(['integer', 'real', 'text', 'blob']) });
export const headerSchema = z.object({
  format: z.literal(DUMP_FORMAT),
  version: z.literal(DUMP_VERSION),
  created_at: z.string(),
  from: z.object({ backend: z.enum(['sqlite', 'postgres']) }),
  schema_version: z.number().int(),
  embedder_id: z.string().nullable(),
  tables: z.array(z.object({ name: z.string(), columns: z.array(column), rows: z.number().int().min(0), hash: z.string() })),
  keyword: z.object({ terms: z.number().int(), tokens: z.number().int(), hash: z.string() }),
  id_high_water: z.record(z.string(), z.number().int()),
});
export type DumpHeader = z.infer<typeof headerSchema>;

const rowLine = z.object({ t: z.string(), r: z.array(z.union([z.number(), z.string(), z.null()])) });
const endLine = z.object({ end: z.literal(true), rows: z.number().int() });

/** Writes rows to a temporary body file; `finish(header)` puts the header in front and renames into place. */
export async function createDumpWriter(file: string) {
  const bodyTmp = `${file}.rows.tmp`;
  const gz = createGzip({ level: 6 });
  const out = fs.createWriteStream(bodyTmp);
  gz.pipe(out);
  const closed = once(out, 'close');
  let buffered: string[] = [];
  let size = 0;
  let rows = 0;
  const flush = async () => {
    if (buffered.length === 0) return;
    const chunk = buffered.join('');
    buffered = [];
    size = 0;
    if (!gz.write(chunk)) await once(gz, 'drain');
  };
  return {
    async row(table: string, json: string): Promise<void> {
      const line = `{"t":${JSON.stringify(table)},"r":${json}}\n`;
      buffered.push(line);
      size += line.length;
      rows++;
      if (size > 1 << 20) await flush();
    },
    async finish(header: DumpHeader): Promise<void> {
      buffered.push(`${JSON.stringify({ end: true, rows })}\n`);
      await flush();
      gz.end();
      await closed;
      const tmp = `${file}.tmp`;
      fs.writeFileSync(tmp, gzipSync(`${JSON.stringify(header)}\n`));
      const append = fs.createWriteStream(tmp, { flags: 'a' });
      fs.createReadStream(bodyTmp).pipe(append);
      await once(append, 'close');
      fs.rmSync(bodyTmp);
      fs.renameSync(tmp, file);
    },
    abort(): void {
      gz.destroy();
      out.destroy();
      fs.rmSync(bodyTmp, { force: true });
      fs.rmSync(`${file}.tmp`, { force: true });
    },
  };
}

export type DumpLine = { kind: 'row'; table: string; values: Array<number | string | null> } | { kind: 'end'; rows: number };

/** Reads a dump: its header at once, then its lines. Damage of any kind is a UserError naming the file and the line. */
export async function openDumpReader(file: string): Promise<{ header: DumpHeader; lines: AsyncGenerator<DumpLine> }> {
  if (!fs.existsSync(file)) throw new UserError('not-found', `The dump ${file} does not exist.`);
  const raw = rawLines(file);
  const first = await raw.next();
  if (first.done) throw damaged(file, 'it is empty');
  const header = parseHeader(file, first.value.text);
  async function* lines(): AsyncGenerator<DumpLine> {
    let ended = false;
    for await (const { text, n } of raw) {
      if (ended) throw damaged(file, `line ${n} follows the end line`);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw damaged(file, `line ${n} is not valid JSON`);
      }
      const row = rowLine.safeParse(json);
      if (row.success) {
        yield { kind: 'row', table: row.data.t, values: row.data.r };
        continue;
      }
      const end = endLine.safeParse(json);
      if (!end.success) throw damaged(file, `line ${n} is neither a row nor the end line`);
      ended = true;
      yield { kind: 'end', rows: end.data.rows };
    }
    if (!ended) throw damaged(file, 'it has no end line (truncated?)');
  }
  return { header, lines: lines() };
}

function parseHeader(file: string, text: string): DumpHeader {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw damaged(file, 'its first line is not JSON');
  }
  if ((json as { format?: unknown } | null)?.format !== DUMP_FORMAT) {
    throw new UserError('bad-input', `${file} is not a Newsdesk dump (write one with \`npx newsdesk export --out FILE\`).`);
  }
  const parsed = headerSchema.safeParse(json);
  if (!parsed.success) {
    const version = (json as { version?: unknown }).version;
    if (version !== DUMP_VERSION) {
      throw new UserError('bad-input', `${file} is a dump of format version ${String(version)}; this Newsdesk reads version ${DUMP_VERSION}.`);
    }
    throw damaged(file, `its header is malformed (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''})`);
  }
  return parsed.data;
}

export function damaged(file: string, why: string): UserError {
  return new UserError('bad-input', `The dump ${file} is damaged: ${why}. Nothing was imported; export it again.`);
}

async function* rawLines(file: string): AsyncGenerator<{ text: string; n: number }> {
  const gunzip = createGunzip();
  const input = fs.createReadStream(file);
  input.on('error', (err) => gunzip.destroy(err));
  input.pipe(gunzip);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let n = 0;
  try {
    for await (const chunk of gunzip) {
      rest += decoder.write(chunk as Buffer);
      let at = rest.indexOf('\n');
      while (at >= 0) {
        const text = rest.slice(0, at);
        rest = rest.slice(at + 1);
        n++;
        yield { text, n };
        at = rest.indexOf('\n');
      }
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'Z_DATA_ERROR' && n === 0) throw new UserError('bad-input', `${file} is not a Newsdesk dump (not gzip-compressed).`, { cause: err });
    if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR') throw damaged(file, `it is cut off or corrupt after line ${n} (${(err as Error).message})`);
    throw err;
  } finally {
    input.destroy();
  }
  rest += decoder.end();
  if (rest.length > 0) throw damaged(file, `its last line ${n + 1} is incomplete`);
}
