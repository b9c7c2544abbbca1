import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { createPollScheduler } from '../sources/poll-scheduler.ts';
import { describeSeed, seedIfEmpty } from '../sources/seed.ts';
import { openApp } from '../app.ts';
import { startBot } from '../discord/bot.ts';
import { inviteUrl } from '../discord/startup-errors.ts';
import { commands, components } from '../../commands/index.ts';

/**
 * `npm start` with a token: seeds an empty store, connects, prints one human line, and runs the bot
 * until SIGINT or SIGTERM, then shuts down gracefully (in-flight answers finish or are told we
 * stopped, the store is closed). Start-up failures reject with a `UserError` that says what to do.
 * Resolves with the exit code.
 */
export async function runBot(config: Config, logger: Logger, out: (line: string) => void = (l) => process.stdout.write(l + '\n')): Promise<number> {
  const bot = await startBot(config, logger, {
    commands,
    components,
    core: async () => {
      const app = await openApp(config, { logger: logger.child({ module: 'core' }) });
      try {
        const line = describeSeed(await seedIfEmpty(app, { enabled: config.seed }), config.dataDir);
        if (line) out(line);
      } catch (err) {
        await app.close();
        throw err;
      }
      // Build the in-memory keyword index before the first question rather than during it.
      app.warmUp();
      return app;
    },
    services: (core) => [createPollScheduler(core, config, logger)],
  });
  const c = bot.client;
  const servers = c.guilds.cache.size;
  out(`Logged in as ${c.user.tag} in ${servers} ${servers === 1 ? 'server' : 'servers'} — invite: ${inviteUrl(config.discord.clientId ?? c.application.id)}`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  logger.info('shutting down', { signal });
  // A second signal while we drain means "now": leave at once.
  const force = () => {
    logger.warn('second signal: exiting without a clean shutdown');
    process.exit(130);
  };
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
  await bot.stop();
  // Everything is closed; a fetch still in flight (an abandoned poll) must not keep the process up.
  setTimeout(() => process.exit(0), 1000).unref();
  return 0;
}
