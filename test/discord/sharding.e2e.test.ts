import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { openApp } from '../../src/app.ts';
import { startBot, type RunningBot } from '../../src/discord/bot.ts';
import { commands, components } from '../../commands/index.ts';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.ts';
import { SEED_DIR, SEED_QUESTION, tempDir } from '../helpers/test-core.ts';
import { ALICE, APP_ID, TOKEN } from './bot-harness.ts';

/**
 * NEWSDESK_SHARDS / NEWSDESK_SHARD_IDS: the production bot runs the gateway shards it is given, and
 * Discord (the fake) sends each guild's interactions only to the session of its shard.
 */
const STRING = 3;
const GUILD_EVEN = String(20n << 22n); // shard 0 of 2
const GUILD_ODD = String(21n << 22n); // shard 1 of 2
const CHANNEL_EVEN = '3101';
const CHANNEL_ODD = '3102';

let fake: FakeDiscord;
const bots: Array<{ bot: RunningBot; logs: string[] }> = [];

async function start(env: Record<string, string>): Promise<{ bot: RunningBot; logs: string[] }> {
  const config = loadConfig({
    NEWSDESK_DATA_DIR: tempDir('newsdesk-shard-'),
    DISCORD_TOKEN: TOKEN,
    DISCORD_CLIENT_ID: APP_ID,
    DISCORD_API_URL: fake.restUrl,
    NEWSDESK_SEED: 'false',
    ...env,
  });
  const logs: string[] = [];
  const logger = createLogger({ level: 'info', secrets: [TOKEN], write: (line) => logs.push(line) });
  const bot = await startBot(config, logger, { commands, components, core: () => openApp(config, { logger }), shutdownGraceMs: 300 });
  await bot.core.sources.addPath(SEED_DIR);
  const entry = { bot, logs };
  bots.push(entry);
  return entry;
}

function ask(guildId: string, channelId: string) {
  return fake.sendInteraction({ guildId, channelId, user: ALICE, command: 'ask', options: [{ name: 'question', type: STRING, value: SEED_QUESTION }] });
}

const handled = (logs: string[], id: string) => logs.some((l) => l.includes('"msg":"interaction"') && l.includes(`"interactionId":"${id}"`));

beforeAll(async () => {
  fake = await startFakeDiscord({
    token: TOKEN,
    applicationId: APP_ID,
    botUserId: APP_ID,
    shards: 2,
    maxConcurrency: 2,
    guilds: [
      { id: GUILD_EVEN, name: 'Even', channels: [{ id: CHANNEL_EVEN, name: 'news' }], members: [ALICE] },
      { id: GUILD_ODD, name: 'Odd', channels: [{ id: CHANNEL_ODD, name: 'news' }], members: [ALICE] },
    ],
  });
});

afterAll(async () => {
  for (const b of bots.splice(0)) await b.bot.stop();
  await fake?.close();
});

describe('gateway sharding', () => {
  it('two bots, NEWSDESK_SHARDS=2 with NEWSDESK_SHARD_IDS=0 and =1: each answers only its own shard’s guild', async () => {
    const zero = await start({ NEWSDESK_SHARDS: '2', NEWSDESK_SHARD_IDS: '0' });
    const one = await start({ NEWSDESK_SHARDS: '2', NEWSDESK_SHARD_IDS: '1' });
    expect([...zero.bot.client.guilds.cache.keys()]).toEqual([GUILD_EVEN]);
    expect([...one.bot.client.guilds.cache.keys()]).toEqual([GUILD_ODD]);

    const even = ask(GUILD_EVEN, CHANNEL_EVEN);
    const odd = ask(GUILD_ODD, CHANNEL_ODD);
    expect((await fake.waitForReply(even.id, 15_000)).embeds[0]?.description).toMatch(/\[1\]/);
    expect((await fake.waitForReply(odd.id, 15_000)).embeds[0]?.description).toMatch(/\[1\]/);
    await expect.poll(() => handled(zero.logs, even.id) && handled(one.logs, odd.id)).toBe(true);
    expect(handled(zero.logs, odd.id)).toBe(false);
    expect(handled(one.logs, even.id)).toBe(false);
    for (const b of bots.splice(0)) await b.bot.stop();
  }, 60_000);

  it('NEWSDESK_SHARDS=auto: one process runs every shard Discord recommends and answers in both guilds', async () => {
    const all = await start({ NEWSDESK_SHARDS: 'auto' });
    expect([...all.bot.client.ws.shards.keys()].sort()).toEqual([0, 1]);
    const even = ask(GUILD_EVEN, CHANNEL_EVEN);
    const odd = ask(GUILD_ODD, CHANNEL_ODD);
    await fake.waitForReply(even.id, 15_000);
    await fake.waitForReply(odd.id, 15_000);
    await expect.poll(() => handled(all.logs, even.id) && handled(all.logs, odd.id)).toBe(true);
  }, 60_000);
});
