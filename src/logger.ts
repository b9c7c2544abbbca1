/**
 * One JSON line per event on stderr (stdout belongs to CLI output). Secrets registered with
 * `redact` are masked wherever they appear, so a token pasted into an error message never reaches a log.
 */
import { stripUrlCredentials } from './text/url-credentials.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export function createLogger(opts: {
  level: LogLevel;
  secrets?: Array<string | undefined>;
  write?: (line: string) => void;
  base?: Record<string, unknown>;
}): Logger {
  const redact = createRedactor(opts.secrets ?? []);
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const min = ORDER[opts.level];

  function make(base: Record<string, unknown>): Logger {
    const emit = (level: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>) => {
      if (ORDER[level] < min) return;
      const record: Record<string, unknown> = { time: new Date().toISOString(), level, msg, ...base, ...fields };
      for (const [k, v] of Object.entries(record)) if (v instanceof Error) record[k] = serializeError(v);
      write(redact(JSON.stringify(record)));
    };
    return {
      debug: (m, f) => emit('debug', m, f),
      info: (m, f) => emit('info', m, f),
      warn: (m, f) => emit('warn', m, f),
      error: (m, f) => emit('error', m, f),
      child: (fields) => make({ ...base, ...fields }),
    };
  }
  return make(opts.base ?? {});
}

/**
 * Masks every registered secret (tokens, API keys) and any `user:password@` in URLs. Used for every
 * line this program writes about errors — JSON logs and the plain `newsdesk: …` line alike — since an
 * upstream error may echo a request's Authorization header.
 */
export function createRedactor(secrets: Array<string | undefined>): (text: string) => string {
  const list = secrets.filter((s): s is string => !!s && s.length >= 6);
  return (text) => {
    let out = stripUrlCredentials(text);
    for (const s of list) out = out.split(s).join('[redacted]');
    return out;
  };
}

function serializeError(err: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { name: err.name, message: err.message };
  if ('code' in err) out.code = (err as { code: unknown }).code;
  if (err.stack) out.stack = err.stack.split('\n').slice(0, 6).join('\n');
  if (err.cause instanceof Error) out.cause = serializeError(err.cause);
  return out;
}

export const silentLogger: Logger = createLogger({ level: 'silent' });
