import path from 'node:path';
import type { TransferReport } from '../../db/transfer/transfer.ts';
import { UserError } from '../../errors.ts';
import type { CliCommand, CliContext } from '../cli-command.ts';
import { createProgress, formatElapsed, plural } from '../progress.ts';
import { withCore } from '../with-core.ts';

const STORE_NOTE = `The store is the configured one: PostgreSQL when NEWSDESK_DATABASE_URL is set, else SQLite under
NEWSDESK_DATA_DIR (default data/).`;

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'Write the whole store (articles, chunks with vectors, sources, watches, logs) to a dump file.',
  help: `Usage: newsdesk export --out FILE [--json]

Writes the configured store to FILE (gzip JSON lines, replaced atomically), from one consistent
snapshot: articles with their aliases, source links and versions, chunks with their vectors,
sources, watches with their alerts and muted stories, digests, the questions/feedback log,
channel settings and meta. The header records the schema version, the embedder, and per table
the row count and a content hash; "newsdesk import FILE" loads it into another (empty) store and
checks each of them. Keyword tokens are not dumped: the import rebuilds them from the text.
${STORE_NOTE}

Options:
  --out FILE      Where to write the dump (e.g. newsdesk.dump.jsonl.gz).
  --json          Print the per-table figures as JSON.
  -v, --verbose   Log at info level on stderr.
  -h, --help      Show this help.`,
  options: { out: { type: 'string' }, json: { type: 'boolean' } },
  async run(ctx) {
    const file = ctx.values.out;
    if (typeof file !== 'string' || file === '') throw new UserError('usage', 'newsdesk export needs --out FILE (where to write the dump).');
    const { openStoreTransfer } = await import('../../app.ts');
    const transfer = await openStoreTransfer(ctx.config);
    try {
      const r = await withProgress(ctx, 'exported', (p) => transfer.exportTo(path.resolve(file), p));
      print(ctx, r, 'exported');
      return 0;
    } finally {
      await transfer.close();
    }
  },
};

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'Load a dump written by "newsdesk export" into the configured (empty) store, verified by counts and hashes.',
  help: `Usage: newsdesk import FILE [--json]

Loads a dump written by "newsdesk export" into the configured store, which must be empty (an
import never merges or overwrites). Everything happens in one transaction: the rows, the keyword
tokens rebuilt from the text, the id sequences (new ids continue after the dump's); then every
table is read back and its row count and content hash compared with the dump's. A damaged or
truncated dump, or any difference, rolls it all back and exits 1. Afterwards the vector index is
rebuilt from the stored vectors (no re-embedding); if the dump was embedded with another embedder
than the configured one, "newsdesk reindex" is needed first, as it says.
${STORE_NOTE}

Options:
  --json          Print the per-table figures as JSON.
  -v, --verbose   Log at info level on stderr.
  -h, --help      Show this help.`,
  options: { json: { type: 'boolean' } },
  positionals: true,
  async run(ctx) {
    const [file, ...extra] = ctx.positionals;
    if (!file || extra.length > 0) throw new UserError('usage', 'newsdesk import takes one dump file: newsdesk import FILE');
    const { openStoreTransfer } = await import('../../app.ts');
    const transfer = await openStoreTransfer(ctx.config);
    let r: TransferReport;
    try {
      r = await withProgress(ctx, 'imported', (p) => transfer.importFrom(path.resolve(file), p));
    } finally {
      await transfer.close();
    }
    print(ctx, r, 'imported');
    // Opening the App reconciles the vector index with the store: it adds every imported vector.
    const t = performance.now();
    await withCore(ctx.config, ctx.logger, async (nd) => {
      const s = nd.stats();
      ctx.note(`Vector index rebuilt from the stored vectors: ${plural(s.index.vectors, 'vector')} (${formatElapsed(performance.now() - t)}).`);
    });
    return 0;
  },
};

async function withProgress<T>(ctx: CliContext, verb: string, fn: (p: (table: string, rows: number) => void) => Promise<T>): Promise<T> {
  const progress = createProgress(process.stderr);
  try {
    return await fn((table, rows) => progress.update(`${verb} ${rows} rows of ${table}`));
  } finally {
    progress.done();
    ctx.logger.info(`${verb} in ${formatElapsed(progress.elapsedMs())}`);
  }
}

function print(ctx: CliContext, r: TransferReport, verb: 'exported' | 'imported'): void {
  if (ctx.values.json) {
    ctx.out(JSON.stringify(r));
    return;
  }
  const where = `${r.backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'} ${r.location}`;
  ctx.out(verb === 'exported' ? `Exported ${where} to ${r.file}` : `Imported ${r.file} into ${where}`);
  ctx.out(`schema version ${r.schemaVersion}, embedder ${r.embedderId ?? '(none)'}`);
  const width = Math.max(...r.tables.map((t) => t.name.length), 'keyword index'.length);
  for (const t of r.tables) ctx.out(`  ${t.name.padEnd(width)}  ${String(t.rows).padStart(9)}  ${t.hash}`);
  ctx.out(`  ${'keyword index'.padEnd(width)}  ${String(r.keyword.tokens).padStart(9)}  ${r.keyword.hash}  (${r.keyword.terms} terms; tokens)`);
  if (verb === 'imported') ctx.out('Every table matches the dump (row counts and content hashes, read back from the store).');
}
