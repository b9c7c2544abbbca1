import { parseArgs } from 'node:util';
import { UserError } from '../errors.ts';
import type { CliCommand, CliOptions } from './cli-command.ts';

export const COMMON_OPTIONS: CliOptions = {
  help: { type: 'boolean', short: 'h' },
  verbose: { type: 'boolean', short: 'v' },
};

/** True when `-h`/`--help` appears before a `--` terminator: the command then only prints its help. */
export function wantsHelp(args: string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

/**
 * Strict parsing with one-line usage errors (`UserError('usage')`, exit 2) instead of parseArgs'
 * TypeErrors and their stack traces.
 */
export function parseCommandArgs(cmd: CliCommand, args: string[]): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  if (cmd.ownParser) {
    return { values: { verbose: args.includes('--verbose') }, positionals: [] };
  }
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...COMMON_OPTIONS, ...cmd.options },
      allowPositionals: cmd.positionals ?? false,
      strict: true,
    });
    return { values: values as Record<string, string | boolean | string[] | undefined>, positionals };
  } catch (err) {
    throw toUsageError(err, cmd.name);
  }
}

/** parseArgs' error codes turned into short sentences; anything else passes through. */
export function toUsageError(err: unknown, command: string): unknown {
  const code = (err as { code?: string }).code;
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS')) return err;
  const message = (err as Error).message;
  const quoted = /'([^']+)'/.exec(message)?.[1];
  const hint = `(see newsdesk ${command} --help)`;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UserError('usage', `${command}: unknown option ${quoted ?? message} ${hint}`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const opt =
        /Option '([^']+)'/
          .exec(message)?.[1]
          ?.split(/[ ,]/)
          .find((s) => s.startsWith('--')) ?? quoted;
      return new UserError(
        'usage',
        `${command}: option ${opt ?? ''} ${/argument missing/.test(message) ? 'needs a value' : 'does not take a value'} ${hint}`.replace(/\s+/g, ' '),
      );
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UserError('usage', `${command}: unexpected argument ${quoted ?? ''} ${hint}`.replace(/\s+/g, ' '));
    default:
      return new UserError('usage', `${command}: ${message.split('\n')[0]} ${hint}`);
  }
}
