import type { CliCommand } from '../cli-command.ts';
import { createProgress, formatElapsed } from '../progress.ts';
import { withCore } from '../with-core.ts';

export const reindexCommand: CliCommand = {
  name: 'reindex',
  summary: 'Re-embed every chunk with the configured embedder and rebuild the index.',
  help: `Usage: newsdesk reindex

Re-embeds every stored chunk with the configured embedder (NEWSDESK_EMBEDDER) and rebuilds the
vector index from scratch. Run it after changing the embedder; it can take a while on a big store.

Options:
  -v, --verbose   Log at info level on stderr.
  -h, --help      Show this help.`,
  async run({ config, logger, out }) {
    return withCore(
      config,
      logger,
      async (nd) => {
        const progress = createProgress(process.stderr);
        const r = await nd.reindex((done, total) => progress.update(`re-embedded ${done}/${total} chunks`));
        progress.done();
        out(`Re-embedded ${r.chunks} chunks with ${nd.embedderId}; index rebuilt in ${formatElapsed(progress.elapsedMs())}.`);
        return 0;
      },
      { allowEmbedderChange: true },
    );
  },
};
