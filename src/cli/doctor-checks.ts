import fs from 'node:fs';
import path from 'node:path';
import { REST, Routes } from 'discord.js';
import type { Config } from '../config.ts';
import { isUserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { openApp, type App } from '../app.ts';
import { FIXES, inviteUrl, isNetworkError } from '../discord/startup-errors.ts';
import { databaseLabel, isDemoSource } from '../config.ts';
import { plural } from './progress.ts';

/** One finding of `newsdesk doctor`: what was checked, what was found, and the fix when it is a problem. */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

const DISCORD_TIMEOUT_MS = 5_000; // a check, not a connection: fail fast

export function configChecks(config: Readonly<Config>): Check[] {
  const embedder = config.embedder.kind === 'local' ? `local (${config.embedder.dim}-d)` : `openai ${config.embedder.model}`;
  const answerer = config.answerer.kind === 'extractive' ? 'extractive (offline)' : `openai ${config.answerer.model}`;
  const set = (v: string | undefined) => (v ? 'set' : 'not set');
  return [
    { name: 'data dir', ok: true, detail: config.dataDir },
    {
      name: 'store backend',
      ok: true,
      detail: config.databaseUrl ? `PostgreSQL ${databaseLabel(config.databaseUrl)}` : 'SQLite (NEWSDESK_DATABASE_URL not set)',
    },
    { name: 'config file', ok: true, detail: config.envFile ?? 'none (environment and defaults only; copy .env.example to .env to change settings)' },
    {
      name: 'config',
      ok: true,
      detail: `embedder ${embedder}; answerer ${answerer}; OPENAI_API_KEY ${set(config.openai.apiKey)}; OPENAI_BASE_URL ${config.openai.baseURL ?? 'not set'}; DISCORD_TOKEN ${set(config.discord.token)}; DISCORD_CLIENT_ID ${config.discord.clientId ?? 'not set'}; DISCORD_GUILD_ID ${config.discord.guildId ?? 'not set'}`,
    },
  ];
}

/** Store counts, index health and source health. Does not create a store that is not there. */
export async function storeChecks(config: Readonly<Config>, logger: Logger): Promise<Check[]> {
  if (!config.databaseUrl && !fs.existsSync(path.join(config.dataDir, 'newsdesk.db'))) {
    return [
      {
        name: 'store',
        ok: false,
        detail: `no store yet in ${config.dataDir}`,
        fix: 'Run "npm start" (it adds the demo article) or "npx newsdesk ingest <files|folder|url>".',
      },
    ];
  }
  let nd: App;
  try {
    nd = await openApp(config, { logger });
  } catch (err) {
    if (!isUserError(err)) throw err;
    const fix = err.code === 'embedder-mismatch' ? 'Run "npx newsdesk reindex", or set the embedder back.' : 'See the message above.';
    return [{ name: 'store', ok: false, detail: err.message, fix }];
  }
  try {
    const s = nd.stats();
    const checks: Check[] = [];
    checks.push({
      name: 'store',
      ok: s.articles > 0,
      detail: `${plural(s.sources, 'source')} · ${plural(s.articles, 'article')} · ${plural(s.chunks, 'chunk')}`,
      fix: s.articles > 0 ? undefined : 'The store is empty: add sources with "npx newsdesk ingest <path|url>" or "npx newsdesk sources add <feed url>".',
    });
    // Alternates (near-copies) store no chunks, so every stored chunk should have a vector.
    const live = s.chunks;
    const inSync = s.index.vectors === live;
    checks.push({
      name: 'index',
      ok: inSync,
      detail: `${s.index.vectors} vectors for ${live} searchable chunks (${s.index.embedder}, ${s.index.dim}-d)`,
      fix: inSync ? undefined : 'Run "npx newsdesk reindex" to rebuild the index from the store.',
    });
    for (const src of nd.sources.list()) {
      const label = `source #${src.id}`;
      const what = `${src.name ?? src.url}${isDemoSource(src) ? ' (demo)' : ''}`;
      if (src.kind !== 'file' && !src.enabled) {
        checks.push({
          name: label,
          ok: false,
          detail: `${what}: ${src.pausedReason ?? 'paused'}`,
          fix: `Check ${src.url} in a browser, then "npx newsdesk sources refresh ${src.id}" (or "sources remove ${src.id}").`,
        });
      } else if (src.consecutiveFailures > 0) {
        checks.push({
          name: label,
          ok: false,
          detail: `${what}: failing (${src.consecutiveFailures} in a row; last: ${src.lastError ?? 'unknown'})`,
          fix: `Check ${src.url}, then "npx newsdesk sources refresh ${src.id}".`,
        });
      }
    }
    const bad = checks.filter((c) => c.name.startsWith('source #')).length;
    if (bad === 0) checks.push({ name: 'sources', ok: true, detail: `${plural(s.sources, 'source')}, none failing or paused` });
    return checks;
  } finally {
    await nd.close();
  }
}

/** Reachability and token validity (GET /users/@me), and the bot's membership of DISCORD_GUILD_ID. */
export async function discordChecks(config: Readonly<Config>): Promise<Check[]> {
  const { token, apiUrl, guildId, clientId } = config.discord;
  if (!token) return [{ name: 'discord', ok: true, detail: 'DISCORD_TOKEN not set: npm start runs the console chat (see README "Connect to Discord")' }];
  const rest = new REST({ ...(apiUrl ? { api: apiUrl } : {}), timeout: DISCORD_TIMEOUT_MS, retries: 0 }).setToken(token);
  const where = apiUrl ?? 'discord.com';
  let user: { username: string; discriminator?: string; id: string };
  try {
    user = (await rest.get(Routes.user('@me'))) as typeof user;
  } catch (err) {
    if (isNetworkError(err)) return [{ name: 'discord', ok: false, detail: `cannot reach ${where}`, fix: FIXES.network }];
    if ((err as { status?: number }).status === 401)
      return [{ name: 'discord', ok: false, detail: `${where} refused DISCORD_TOKEN (401: invalid token)`, fix: FIXES.token }];
    return [{ name: 'discord', ok: false, detail: `${where}: ${(err as Error).message}`, fix: FIXES.network }];
  }
  const tag = user.discriminator && user.discriminator !== '0' ? `${user.username}#${user.discriminator}` : user.username;
  const checks: Check[] = [{ name: 'discord', ok: true, detail: `${where} reachable; token valid for ${tag}` }];
  if (clientId && clientId !== user.id) {
    checks.push({
      name: 'discord client id',
      ok: false,
      detail: `DISCORD_CLIENT_ID=${clientId} but the token belongs to application ${user.id}`,
      fix: FIXES.clientId,
    });
  }
  if (guildId) {
    try {
      await rest.get(Routes.guild(guildId));
      checks.push({ name: 'discord guild', ok: true, detail: `the bot is in DISCORD_GUILD_ID=${guildId}` });
    } catch {
      checks.push({
        name: 'discord guild',
        ok: false,
        detail: `the bot cannot see DISCORD_GUILD_ID=${guildId}`,
        fix: FIXES.invite(inviteUrl(clientId ?? user.id)),
      });
    }
  }
  return checks;
}
