/**
 * One JSON line per event on stderr (stdout belongs to CLI output). Secrets registered with
 * `redact` are masked wherever they appear, so a token pasted into an error message never reaches a log.
 */
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
  const secrets = (opts.secrets ?? []).filter((s): s is string => !!s && s.length >= 6);
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const min = ORDER[opts.level];

  function redact(line: string): string {
    let out = line;
    for (const s of secrets) out = out.split(s).join('[redacted]');
    return out;
  }

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

function serializeError(err: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { name: err.name, message: err.message };
  if ('code' in err) out.code = (err as { code: unknown }).code;
  if (err.stack) out.stack = err.stack.split('\n').slice(0, 6).join('\n');
  if (err.cause instanceof Error) out.cause = serializeError(err.cause);
  return out;
}

export const silentLogger: Logger = createLogger({ level: 'silent' });
