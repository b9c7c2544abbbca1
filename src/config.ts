import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { UserError } from './errors.ts';

/**
 * The only reader of `process.env`. Every setting is parsed once, every problem is reported at once
 * (naming the variable, its value and where it came from), and the frozen result is passed to
 * whoever needs it. An empty value (`KEY=` as in `.env.example`) means "unset".
 */

/** The repository root: the default data dir lives under it, wherever the command is run from. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The demo article shipped with the repository (ingested on a first start with an empty store). */
export const SEED_DIR = path.join(PROJECT_ROOT, 'data', 'seed');

/** True for the demo source made from SEED_DIR (`/help` and `doctor` point it out). */
export function isDemoSource(s: { kind: string; url: string }): boolean {
  return s.kind === 'file' && path.resolve(s.url) === SEED_DIR;
}

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' }).transform((v) => v === 'true' || v === '1' || v === 'yes');
const wholeNumber = (min: number, max?: number) => {
  const range = max === undefined ? `≥ ${min}` : `from ${min} to ${max}`;
  const error = `expected a whole number ${range}`;
  const n = z.coerce.number({ error }).int({ error }).min(min, { error });
  return max === undefined ? n : n.max(max, { error });
};
const positive = z.coerce.number({ error: 'expected a positive number' }).positive({ error: 'expected a positive number' });
const text = z.string().transform((v) => v.trim());
const choice = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `expected one of ${values.join(', ')}` });

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

const schema = z.object({
  NEWSDESK_DATA_DIR: text.optional(),
  NEWSDESK_DATABASE_URL: text
    .refine((v) => /^postgres(ql)?:\/\/[^\s]+$/.test(v) && URL.canParse(v), { error: 'expected postgres://user:password@host:5432/database' })
    .optional(),
  NEWSDESK_EMBEDDER: choice(['local', 'openai']).default('local'),
  NEWSDESK_ANSWERER: choice(['extractive', 'openai']).default('extractive'),
  NEWSDESK_LOCAL_DIM: wholeNumber(16, 4096).default(384),
  OPENAI_API_KEY: text.optional(),
  OPENAI_BASE_URL: text.optional(),
  OPENAI_EMBEDDING_MODEL: text.default('text-embedding-3-small'),
  OPENAI_EMBEDDING_DIMENSIONS: wholeNumber(1).optional(),
  OPENAI_CHAT_MODEL: text.default('gpt-4o-mini'),
  OPENAI_TIMEOUT_MS: wholeNumber(1000).default(60_000), // 60 s
  NEWSDESK_FETCH_ALLOWLIST: z.string().default(''),
  NEWSDESK_FETCH_TIMEOUT_MS: wholeNumber(100).default(15_000), // 15 s total per fetch
  NEWSDESK_FETCH_CONNECT_TIMEOUT_MS: wholeNumber(100).default(5_000), // 5 s
  NEWSDESK_FETCH_MAX_BYTES: wholeNumber(1024).default(5 * 1024 * 1024), // 5 MiB, after decompression
  NEWSDESK_FETCH_MAX_REDIRECTS: wholeNumber(0, 20).default(5),
  NEWSDESK_USER_AGENT: text.default('NewsdeskBot/0.1 (+https://github.com/newsdesk/newsdesk; news Q&A bot)'),
  NEWSDESK_RESPECT_ROBOTS: bool.default(true),
  // 5 MiB per local file (or JSONL line): a 30 MB text file is a dump, not an article.
  NEWSDESK_MAX_FILE_BYTES: wholeNumber(1024).default(5 * 1024 * 1024),
  NEWSDESK_SEED: bool.default(true),
  NEWSDESK_POLL_INTERVAL_MIN: positive.default(15),
  NEWSDESK_POLL_CONCURRENCY: wholeNumber(1).default(4),
  NEWSDESK_MAX_FAILURES: wholeNumber(1).default(5),
  NEWSDESK_MAX_ITEMS_PER_POLL: wholeNumber(1).default(50),
  NEWSDESK_POLL_BUDGET_MS: wholeNumber(100).default(120_000), // all the fetching one poll may do
  NEWSDESK_ADD_BUDGET_MS: wholeNumber(100).default(45_000), // the same for /sources add, which someone waits for
  NEWSDESK_MAX_SOURCES_PER_GUILD: wholeNumber(1).default(50),
  DISCORD_TOKEN: text.optional(),
  DISCORD_CLIENT_ID: text.optional(),
  DISCORD_GUILD_ID: text.optional(),
  DISCORD_API_URL: text.optional(),
  NEWSDESK_SHARDS: z.union([z.literal('auto'), wholeNumber(1, 65_535)], { error: 'expected auto or a whole number of shards ≥ 1' }).optional(),
  NEWSDESK_SHARD_IDS: z
    .string()
    .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, { error: 'expected shard ids separated by commas, e.g. 0 or 0,2' })
    .transform((v) => [...new Set(v.split(',').map((x) => Number(x.trim())))].sort((a, b) => a - b))
    .optional(),
  NEWSDESK_USER_RATE_PER_MIN: wholeNumber(1).default(6),
  NEWSDESK_GUILD_RATE_PER_MIN: wholeNumber(1).default(30),
  NEWSDESK_ANSWER_QUEUE: wholeNumber(1).default(32),
  NEWSDESK_ALERTS_PER_CHANNEL_HOUR: wholeNumber(1).default(5),
  NEWSDESK_MAX_WATCHES_PER_GUILD: wholeNumber(1).default(25),
  NEWSDESK_QUESTION_LOG_DAYS: wholeNumber(0, 3650).default(90),
  NEWSDESK_LOG_LEVEL: choice(LOG_LEVELS).optional(),
});

