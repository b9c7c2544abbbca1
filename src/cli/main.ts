import fs from 'node:fs';
import { configSecrets, loadConfig, type Config } from '../config.ts';
import { readEnv } from '../env-file.ts';
import { isUserError } from '../errors.ts';
import { createLogger, createRedactor, type LogLevel } from '../logger.ts';
import type { CliCommand } from './cli-command.ts';
import { parseCommandArgs, toUsageError, wantsHelp } from './parse-cli-args.ts';
import { askCommand } from './commands/ask.ts';
import { benchCommand, deployCommandsCommand, evalAlertsCommand, evalCommand, evalFitCommand } from './commands/delegated.ts';
import { doctorCommand } from './commands/doctor.ts';
import { ingestCommand } from './commands/ingest.ts';
import { pollCommand } from './commands/poll.ts';
import { reindexCommand } from './commands/reindex.ts';
import { sourcesCommand } from './commands/sources.ts';
import { startCommand } from './commands/start.ts';
import { statsCommand } from './commands/stats.ts';
import { insightsCommand } from './commands/insights.ts';
import { exportCommand, importCommand } from './commands/transfer.ts';
import { migrateCommand } from './commands/migrate.ts';

export const COMMANDS: readonly CliCommand[] = [
  startCommand,
  askCommand,
  ingestCommand,
  sourcesCommand,
  pollCommand,
  statsCommand,
  insightsCommand,
  doctorCommand,
  migrateCommand,
  reindexCommand,
  exportCommand,
  importCommand,
  evalCommand,
  evalFitCommand,
  evalAlertsCommand,
  benchCommand,
  deployCommandsCommand,
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return `Usage: newsdesk <command> [options]      (newsdesk <command> --help for its options)

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n')}

Global options:
  -h, --help      Show help (after a command: that command's help).
  --version       Print the version.
  -v, --verbose   Log at info level on stderr (default: warnings only; NEWSDESK_LOG_LEVEL overrides).

Configuration comes from the environment and .env (see .env.example); "newsdesk doctor" shows what is in use.`;
}

function version(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * The `newsdesk` command line. Exit codes: 0 success, 1 bad input or an upstream failure, 2 usage
 * or configuration errors (one line on stderr, never a stack trace).
 */
export async function main(argv: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  const out = (line: string) => void process.stdout.write(line + '\n');
  const note = (line: string) => void process.stderr.write(line + '\n');
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-V') {
    out(`newsdesk ${version()}`);
    return 0;
  }
  if (!first || first === 'help' || first === '--help' || first === '-h') {
    const topic = first === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    out(topic ? topic.help : usage());
    return first ? 0 : 2;
  }
  // `--verbose` may come before the command too.
  const verboseFirst = first === '--verbose' || first === '-v';
  const [name, ...args] = verboseFirst ? rest : [first, ...rest];
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    note(name?.startsWith('-') ? `newsdesk: unknown option ${name} (see newsdesk --help)` : `newsdesk: unknown command "${name ?? ''}" (see newsdesk --help)`);
    return 2;
  }
  if (wantsHelp(args)) {
    out(command.help);
    return 0;
  }

  let config: Readonly<Config>;
  let parsed: ReturnType<typeof parseCommandArgs>;
  try {
    parsed = parseCommandArgs(command, args);
    const loaded = readEnv(env);
    config = loadConfig(loaded.env, loaded);
  } catch (err) {
    return fail(err, note);
  }
  const verbose = verboseFirst || parsed.values.verbose === true;
  const level: LogLevel = pickLevel(config.logLevel, verbose, command.defaultLogLevel?.({ config }) ?? 'warn');
  const secrets = configSecrets(config);
  const logger = createLogger({ level, secrets });
  // The plain lines too, not only the JSON log: an upstream error may echo the Authorization header.
  const redact = createRedactor(secrets);
  const safeNote = (line: string) => note(redact(line));
  try {
    return await command.run({ ...parsed, args, config, logger, out, note: safeNote, interactive: process.stderr.isTTY === true });
  } catch (err) {
    const usageErr = toUsageError(err, command.name);
    if (isUserError(usageErr)) return fail(usageErr, safeNote);
    logger.error('command failed', { command: command.name, err });
    safeNote(`newsdesk ${command.name}: ${err instanceof Error ? err.message : String(err)} (a bug? run again with --verbose and report it)`);
    return 1;
  }
}

/** NEWSDESK_LOG_LEVEL wins; `--verbose` raises the default to info; otherwise the command's default. */
function pickLevel(configured: LogLevel | undefined, verbose: boolean, fallback: LogLevel): LogLevel {
  if (configured) return configured;
  if (verbose) return fallback === 'debug' ? 'debug' : 'info';
  return fallback;
}

function fail(err: unknown, note: (line: string) => void): number {
  if (!isUserError(err)) throw err;
  note(`newsdesk: ${err.message}`);
  return err.code === 'usage' || err.code === 'config' || err.code === 'store' ? 2 : 1;
}
