import path from 'node:path';
import { isUserError, UserError } from '../../errors.ts';
import type { SourceResult } from '../../sources/source-service.ts';
import type { CliCommand } from '../cli-command.ts';
import { createProgress, formatElapsed, plural } from '../progress.ts';
import { withCore } from '../with-core.ts';

const SHOWN = 20; // skipped files listed one by one; the rest are counted

export const ingestCommand: CliCommand = {
  name: 'ingest',
  summary: 'Ingest files, folders (.txt .md .html .jsonl[.gz]), article URLs or feeds.',
  help: `Usage: newsdesk ingest [options] <path|url>...

Each file or folder becomes one global source; each URL (article page or feed) becomes a tracked
source that is polled. Bad files in a folder are reported and skipped; the rest are read.

Options:
  --json          One JSON array with a summary per target (and each skipped file).
  --name NAME     Display name for a URL source.
  --guild ID      Track a URL for one Discord server only (default: global).
  -v, --verbose   Log at info level on stderr.
  -h, --help      Show this help.

Files: .txt/.md (first line = title, front matter read), .html/.htm, .jsonl/.jsonl.gz (one article a
line). Larger than NEWSDESK_MAX_FILE_BYTES (5 MB) per article, empty or binary files are skipped.`,
  positionals: true,
  options: { json: { type: 'boolean' }, guild: { type: 'string' }, name: { type: 'string' } },
  async run({ values, positionals, config, logger, out, note }) {
    if (positionals.length === 0) throw new UserError('usage', 'ingest: nothing to ingest; give files, folders or URLs (see newsdesk ingest --help).');
    const json = values.json === true;
    return withCore(config, logger, async (nd) => {
      const progress = createProgress(process.stderr);
      const summary: Array<Record<string, unknown>> = [];
      const totals = { added: 0, updated: 0, unchanged: 0, skipped: 0, chunks: 0 };
      let failed = 0;
      for (const target of positionals) {
        const isUrl = /^https?:\/\//i.test(target);
        try {
          progress.update(`${target}: reading…`);
          const results: SourceResult[] = isUrl
            ? [await nd.sources.addUrl(target, { guildId: (values.guild as string | undefined) ?? null, name: values.name as string | undefined })]
            : await nd.sources.addPath(target, (r, f) =>
                progress.update(`${target}: ${f.done}/${f.total} files · ${plural(r.added, 'article')} added · ${plural(r.chunks, 'chunk')}`),
              );
          progress.done();
          for (const r of results) {
            const skippedFiles = r.files?.skipped ?? [];
            const line = {
              source: r.source.url,
              id: r.removed ? null : r.source.id,
              kind: r.source.kind,
              added: r.report.added,
              updated: r.report.updated,
              unchanged: r.report.unchanged,
              alternates: r.report.alternates,
              skipped: r.report.skipped.length + skippedFiles.length,
              chunks: r.report.chunks,
              ...(r.files ? { files: r.files.total, files_read: r.files.read, skipped_files: skippedFiles, warnings: r.files.warnings } : {}),
            };
            totals.added += line.added;
            totals.updated += line.updated;
            totals.unchanged += line.unchanged;
            totals.skipped += line.skipped;
            totals.chunks += line.chunks;
            summary.push(line);
            if (r.removed) failed++;
            if (json) continue;
            out(
              `${r.source.url}: ${line.added} added, ${line.updated} updated, ${line.unchanged} unchanged, ${line.alternates} duplicates of stored stories, ${line.skipped} skipped (${plural(line.chunks, 'chunk')})`,
            );
            for (const w of r.files?.warnings ?? []) out(`  note: ${shortPath(w.file, target)} ${w.message}`);
            for (const s of skippedFiles.slice(0, SHOWN)) out(`  skipped ${shortPath(s.file, target)}: ${s.reason}`);
            if (skippedFiles.length > SHOWN) out(`  … and ${skippedFiles.length - SHOWN} more skipped files (--json lists them all)`);
            for (const s of r.report.skipped.slice(0, 5)) out(`  skipped ${s.title}: ${s.reason}`);
            if (r.report.skipped.length > 5) out(`  … and ${r.report.skipped.length - 5} more skipped items`);
            if (r.files) out(`  ${fileSummary(r)}`);
          }
        } catch (err) {
          progress.done();
          if (!isUserError(err) || err.code === 'usage') throw err;
          failed++;
          summary.push({ source: target, error: err.message });
          // The message usually names the path already; do not print it twice.
          note(`newsdesk: ${err.message.includes(target) ? err.message : `${target}: ${err.message}`}`);
        }
      }
      if (json) out(JSON.stringify(summary));
      else
        out(
          `Done in ${formatElapsed(progress.elapsedMs())}: ${plural(totals.added, 'article')} added, ${totals.updated} updated, ${totals.unchanged} unchanged, ${totals.skipped} skipped, ${plural(totals.chunks, 'chunk')}.`,
        );
      return failed > 0 ? 1 : 0;
    });
  },
};

function shortPath(file: string, target: string): string {
  const rel = path.relative(path.resolve(target), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

/** "12 files: 10 read, 2 skipped (1 empty, 1 binary)" — or why nothing was kept. */
function fileSummary(r: SourceResult): string {
  const f = r.files!;
  const byKind = new Map<string, number>();
  for (const s of f.skipped) byKind.set(s.skip, (byKind.get(s.skip) ?? 0) + 1);
  const kinds = [...byKind].map(([k, n]) => `${n} ${k.replace(/-/g, ' ')}`).join(', ');
  const head = `${plural(f.total, 'file')}: ${f.read} read, ${f.skipped.length} skipped${kinds ? ` (${kinds})` : ''}`;
  if (f.total === 0) return `${head}. The folder has no files Newsdesk can read; nothing was added.`;
  return r.removed ? `${head}. Nothing could be read, so no source was created.` : `${head}.`;
}
