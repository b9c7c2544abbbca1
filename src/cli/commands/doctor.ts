import type { CliCommand } from '../cli-command.ts';
import type { Check } from '../doctor-checks.ts';

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'Check the setup: data dir, configuration, store and index, sources, Discord.',
  help: `Usage: newsdesk doctor [--json]

Shows the data dir in use (absolute path) and the .env read, a configuration summary (keys are
shown as set or not set, never their values), store counts and index health, failing or paused
sources, and — when DISCORD_TOKEN is set — whether Discord is reachable and the token valid. Each
problem comes with its fix. Exit code 1 when there is a problem.

Options:
  --json          { "ok": bool, "checks": [{ "name", "ok", "detail", "fix"? }] }
  -v, --verbose   Log at info level on stderr.
  -h, --help      Show this help.`,
  options: { json: { type: 'boolean' } },
  async run({ values, config, logger, out }) {
    const { configChecks, discordChecks, storeChecks } = await import('../doctor-checks.ts');
    const checks: Check[] = [...configChecks(config), ...(await storeChecks(config, logger)), ...(await discordChecks(config))];
    const problems = checks.filter((c) => !c.ok);
    if (values.json) {
      out(JSON.stringify({ ok: problems.length === 0, checks }));
    } else {
      for (const c of checks) {
        out(`${c.ok ? 'ok ' : 'BAD'}  ${c.name}: ${c.detail}`);
        if (c.fix) out(`     fix: ${c.fix}`);
      }
      out(problems.length === 0 ? 'No problems found.' : `${problems.length} ${problems.length === 1 ? 'problem' : 'problems'} found.`);
    }
    return problems.length === 0 ? 0 : 1;
  },
};
