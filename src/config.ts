import path from 'node:path';
import { z } from 'zod';
import { UserError } from './errors.ts';

/**
 * The only reader of `process.env`. Every setting is parsed once, every problem is reported at once,
 * and the frozen result is passed to whoever needs it.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number) => z.coerce.number().int().min(min);
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined));

const schema = z.object({
  NEWSDESK_DATA_DIR: z.string().default('data'),
  NEWSDESK_EMBEDDER: z.enum(['local', 'openai']).default('local'),
  NEWSDESK_ANSWERER: z.enum(['extractive', 'openai']).default('extractive'),
  NEWSDESK_LOCAL_DIM: int(16).max(4096).default(384),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalText,
  OPENAI_EMBEDDING_MODEL: z.string().default('text-embedding-3-small'),
  OPENAI_EMBEDDING_DIMENSIONS: z.coerce.number().int().positive().optional(),
  OPENAI_CHAT_MODEL: z.string().default('gpt-4o-mini'),
  OPENAI_TIMEOUT_MS: int(1000).default(60_000), // 60 s
  NEWSDESK_FETCH_ALLOWLIST: z.string().default(''),
  NEWSDESK_FETCH_TIMEOUT_MS: int(100).default(15_000), // 15 s total per fetch
  NEWSDESK_FETCH_CONNECT_TIMEOUT_MS: int(100).default(5_000), // 5 s
  NEWSDESK_FETCH_MAX_BYTES: int(1024).default(5 * 1024 * 1024), // 5 MiB, after decompression
  NEWSDESK_FETCH_MAX_REDIRECTS: int(0).max(20).default(5),
  NEWSDESK_USER_AGENT: z
    .string()
    .default('NewsdeskBot/0.1 (+https://github.com/newsdesk/newsdesk; news Q&A bot)'),
  NEWSDESK_RESPECT_ROBOTS: bool.default(true),
  NEWSDESK_POLL_INTERVAL_MIN: z.coerce.number().positive().default(15),
  NEWSDESK_POLL_CONCURRENCY: int(1).default(4),
  NEWSDESK_MAX_FAILURES: int(1).default(5),
  NEWSDESK_MAX_ITEMS_PER_POLL: int(1).default(50),
  DISCORD_TOKEN: optionalText,
  DISCORD_CLIENT_ID: optionalText,
  DISCORD_GUILD_ID: optionalText,
  DISCORD_API_URL: optionalText,
  NEWSDESK_USER_RATE_PER_MIN: int(1).default(6),
  NEWSDESK_GUILD_RATE_PER_MIN: int(1).default(30),
  NEWSDESK_ANSWER_QUEUE: int(1).default(32),
  NEWSDESK_ALERTS_PER_CHANNEL_HOUR: int(1).default(5),
  NEWSDESK_MAX_WATCHES_PER_GUILD: int(1).default(25),
  NEWSDESK_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

type Env = z.infer<typeof schema>;

export interface Config {
  dataDir: string;
  embedder: { kind: 'local'; dim: number } | { kind: 'openai'; model: string; dimensions?: number };
  answerer: { kind: 'extractive' } | { kind: 'openai'; model: string };
  openai: { apiKey?: string; baseURL?: string; timeoutMs: number };
  fetch: {
    allowlist: string[];
    timeoutMs: number;
    connectTimeoutMs: number;
    maxBytes: number;
    maxRedirects: number;
    userAgent: string;
    respectRobots: boolean;
  };
  polling: { intervalMin: number; concurrency: number; maxFailures: number; maxItemsPerPoll: number };
  discord: { token?: string; clientId?: string; guildId?: string; apiUrl?: string };
  limits: { userPerMin: number; guildPerMin: number; answerQueue: number };
  /** Topic watches: alerts per channel per hour before the rest are collapsed; watches per server. */
  watches: { alertsPerChannelHour: number; maxWatchesPerGuild: number };
  logLevel: Env['NEWSDESK_LOG_LEVEL'];
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.')}: ${i.message}`)
      .join('; ');
    throw new UserError('config', `Invalid configuration — ${problems}`);
  }
  const e = parsed.data;
  const needsKey = e.NEWSDESK_EMBEDDER === 'openai' || e.NEWSDESK_ANSWERER === 'openai';
  if (needsKey && !e.OPENAI_API_KEY && !e.OPENAI_BASE_URL) {
    throw new UserError(
      'config',
      'NEWSDESK_EMBEDDER or NEWSDESK_ANSWERER is "openai" but neither OPENAI_API_KEY nor OPENAI_BASE_URL is set.',
    );
  }
  const config: Config = {
    dataDir: path.resolve(e.NEWSDESK_DATA_DIR),
    embedder:
      e.NEWSDESK_EMBEDDER === 'openai'
        ? { kind: 'openai', model: e.OPENAI_EMBEDDING_MODEL, dimensions: e.OPENAI_EMBEDDING_DIMENSIONS }
        : { kind: 'local', dim: e.NEWSDESK_LOCAL_DIM },
    answerer:
      e.NEWSDESK_ANSWERER === 'openai' ? { kind: 'openai', model: e.OPENAI_CHAT_MODEL } : { kind: 'extractive' },
    openai: { apiKey: e.OPENAI_API_KEY, baseURL: e.OPENAI_BASE_URL, timeoutMs: e.OPENAI_TIMEOUT_MS },
    fetch: {
      allowlist: e.NEWSDESK_FETCH_ALLOWLIST.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      timeoutMs: e.NEWSDESK_FETCH_TIMEOUT_MS,
      connectTimeoutMs: e.NEWSDESK_FETCH_CONNECT_TIMEOUT_MS,
      maxBytes: e.NEWSDESK_FETCH_MAX_BYTES,
      maxRedirects: e.NEWSDESK_FETCH_MAX_REDIRECTS,
      userAgent: e.NEWSDESK_USER_AGENT,
      respectRobots: e.NEWSDESK_RESPECT_ROBOTS,
    },
    polling: {
      intervalMin: e.NEWSDESK_POLL_INTERVAL_MIN,
      concurrency: e.NEWSDESK_POLL_CONCURRENCY,
      maxFailures: e.NEWSDESK_MAX_FAILURES,
      maxItemsPerPoll: e.NEWSDESK_MAX_ITEMS_PER_POLL,
    },
    discord: {
      token: e.DISCORD_TOKEN,
      clientId: e.DISCORD_CLIENT_ID,
      guildId: e.DISCORD_GUILD_ID,
      apiUrl: e.DISCORD_API_URL,
    },
    limits: {
      userPerMin: e.NEWSDESK_USER_RATE_PER_MIN,
      guildPerMin: e.NEWSDESK_GUILD_RATE_PER_MIN,
      answerQueue: e.NEWSDESK_ANSWER_QUEUE,
    },
    watches: { alertsPerChannelHour: e.NEWSDESK_ALERTS_PER_CHANNEL_HOUR, maxWatchesPerGuild: e.NEWSDESK_MAX_WATCHES_PER_GUILD },
    logLevel: e.NEWSDESK_LOG_LEVEL,
  };
  return Object.freeze(config);
}