/** Values never echoed in an error message. */
const SECRET_KEYS = new Set(['OPENAI_API_KEY', 'DISCORD_TOKEN', 'NEWSDESK_DATABASE_URL']);

export type LogLevelSetting = (typeof LOG_LEVELS)[number];

export interface Config {
  /** SQLite's store (when no database URL is set) and every per-process cache (the HNSW index files). */
  dataDir: string;
  /**
   * NEWSDESK_DATABASE_URL (postgres://user:password@host:5432/database): the store is PostgreSQL.
   * null: SQLite under `dataDir`. Holds a password: never print it (describe it with the store's backend).
   */
  databaseUrl: string | null;
  /** The `.env` file the settings were read from, if any (shown by `doctor`). */
  envFile: string | null;
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
  /** Local files: the largest file (or JSONL line) read as one article. */
  ingest: { maxFileBytes: number };
  /** Ingest `data/seed/` as a demo source on the first start with an empty store. */
  seed: boolean;
  polling: { intervalMin: number; concurrency: number; maxFailures: number; maxItemsPerPoll: number };
  budgets: {
    /** Total time one poll / one `/sources add` may spend fetching; items left over wait for the next poll. */
    pollMs: number;
    addMs: number;
    /** Sources one Discord server may track. */
    sourcesPerGuild: number;
  };
  discord: { token?: string; clientId?: string; guildId?: string; apiUrl?: string; shards?: ShardingConfig };
  limits: { userPerMin: number; guildPerMin: number; answerQueue: number };
  /** Topic watches: alerts per channel per hour before the rest are collapsed; watches per server. */
  watches: { alertsPerChannelHour: number; maxWatchesPerGuild: number };
  /** The questions/feedback log behind /insights: days kept (0 = log nothing, no feedback buttons). */
  insights: { retentionDays: number };
  /** Set only when NEWSDESK_LOG_LEVEL is; front ends choose their own default. */
  logLevel?: LogLevelSetting;
}

/**
 * Gateway sharding. `count: 'auto'`: this process runs every shard Discord recommends; a number: the
 * total across all processes, of which this one runs `ids` (all of them when absent).
 */
export type ShardingConfig = { count: 'auto' } | { count: number; ids: number[] };

export interface ConfigSource {
  /** Where each variable came from when not the process environment, e.g. `{ NEWSDESK_LOCAL_DIM: '/app/.env' }`. */
  origins?: Record<string, string>;
  envFile?: string | null;
  /** Relative paths in the environment resolve against this (default: the working directory). */
  cwd?: string;
}

