import type { CliCommand } from '../cli-command.ts';
import { plural } from '../progress.ts';
import { withCore } from '../with-core.ts';

export const startCommand: CliCommand = {
  name: 'start',
  summary: 'With DISCORD_TOKEN: run the Discord bot. Without: a console chat (piped stdin works).',
  help: `Usage: newsdesk start        (npm start)

With DISCORD_TOKEN set: connects to Discord, registers the slash commands if they changed, polls the
tracked sources, and answers until Ctrl-C / SIGTERM. Logs are JSON lines on stderr (info level).

Without a token: a console chat on stdin ("help", "quit"); tracked feeds are polled in the background
while it runs. Piped input is answered line by line: echo "question" | npm start

On the first start with an empty store, data/seed/ is ingested once as a demo source
(NEWSDESK_SEED=false skips it).

Options:
  -v, --verbose   Log at info level on stderr (console mode logs warnings only by default).
  -h, --help      Show this help.`,
  defaultLogLevel: ({ config }) => (config.discord.token ? 'info' : 'warn'),
  async run({ config, logger, note }) {
    if (config.discord.token) {
      const { runBot } = await import('../run-bot.ts');
      return runBot(config, logger);
    }
    const [{ createPollScheduler }, { whileLeader }, { describeSeed, seedIfEmpty }, { runConsole }] = await Promise.all([
      import('../../sources/poll-scheduler.ts'),
      import('../../sources/while-leader.ts'),
      import('../../sources/seed.ts'),
      import('../console-chat.ts'),
    ]);
    return withCore(config, logger, async (nd) => {
      const seeded = await seedIfEmpty(nd, { enabled: config.seed });
      const seedLine = describeSeed(seeded, config.dataDir);
      if (seedLine) note(seedLine);
      const tracked = nd.sources.list().filter((s) => s.kind !== 'file' && s.enabled).length;
      note(
        `Newsdesk console chat on ${config.dataDir} (${plural(nd.stats().articles, 'article')}${tracked ? `; polling ${plural(tracked, 'tracked source')} in the background` : ''}). ` +
          `No DISCORD_TOKEN is set; to connect a Discord bot, see README "Connect to Discord".`,
      );
      // Feeds stay fresh while the chat is open, as they would under the bot (if this process leads).
      const scheduler = whileLeader(nd.openLeadership(), () => [createPollScheduler(nd, config, logger)], logger);
      scheduler.start();
      // A long-running process: also follows what other processes (e.g. `newsdesk ingest`) add.
      nd.warmUp();
      try {
        return await runConsole(nd, process.stdin, process.stdout);
      } finally {
        await scheduler.stop();
      }
    });
  },
};
