import { Client, GatewayIntentBits, REST } from 'discord.js';
import type { Config } from '../config.ts';
import { NO_MENTIONS } from './command.ts';

/**
 * Intents: Guilds (guilds, channels, threads, slash commands) and GuildMessages (to see mentions).
 * No MessageContent: Discord delivers the content of messages that mention the bot without it.
 */
export const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] as const;

/** The discord.js client; REST goes to `DISCORD_API_URL` when set (a proxy), and the gateway URL is discovered from it. */
export function createDiscordClient(config: Config): Client {
  return new Client({
    intents: [...INTENTS],
    rest: restOptions(config),
    allowedMentions: NO_MENTIONS,
  });
}

/** A bare REST client with the bot token (deploy script). */
export function createRest(config: Config, token: string): REST {
  return new REST(restOptions(config)).setToken(token);
}

function restOptions(config: Config): { api?: string } {
  return config.discord.apiUrl ? { api: config.discord.apiUrl } : {};
}
