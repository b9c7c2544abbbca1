import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIMessage } from 'discord.js';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { openApp } from '../../src/app.ts';
import { startBot, type RunningBot } from '../../src/discord/bot.ts';
import { commands, components } from '../../commands/index.ts';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.ts';
import { runCliAsync } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/test-core.ts';
import { freshStore, STORE_ADAPTERS, type StoreTarget } from '../helpers/store-adapters.ts';
import { ADMIN, ALICE, APP_ID, HARBOUR_TEXT, STRING, TOKEN } from './news-harness.ts';

/**
 * Two bots on one store, on two shards; the leader (shard 1) posts every alert, also in a server on
 * the other shard that it has no gateway session for (over REST), and also for an article that a
 * third process (`newsdesk ingest`) stored — once, however many processes saw the article.
 */
const GUILD = String(30n << 22n); // shard 0 of 2
const NEWS = '3201';
const ALERTS = '3202';

let fake: FakeDiscord;
const bots: Array<{ bot: RunningBot; logs: string[] }> = [];
let store: StoreTarget;

/** The store's environment; on PostgreSQL each process also gets a data dir of its own (its index cache). */
const storeEnv = (): Record<string, string> => (store.databaseUrl ? { ...store.env, NEWSDESK_DATA_DIR: tempDir('newsdesk-alert-cache-') } : store.env);

async function start(shardId: number): Promise<{ bot: RunningBot; logs: string[] }> {
  const config = loadConfig({
    ...storeEnv(),
    DISCORD_TOKEN: TOKEN,
    DISCORD_CLIENT_ID: APP_ID,
    DISCORD_API_URL: fake.restUrl,
    NEWSDESK_SEED: 'false',
    NEWSDESK_SHARDS: '2',
    NEWSDESK_SHARD_IDS: String(shardId),
  });
  const logs: string[] = [];
  const logger = createLogger({ level: 'info', secrets: [TOKEN], write: (line) => logs.push(line) });
  const bot = await startBot(config, logger, {
    commands,
    components,
    core: async () => {
      const app = await openApp(config, { logger, followIntervalMs: 200 });
      app.warmUp(); // as run-bot does: follow the other processes' writes
      return app;
    },
    shutdownGraceMs: 300,
  });
  const entry = { bot, logs };
  bots.push(entry);
  return entry;
}

const alerts = (channelId: string): APIMessage[] =>
  fake.channelMessages(channelId).filter((m) => !m.webhook_id && m.author.id === fake.botUser.id && m.embeds[0]?.footer?.text.startsWith('Watch #'));

async function startFake(): Promise<void> {
  fake = await startFakeDiscord({
    token: TOKEN,
    applicationId: APP_ID,
    botUserId: APP_ID,
    shards: 2,
    maxConcurrency: 2,
    guilds: [
      {
        id: GUILD,
        name: 'Harbour watchers',
        channels: [
          { id: NEWS, name: 'news' },
          { id: ALERTS, name: 'alerts' },
        ],
        members: [ALICE],
      },
    ],
  });
}

describe.each(STORE_ADAPTERS)('alerts with several bot processes on one store ($name)', ({ name, available }) => {
  beforeAll(async () => {
    if (!available) return;
    store = await freshStore(name);
    await startFake();
  });
  afterAll(async () => {
    for (const b of bots.splice(0).reverse()) await b.bot.stop();
    await fake?.close();
    await store?.cleanup();
  });

  it.skipIf(!available)(
    'the leader alone posts, once, for an article another process ingested, in a server on another shard',
    async () => {
      const leader = await start(1); // first to start: takes the leader lock
      await expect.poll(() => leader.logs.some((l) => l.includes('"msg":"became the leader"'))).toBe(true);
      const standby = await start(0); // runs the watch's server, answers its commands
      expect(standby.logs.some((l) => l.includes('standing by'))).toBe(true);
      expect(standby.bot.client.guilds.cache.has(GUILD)).toBe(true);
      expect(leader.bot.client.guilds.cache.has(GUILD)).toBe(false);

      const { id } = fake.sendInteraction({
        guildId: GUILD,
        channelId: NEWS,
        user: ALICE,
        permissions: ADMIN,
        command: 'watch',
        subcommand: 'add',
        options: [
          { name: 'topic', type: STRING, value: 'Varnholm ferry tolls' },
          { name: 'channel', type: 7, value: ALERTS },
        ],
        resolved: { channels: { [ALERTS]: { id: ALERTS, type: 0, name: 'alerts', guild_id: GUILD, permissions: '0' } } } as never,
      });
      expect((await fake.waitForReply(id, 15_000)).content).toMatch(/Watching|watch/i);

      // The operator ingests a file from the command line: a third process, an operator (global) source.
      const dir = tempDir('newsdesk-alert-file-');
      const text = HARBOUR_TEXT.replace(/<\/?p>/g, '\n\n');
      fs.writeFileSync(path.join(dir, 'varnholm.md'), `# Varnholm harbour authority doubles the ferry tolls\n\n${text}\n`);
      const ingest = await runCliAsync(['ingest', dir], { env: { ...storeEnv(), NEWSDESK_SEED: 'false' } });
      expect(ingest.code, ingest.err).toBe(0);

      await expect
        .poll(() => alerts(ALERTS).length, { timeout: 20_000 })
        .toBe(1)
        .catch((err: unknown) => {
          throw new Error(`no alert; leader logs:\n${leader.logs.slice(-15).join('\n')}`, { cause: err });
        });
      expect(alerts(ALERTS)[0]!.embeds[0]!.title).toMatch(/Varnholm/);
      // Given time to post a second one, nobody does: the standby has no sink, the leader claimed the story.
      await new Promise((r) => setTimeout(r, 1500));
      expect(alerts(ALERTS)).toHaveLength(1);
      expect(leader.logs.some((l) => l.includes('"msg":"alert posted"'))).toBe(true);
      expect(standby.logs.some((l) => l.includes('"msg":"alert posted"'))).toBe(false);
    },
    90_000,
  );
});
