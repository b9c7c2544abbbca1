import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../config.ts';
import type { LogLevel, Logger } from '../logger.ts';

export type CliOptions = NonNullable<ParseArgsConfig['options']>;

/** What every subcommand receives: parsed arguments, the frozen config, a logger, and its outputs. */
export interface CliContext {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /** The raw arguments, for commands that parse their own (eval, bench). */
  args: string[];
  config: Readonly<Config>;
  logger: Logger;
  /** stdout: results. */
  out(line: string): void;
  /** stderr: progress and notes for a person. */
  note(line: string): void;
  /** True when stderr is a terminal (progress lines are drawn only then). */
  interactive: boolean;
}

/** One `newsdesk <name>` subcommand: its help text is the source of truth for its interface. */
export interface CliCommand {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The whole `--help` text (starts with "Usage: newsdesk …"). */
  help: string;
  /** Options for `parseArgs` (strict); `--help`/`-h` and `--verbose` are added for every command. */
  options?: CliOptions;
  /** Takes positional arguments (otherwise any is a usage error). */
  positionals?: boolean;
  /** The command parses `args` itself (eval, bench): `options` are only documented. */
  ownParser?: boolean;
  /** Log level when neither NEWSDESK_LOG_LEVEL nor --verbose is given (default `warn`). */
  defaultLogLevel?: (ctx: { config: Readonly<Config> }) => LogLevel;
  run(ctx: CliContext): Promise<number>;
}