export function loadConfig(env: Record<string, string | undefined> = process.env, from: ConfigSource = {}): Readonly<Config> {
  // `KEY=` means unset: a copied .env.example must behave like no .env at all.
  const defined: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== '') defined[k] = v;
  const origin = (key: string) => from.origins?.[key] ?? 'the environment';

  const parsed = schema.safeParse(defined);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const key = String(i.path[0]);
      const value = SECRET_KEYS.has(key) ? '(hidden)' : JSON.stringify(defined[key] ?? '');
      return `${key}=${value} (from ${origin(key)}): ${i.message}`;
    });
    throw new UserError('config', `Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const shards = shardingOf(e.NEWSDESK_SHARDS, e.NEWSDESK_SHARD_IDS, origin);
  const needsKey = e.NEWSDESK_EMBEDDER === 'openai' || e.NEWSDESK_ANSWERER === 'openai';
  if (needsKey && !e.OPENAI_API_KEY && !e.OPENAI_BASE_URL) {
    const which = e.NEWSDESK_EMBEDDER === 'openai' ? 'NEWSDESK_EMBEDDER' : 'NEWSDESK_ANSWERER';
    throw new UserError(
      'config',
      `${which}="openai" (from ${origin(which)}) but neither OPENAI_API_KEY nor OPENAI_BASE_URL is set. Set one of them, or use ${which}=${which === 'NEWSDESK_EMBEDDER' ? 'local' : 'extractive'}.`,
    );
  }
  const config: Config = {
    dataDir: resolveDataDir(e.NEWSDESK_DATA_DIR, from.origins?.NEWSDESK_DATA_DIR, from.cwd),
    databaseUrl: e.NEWSDESK_DATABASE_URL ?? null,
    envFile: from.envFile ?? null,
    embedder:
      e.NEWSDESK_EMBEDDER === 'openai'
        ? { kind: 'openai', model: e.OPENAI_EMBEDDING_MODEL, dimensions: e.OPENAI_EMBEDDING_DIMENSIONS }
        : { kind: 'local', dim: e.NEWSDESK_LOCAL_DIM },
    answerer: e.NEWSDESK_ANSWERER === 'openai' ? { kind: 'openai', model: e.OPENAI_CHAT_MODEL } : { kind: 'extractive' },
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
    ingest: { maxFileBytes: e.NEWSDESK_MAX_FILE_BYTES },
    seed: e.NEWSDESK_SEED,
    polling: {
      intervalMin: e.NEWSDESK_POLL_INTERVAL_MIN,
      concurrency: e.NEWSDESK_POLL_CONCURRENCY,
      maxFailures: e.NEWSDESK_MAX_FAILURES,
      maxItemsPerPoll: e.NEWSDESK_MAX_ITEMS_PER_POLL,
    },
    budgets: {
      pollMs: e.NEWSDESK_POLL_BUDGET_MS,
      addMs: e.NEWSDESK_ADD_BUDGET_MS,
      sourcesPerGuild: e.NEWSDESK_MAX_SOURCES_PER_GUILD,
    },
    discord: {
      token: e.DISCORD_TOKEN,
      clientId: e.DISCORD_CLIENT_ID,
      guildId: e.DISCORD_GUILD_ID,
      apiUrl: e.DISCORD_API_URL,
      ...(shards ? { shards } : {}),
    },
    limits: {
      userPerMin: e.NEWSDESK_USER_RATE_PER_MIN,
      guildPerMin: e.NEWSDESK_GUILD_RATE_PER_MIN,
      answerQueue: e.NEWSDESK_ANSWER_QUEUE,
    },
    watches: { alertsPerChannelHour: e.NEWSDESK_ALERTS_PER_CHANNEL_HOUR, maxWatchesPerGuild: e.NEWSDESK_MAX_WATCHES_PER_GUILD },
    insights: { retentionDays: e.NEWSDESK_QUESTION_LOG_DAYS },
    logLevel: e.NEWSDESK_LOG_LEVEL,
  };
  return Object.freeze(config);
}

function shardingOf(count: 'auto' | number | undefined, ids: number[] | undefined, origin: (key: string) => string): ShardingConfig | undefined {
  if (ids !== undefined && typeof count !== 'number') {
    throw new UserError(
      'config',
      `NEWSDESK_SHARD_IDS=${ids.join(',')} (from ${origin('NEWSDESK_SHARD_IDS')}) needs NEWSDESK_SHARDS set to the total number of shards across all processes, e.g. NEWSDESK_SHARDS=2.`,
    );
  }
  if (count === undefined) return undefined;
  if (count === 'auto') return { count };
  const outside = (ids ?? []).filter((id) => id >= count);
  if (outside.length > 0) {
    throw new UserError(
      'config',
      `NEWSDESK_SHARD_IDS=${ids!.join(',')} (from ${origin('NEWSDESK_SHARD_IDS')}): shard ids run from 0 to ${count - 1} with NEWSDESK_SHARDS=${count}; ${outside.join(', ')} is outside.`,
    );
  }
  return { count, ids: ids ?? Array.from({ length: count }, (_, i) => i) };
}

/** NEWSDESK_DATABASE_URL as it may be shown: the password left out. */
export function databaseLabel(url: string): string {
  const u = new URL(url);
  u.password = '';
  return u.toString();
}

/** Values in a config that must never reach any output (the logger and the CLI mask them). */
export function configSecrets(config: Pick<Config, 'discord' | 'openai' | 'databaseUrl'>): string[] {
  const out = [config.discord.token, config.openai.apiKey];
  if (config.databaseUrl) {
    const password = new URL(config.databaseUrl).password;
    if (password) out.push(password, decodeURIComponent(password));
  }
  return out.filter((s): s is string => typeof s === 'string' && s.length > 0);
}

/**
 * Unset: `<project>/data`, so running from another directory opens the same store. A relative path
 * written in a `.env` file is relative to that file; one from the environment, to the working directory.
 */
function resolveDataDir(value: string | undefined, originFile: string | undefined, cwd = process.cwd()): string {
  if (!value) return path.join(PROJECT_ROOT, 'data');
  if (originFile) return path.resolve(path.dirname(originFile), value);
  return path.resolve(cwd, value);
}
