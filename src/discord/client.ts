import { Client, GatewayIntentBits, REST, type ClientOptions } from 'discord.js';
import type { Config, ShardingConfig } from '../config.ts';
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
    ...shardOptions(config.discord.shards),
  });
}

/**
 * Gateway shards this process runs. Always explicit: left unset, discord.js would read `SHARDS` and
 * `SHARD_COUNT` from the environment (its ShardingManager's variables), which are not ours.
 */
export function shardOptions(shards: ShardingConfig | undefined): Pick<ClientOptions, 'shards' | 'shardCount'> {
  if (!shards) return { shards: [0], shardCount: 1 };
  if (shards.count === 'auto') return { shards: 'auto' };
  return { shards: shards.ids, shardCount: shards.count };
}

/** A bare REST client with the bot token (deploy script). */
export function createRest(config: Config, token: string): REST {
  return new REST(restOptions(config)).setToken(token);
}

function restOptions(config: Config): { api?: string } {
  return config.discord.apiUrl ? { api: config.discord.apiUrl } : {};
}
