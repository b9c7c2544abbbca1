import type { CliCommand } from '../cli-command.ts';

/** Commands that parse their own options (their modules are loaded only when used: they are big). */
export const evalCommand: CliCommand = {
  name: 'eval',
  summary: 'Measure answer quality on a question set (see README, "Measuring it").',
  help: `Usage: newsdesk eval --corpus FILE --questions FILE [options]

Ingests the corpus into a fresh temporary data dir and asks every question as of its week.

Options:
  --corpus FILE        JSONL (or .jsonl.gz) articles.
  --questions FILE     JSONL (or .jsonl.gz) questions.
  --k N                Passages per question, 1–10 (default 5).
  --limit N            Only the first N questions.
  --config A,B|all     Configurations to compare (default: the main ones).
  --json               One JSON object instead of a Markdown table.
  --out DIR            Also write the report files there.
  --keep-data          Keep the temporary data dir; --reuse-data DIR scores again on it.
  --quiet              No progress on stderr.
  -h, --help           Show this help.`,
  ownParser: true,
  async run({ args, config, logger }) {
    const { evalCommand: run } = await import('../../eval/eval-command.ts');
    return run(args, config, logger);
  },
};

export const evalFitCommand: CliCommand = {
  name: 'eval-fit',
  summary: 'Fit the answerer\'s sentence model on an eval store (README, "Measuring it").',
  help: `Usage: newsdesk eval-fit --reuse-data DIR --questions FILE [options]

Reads every question's evidence through the answerer's own path on a store that
"newsdesk eval --keep-data" built, fits the sentence model (does this sentence contain the answer?),
and prints its weights with figures for each half of the weeks scored by a model fitted on the other.

Options:
  --reuse-data DIR     The eval store.
  --questions FILE     JSONL (or .jsonl.gz) questions.
  --k N                Passages per question, 1–10 (default 5).
  --json               One JSON object.
  --quiet              No progress on stderr.
  -h, --help           Show this help.`,
  ownParser: true,
  async run({ args, config, logger }) {
    const { evalFitCommand: run } = await import('../../eval/eval-fit-command.ts');
    return run(args, config, logger);
  },
};

export const evalAlertsCommand: CliCommand = {
  name: 'eval-alerts',
  summary: 'Measure precision and recall of topic alerts on a labelled corpus slice.',
  help: `Usage: newsdesk eval-alerts --corpus FILE --labels FILE [--threshold X] [--lead-chars N] [--lead-credit X] [--json]

Precision and recall of topic alerts on a labelled slice of a corpus (README, "Alert quality").

Options:
  --corpus FILE      JSONL (or .jsonl.gz) articles.
  --labels FILE      The labelled topics (JSON with "slice" and "topics").
  --threshold X      Alert threshold in (0, 1].
  --lead-chars N     Characters of the article lead the matcher weighs (see README, "Alert quality").
  --lead-credit X    Credit given to a match in the lead only.
  --json             One JSON object instead of a table.
  -h, --help         Show this help.`,
  ownParser: true,
  async run({ args }) {
    const { evalAlertsCommand: run } = await import('../../eval/eval-alerts-command.ts');
    return run(args);
  },
};

export const benchCommand: CliCommand = {
  name: 'bench',
  summary: 'Measure ingest speed, latency and memory at growing sizes (npm run bench).',
  help: `Usage: newsdesk bench [options]

Options:
  --quick                A short run (writes quick.json / quick.svg).
  --sizes 10000,50000    Index sizes in chunks.
  --queries N            Questions per size.
  --corpus FILE          Articles (default: the RealTime QA dev split in ../shared/eval).
  --questions FILE       Questions (same default).
  --out DIR              Where results go (default bench/results).
  --keep-data            Keep the temporary data dir.
  --backend postgres     Measure SQLite, then PostgreSQL, in one run (writes backends.json): the
                         database of NEWSDESK_DATABASE_URL (an empty scratch database), or else a
                         throwaway cluster started and stopped by the bench (Debian's postgresql).
  -h, --help             Show this help.`,
  ownParser: true,
  async run({ args, config, logger }) {
    const { benchCommand: run } = await import('../../bench/bench-command.ts');
    return run(args, config, logger);
  },
};

export const deployCommandsCommand: CliCommand = {
  name: 'deploy-commands',
  summary: 'Register (overwrite) the slash commands with Discord.',
  help: `Usage: newsdesk deploy-commands

Registers the slash commands: in DISCORD_GUILD_ID when it is set (instant), otherwise globally.
Needs DISCORD_TOKEN and DISCORD_CLIENT_ID (see README, "Connect to Discord").

Options:
  -v, --verbose   Log at info level on stderr.
  -h, --help      Show this help.`,
  async run({ config, logger }) {
    const { deployCommandsCommand: run } = await import('../deploy-commands.ts');
    return run(config, logger);
  },
};
