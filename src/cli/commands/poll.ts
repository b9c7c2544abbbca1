import type { CliCommand } from '../cli-command.ts';
import { formatElapsed, plural } from '../progress.ts';
import { withCore } from '../with-core.ts';

export const pollCommand: CliCommand = {
  name: 'poll',
  summary: 'Poll the tracked feeds and pages without Discord (until stopped, or --once).',
  help: `Usage: newsdesk poll [--once]

Runs the poll scheduler without Discord: every enabled feed or page source is polled on its interval
(NEWSDESK_POLL_INTERVAL_MIN, or its own), with back-off and pausing as under the bot. Runs until
Ctrl-C / SIGTERM; logs one JSON line per poll on stderr (info level). The bot polls by itself: do not
run both on the same data dir.

Options:
  --once          Poll what is due now, print a summary, and exit (for cron or a systemd timer).
  -v, --verbose   Log at info level on stderr.
  -h, --help      Show this help.`,
  options: { once: { type: 'boolean' } },
  defaultLogLevel: () => 'info',
  async run({ values, config, logger, out }) {
    const { createPollScheduler } = await import('../../sources/poll-scheduler.ts');
    return withCore(config, logger, async (nd) => {
      const scheduler = createPollScheduler(nd, config, logger);
      const tracked = nd.sources.list().filter((s) => s.kind !== 'file' && s.enabled).length;
      if (values.once) {
        const started = performance.now();
        const s = await scheduler.pollDue();
        out(
          `Polled ${plural(s.polled, 'source')} of ${tracked} tracked in ${formatElapsed(performance.now() - started)}: ${plural(s.added, 'new article')}, ${s.updated} updated, ${s.notModified} not modified, ${s.failed} failed.`,
        );
        for (const r of s.results.filter((x) => !x.ok)) out(`  #${r.sourceId} ${r.host}: ${r.error}${r.paused ? ' (now paused)' : ''}`);
        return s.failed > 0 ? 1 : 0;
      }
      out(`Polling ${plural(tracked, 'tracked source')} from ${config.dataDir}; Ctrl-C to stop.`);
      scheduler.start();
      // The scheduler's timer does not keep the process alive (it is unref'd for the bot); this does.
      const keepAlive = setInterval(() => undefined, 1 << 30);
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      clearInterval(keepAlive);
      logger.info('stopping the poller', { signal });
      await scheduler.stop();
      return 0;
    });
  },
};
