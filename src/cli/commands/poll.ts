import type { CliCommand } from '../cli-command.ts';
import { formatElapsed, plural } from '../progress.ts';
import { withCore } from '../with-core.ts';

export const pollCommand: CliCommand = {
  name: 'poll',
  summary: 'Poll the tracked feeds and pages without Discord (until stopped, or --once).',
  help: `Usage: newsdesk poll [--once]

Runs the poll scheduler without Discord: every enabled feed or page source is polled on its interval
(NEWSDESK_POLL_INTERVAL_MIN, or its own), with back-off and pausing as under the bot. Runs until
Ctrl-C / SIGTERM; logs one JSON line per poll on stderr (info level). Processes on one store elect one
leader (a lock): only the leader polls; this one stands by while another process (a bot, another poll)
leads, and takes over within seconds when that one stops or dies.

Options:
  --once          Poll what is due now, print a summary, and exit (for cron or a systemd timer);
                  when another process is the leader it polls, and this exits 0 without polling.
  -v, --verbose   Log at info level on stderr.
  -h, --help      Show this help.`,
  options: { once: { type: 'boolean' } },
  defaultLogLevel: () => 'info',
  async run({ values, config, logger, out }) {
    const [{ createPollScheduler }, { whileLeader }] = await Promise.all([import('../../sources/poll-scheduler.ts'), import('../../sources/while-leader.ts')]);
    return withCore(config, logger, async (nd) => {
      const tracked = nd.sources.list().filter((s) => s.kind !== 'file' && s.enabled).length;
      const leadership = nd.openLeadership();
      await leadership.ready();
      if (values.once) {
        if (!leadership.isLeader()) {
          await leadership.stop();
          out(`Not polling: another process on this store is the leader and polls the ${plural(tracked, 'tracked source')} itself.`);
          return 0;
        }
        const scheduler = createPollScheduler(nd, config, logger);
        const started = performance.now();
        const s = await scheduler.pollDue().finally(() => leadership.stop());
        out(
          `Polled ${plural(s.polled, 'source')} of ${tracked} tracked in ${formatElapsed(performance.now() - started)}: ${plural(s.added, 'new article')}, ${s.updated} updated, ${s.notModified} not modified, ${s.failed} failed.`,
        );
        for (const r of s.results.filter((x) => !x.ok)) out(`  #${r.sourceId} ${r.host}: ${r.error}${r.paused ? ' (now paused)' : ''}`);
        return s.failed > 0 ? 1 : 0;
      }
      out(
        `Polling ${plural(tracked, 'tracked source')} from ${config.dataDir}${leadership.isLeader() ? '' : ' once the current leader stops (another process polls now)'}; Ctrl-C to stop.`,
      );
      const scheduler = whileLeader(leadership, () => [createPollScheduler(nd, config, logger)], logger);
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
