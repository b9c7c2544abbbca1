import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { createPollScheduler } from '../sources/poll-scheduler.ts';
import { openApp } from '../app.ts';
import { startBot } from '../discord/bot.ts';
import { commands, components } from '../../commands/index.ts';

/**
 * `npm start` with a token: runs the bot until SIGINT or SIGTERM, then shuts down gracefully
 * (in-flight answers finish or are told we stopped, the store is closed). Resolves with the exit code.
 */
export async function runBot(config: Config, logger: Logger): Promise<number> {
  const bot = await startBot(config, logger, {
    commands,
    components,
    core: async () => {
      const app = await openApp(config, { logger: logger.child({ module: 'core' }) });
      // Build the in-memory keyword index before the first question rather than during it.
      app.warmUp();
      return app;
    },
    services: (core) => [createPollScheduler(core, config, logger)] });
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
  return 0;
}
