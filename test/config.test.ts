import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { shardOptions } from '../src/discord/client.ts';

describe('sharding settings (NEWSDESK_SHARDS, NEWSDESK_SHARD_IDS)', () => {
  it('unset: one shard, stated explicitly so discord.js never reads SHARDS/SHARD_COUNT from the environment', () => {
    const config = loadConfig({});
    expect(config.discord.shards).toBeUndefined();
    expect(shardOptions(config.discord.shards)).toEqual({ shards: [0], shardCount: 1 });
  });

  it('auto, a total, and a total with this process’s ids', () => {
    expect(shardOptions(loadConfig({ NEWSDESK_SHARDS: 'auto' }).discord.shards)).toEqual({ shards: 'auto' });
    expect(shardOptions(loadConfig({ NEWSDESK_SHARDS: '3' }).discord.shards)).toEqual({ shards: [0, 1, 2], shardCount: 3 });
    expect(shardOptions(loadConfig({ NEWSDESK_SHARDS: '4', NEWSDESK_SHARD_IDS: '3, 1,1' }).discord.shards)).toEqual({ shards: [1, 3], shardCount: 4 });
  });

  it('refuses what cannot work, naming the variable and the fix', () => {
    expect(() => loadConfig({ NEWSDESK_SHARDS: 'many' })).toThrow(/NEWSDESK_SHARDS="many".*auto or a whole number/);
    expect(() => loadConfig({ NEWSDESK_SHARDS: '0' })).toThrow(/NEWSDESK_SHARDS="0"/);
    expect(() => loadConfig({ NEWSDESK_SHARD_IDS: '0' })).toThrow(/NEWSDESK_SHARD_IDS=0 .*needs NEWSDESK_SHARDS set to the total/);
    expect(() => loadConfig({ NEWSDESK_SHARDS: 'auto', NEWSDESK_SHARD_IDS: '0' })).toThrow(/needs NEWSDESK_SHARDS set to the total/);
    expect(() => loadConfig({ NEWSDESK_SHARDS: '2', NEWSDESK_SHARD_IDS: '0,2' })).toThrow(/from 0 to 1 with NEWSDESK_SHARDS=2; 2 is outside/);
    expect(() => loadConfig({ NEWSDESK_SHARDS: '2', NEWSDESK_SHARD_IDS: 'zero' })).toThrow(/NEWSDESK_SHARD_IDS="zero".*separated by commas/);
  });
});
