import { UserError } from '../errors.ts';

/**
 * Discord failures at start-up (login, READY, registering commands) turned into one sentence with
 * the fix. The raw "An invalid token was provided." or "getaddrinfo EAI_AGAIN" says neither.
 */
export const FIXES = {
  token:
    'Open the Developer Portal (https://discord.com/developers/applications) → your application → Bot → Reset Token, and put the new token in DISCORD_TOKEN.',
  network: 'Check the network connection, and DISCORD_API_URL if you set it (it must point at Discord or a REST proxy, e.g. http://localhost:8080/api).',
  invite: (inviteUrl: string | null) =>
    `Invite the bot to that server${inviteUrl ? ` (${inviteUrl})` : ''}, or unset DISCORD_GUILD_ID to register the commands globally.`,
  clientId: 'DISCORD_CLIENT_ID must be the Application ID of the same application as the token (Developer Portal → General Information).',
  intents: 'Newsdesk needs no privileged intents: in the Developer Portal → Bot, check the application is the right one.',
} as const;

const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'ABORT_ERR',
]);

interface DiscordishError {
  name?: string;
  code?: string | number;
  status?: number;
  message?: string;
  cause?: unknown;
}

function codeOf(err: unknown): string | undefined {
  let e = err as DiscordishError | undefined;
  for (let depth = 0; e && depth < 4; depth++, e = e.cause as DiscordishError | undefined) {
    if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
    if (e.name === 'AbortError' || e.name === 'TimeoutError') return 'ETIMEDOUT';
  }
  return undefined;
}

export function isNetworkError(err: unknown): boolean {
  return codeOf(err) !== undefined;
}

function target(apiUrl: string | undefined): string {
  return apiUrl ? `Discord at ${apiUrl}` : 'discord.com';
}

/** Login or READY failed. */
export function explainLoginError(err: unknown, opts: { apiUrl?: string }): UserError {
  const e = err as DiscordishError;
  if (err instanceof UserError) return err;
  if (e?.code === 'TokenInvalid' || e?.status === 401 || e?.code === 4004) {
    return new UserError('config', `Discord refused the bot token (401: invalid token). ${FIXES.token}`, { cause: err });
  }
  if (e?.code === 'DisallowedIntents' || e?.code === 4014) {
    return new UserError('config', `Discord refused the gateway intents. ${FIXES.intents}`, { cause: err });
  }
  const net = codeOf(err);
  if (net) return new UserError('upstream', `Cannot reach ${target(opts.apiUrl)} (${net}). ${FIXES.network}`, { cause: err });
  return new UserError('upstream', `Could not log in to ${target(opts.apiUrl)}: ${e?.message ?? String(err)}. ${FIXES.network}`, { cause: err });
}

/** Registering slash commands failed (deploy-commands, or the sync at start-up). */
export function explainRegisterError(err: unknown, opts: { apiUrl?: string; guildId?: string; inviteUrl: string | null }): UserError {
  const e = err as DiscordishError;
  if (e?.status === 401) return new UserError('config', `Discord refused the bot token (401: Unauthorized). ${FIXES.token}`, { cause: err });
  if (e?.code === 50001 || e?.status === 403) {
    const where = opts.guildId ? `in the server DISCORD_GUILD_ID=${opts.guildId}` : 'for this application';
    const fix = opts.guildId ? FIXES.invite(opts.inviteUrl) : FIXES.clientId;
    return new UserError('config', `Discord denied access ${where} (Missing Access): the bot is not in that server or the ids do not match. ${fix}`, {
      cause: err,
    });
  }
  if (e?.status === 404 || e?.code === 10002) return new UserError('config', `Discord does not know that application. ${FIXES.clientId}`, { cause: err });
  const net = codeOf(err);
  if (net) return new UserError('upstream', `Cannot reach ${target(opts.apiUrl)} (${net}). ${FIXES.network}`, { cause: err });
  return new UserError('upstream', `Discord refused the commands: ${e?.message ?? String(err)}`, { cause: err });
}

/** Where an admin adds the bot: scopes bot + applications.commands, the permissions the README lists. */
export function inviteUrl(applicationId: string | undefined): string | null {
  if (!applicationId) return null;
  return `https://discord.com/oauth2/authorize?client_id=${encodeURIComponent(applicationId)}&scope=bot+applications.commands&permissions=274877991936`;
}
