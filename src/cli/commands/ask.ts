import { UserError } from '../../errors.ts';
import type { CliCommand } from '../cli-command.ts';
import { formatAnswer } from '../format.ts';
import { parseDay, parseId, parseSince, parseWhole } from '../parse-values.ts';
import { withCore } from '../with-core.ts';

export const askCommand: CliCommand = {
  name: 'ask',
  summary: 'Answer a question from the tracked news, with numbered citations.',
  help: `Usage: newsdesk ask [options] "question"

Answers from the articles in the store, citing them as [1], [2]…

Options:
  --json               One JSON object (question, answer, citations, grounded, timings_ms, passages).
  --k N                Passages to retrieve, 1–50 (default 5).
  --as-of YYYY-MM-DD   Answer as of that day: later articles are invisible.
  --since DATE|7d|2w   Only articles published since then (relative to --as-of or today).
  --source ID          Only this source (repeatable; ids from "newsdesk sources list").
  --guild ID           Only what this Discord server sees (its sources plus global ones).
  -v, --verbose        Log at info level on stderr.
  -h, --help           Show this help.

Example:
  newsdesk ask "What did Lavrov say about a new US ambassador?"`,
  positionals: true,
  options: {
    json: { type: 'boolean' },
    k: { type: 'string' },
    'as-of': { type: 'string' },
    since: { type: 'string' },
    source: { type: 'string', multiple: true },
    guild: { type: 'string' },
  },
  async run({ values, positionals, config, logger, out }) {
    const k = values.k === undefined ? 5 : parseWhole(String(values.k), '--k', 1, 50);
    const asOf = values['as-of'] ? parseDay(String(values['as-of']), '--as-of') : undefined;
    const since = values.since ? parseSince(String(values.since), asOf) : undefined;
    const sourceIds = (values.source as string[] | undefined)?.map((s) => parseId(s, '--source'));
    return withCore(
      config,
      logger,
      async (nd) => {
        for (const id of sourceIds ?? []) {
          if (!nd.sources.get(id)) throw new UserError('usage', `--source ${id}: there is no source with that id (see "newsdesk sources list").`);
        }
        const result = await nd.ask(positionals.join(' '), {
          k,
          asOf,
          since,
          sourceIds,
          guildId: values.guild as string | undefined,
          withPassages: values.json === true,
        });
        out(values.json ? JSON.stringify(result) : formatAnswer(result));
        return 0;
        // Read-only: never rewrites the index file (another process may be writing it).
      },
      { readOnly: true },
    );
  },
};
