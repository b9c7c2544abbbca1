import type { CliCommand } from '../cli-command.ts';
import { plural } from '../progress.ts';
import { withCore } from '../with-core.ts';

export const statsCommand: CliCommand = {
  name: 'stats',
  summary: 'Counts of sources, articles, chunks and index vectors, and the data dir in use.',
  help: `Usage: newsdesk stats [--json]

Prints the data dir in use and the counts of sources, articles, chunks and index vectors.

Options:
  --json          { "sources", "articles", "chunks", "index": { "vectors", "embedder", "dim" }, "data_dir" }
  -v, --verbose   Log at info level on stderr.
  -h, --help      Show this help.`,
  options: { json: { type: 'boolean' } },
  async run({ values, config, logger, out }) {
    return withCore(
      config,
      logger,
      async (nd) => {
        const s = nd.stats();
        if (values.json) out(JSON.stringify({ ...s, data_dir: config.dataDir }));
        else {
          out(`Data dir: ${config.dataDir}`);
          out(
            `${plural(s.sources, 'source')} · ${plural(s.articles, 'article')} · ${plural(s.chunks, 'chunk')} · ${plural(s.index.vectors, 'vector')} (${s.index.embedder}, ${s.index.dim}-d)`,
          );
        }
        return 0;
        // Read-only: never rewrites the index file (another process may be writing it).
      },
      { readOnly: true },
    );
  },
};
