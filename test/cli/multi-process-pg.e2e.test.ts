import fs from 'node:fs';
import path from 'node:path';
import type { APIEmbed, APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.ts';
import { sendText, startFixtureServer, type FixtureServer } from '../fakes/http-server.ts';
import { createTestDatabase, hasPg, pgSkipReason, type TestDatabase } from '../helpers/pg-cluster.ts';
import { killAll, spawnNewsdesk, type NewsdeskProcess } from '../helpers/processes.ts';
import { runCliAsync } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/test-core.ts';
import { HARBOUR_TEXT, LIBRARY_TEXT } from '../watches/news-harness.ts';
import { rssFeed } from '../helpers/news-fixtures.ts';

/**
 * Real processes on one PostgreSQL database: two `newsdesk start` bots on two gateway shards of the
 * fake Discord, the CLI beside them. Each bot answers only its shard's server, and each server sees
 * only its own sources; a CLI ingest is answerable in both within seconds (LISTEN/NOTIFY); kill -9 the
 * process holding the poller lock and the other takes over within seconds without polling any source
 * twice in one interval (counted at the loopback feed server).
 */
const TOKEN = 'fake-bot-token.NTAwMDAwMDAw.pg-multi-secret';
const APP_ID = '1000';
const GUILD_EVEN = String(40n << 22n); // shard 0 of 2
const GUILD_ODD = String(41n << 22n); // shard 1 of 2
const CHANNEL_EVEN = '3301';
const CHANNEL_ODD = '3302';
const ADMIN = { id: '4001', username: 'alice' };
const MANAGE_GUILD = ((1n << 5n) | (1n << 10n) | (1n << 11n) | (1n << 31n)).toString();
const STRING = 3;
const INTERVAL_MIN = 0.1; // 6 s: several polls within the test
const INTERVAL_MS = INTERVAL_MIN * 60_000;
const HARBOUR_QUESTION = 'What did the Varnholm harbour authority decide about ferry tolls?';
const LIBRARY_QUESTION = 'How long will the Oskarsund library stay open on weekdays?';
const INGESTED_QUESTION = 'Which bird did the Quillmere wardens count on Brannock Island?';

let db: TestDatabase;
let fake: FakeDiscord;
let feeds: FixtureServer;
const hits: Record<string, number[]> = { '/even.xml': [], '/odd.xml': [] };
let bots: { even: NewsdeskProcess; odd: NewsdeskProcess };

function env(shardId: number): Record<string, string> {
  return {
    NEWSDESK_DATABASE_URL: db.url,
    NEWSDESK_DATA_DIR: tempDir(`newsdesk-pg-bot${shardId}-`), // this process's own index cache
    DISCORD_TOKEN: TOKEN,
    DISCORD_CLIENT_ID: APP_ID,
    DISCORD_API_URL: fake.restUrl,
    NEWSDESK_SHARDS: '2',
    NEWSDESK_SHARD_IDS: String(shardId),
    NEWSDESK_FETCH_ALLOWLIST: '127.0.0.1',
    NEWSDESK_RESPECT_ROBOTS: 'false',
    NEWSDESK_POLL_INTERVAL_MIN: String(INTERVAL_MIN),
    NEWSDESK_USER_RATE_PER_MIN: '100',
    NEWSDESK_GUILD_RATE_PER_MIN: '200',
    NEWSDESK_LOG_LEVEL: 'info',
  };
}

function interact(guildId: string, channelId: string, command: string, subcommand: string | undefined, options: Array<{ name: string; value: string }>) {
  return fake.sendInteraction({
    guildId,
    channelId,
    user: ADMIN,
    permissions: MANAGE_GUILD,
    command,
    ...(subcommand ? { subcommand } : {}),
    options: options.map((o) => ({ ...o, type: STRING })),
  });
}

async function reply(guildId: string, channelId: string, command: string, subcommand: string | undefined, options: Array<{ name: string; value: string }>) {
  const { id } = interact(guildId, channelId, command, subcommand, options);
  return { id, message: await fake.waitForReply(id, 20_000) };
}

const embedText = (m: APIMessage) => m.embeds.map((e: APIEmbed) => JSON.stringify(e)).join('\n') + m.content;
const handled = (p: NewsdeskProcess, interactionId: string) => p.saw(new RegExp(`"msg":"interaction".*"interactionId":"${interactionId}"`));

/** Asks until the answer contains `expected` (the article may take a moment to reach the process). */
async function eventuallyAnswers(guildId: string, channelId: string, question: string, expected: RegExp, withinMs = 20_000): Promise<string> {
  const end = Date.now() + withinMs;
  let last = '';
  while (Date.now() < end) {
    last = embedText((await reply(guildId, channelId, 'ask', undefined, [{ name: 'question', value: question }])).message);
    if (expected.test(last)) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no answer matching ${expected} in ${guildId} within ${withinMs} ms; last: ${last}`);
}

function feed(outlet: string, title: string, link: string, html: string): string {
  const paragraphs = html.split(/<\/?p>/).filter((p) => p.trim());
  return rssFeed(outlet, `${feeds.url}/`, [{ title, link: `${feeds.url}${link}`, paragraphs }]);
}

describe.skipIf(!hasPg)(`many processes on one PostgreSQL database${hasPg ? '' : ` (skipped: ${pgSkipReason()})`}`, () => {
  beforeAll(async () => {
    db = await createTestDatabase();
    feeds = await startFixtureServer({
      // One story per feed: a corpus of near-copies would leave BM25 no term that tells them apart.
      '/even.xml': (_req, res) => {
        hits['/even.xml']!.push(Date.now());
        sendText(res, 200, feed('Varnholm Gazette', 'Varnholm harbour authority doubles ferry tolls', '/harbour', HARBOUR_TEXT), 'application/rss+xml');
      },
      '/odd.xml': (_req, res) => {
        hits['/odd.xml']!.push(Date.now());
        sendText(res, 200, feed('Oskarsund Post', 'Oskarsund library extends opening hours', '/library', LIBRARY_TEXT), 'application/rss+xml');
      },
    });
    fake = await startFakeDiscord({
      token: TOKEN,
      applicationId: APP_ID,
      botUserId: APP_ID,
      shards: 2,
      maxConcurrency: 2,
      guilds: [
        { id: GUILD_EVEN, name: 'Harbour', channels: [{ id: CHANNEL_EVEN, name: 'news' }], members: [ADMIN] },
        { id: GUILD_ODD, name: 'Library', channels: [{ id: CHANNEL_ODD, name: 'news' }], members: [ADMIN] },
      ],
    });
    // Started one after the other: the first to finish migrating takes the leader lock.
    const even = spawnNewsdesk('bot shard 0', ['start'], env(0));
    await even.waitFor(/Logged in as .* in 1 server/, 60_000);
    const odd = spawnNewsdesk('bot shard 1', ['start'], env(1));
    await odd.waitFor(/Logged in as .* in 1 server/, 60_000);
    bots = { even, odd };
  }, 150_000);

  afterAll(async () => {
    await killAll();
    await fake?.close();
    await feeds?.close();
    await db?.drop();
  }, 30_000);

  it('each bot answers only its own shard’s server; each server sees only its own sources', async () => {
    const addEven = await reply(GUILD_EVEN, CHANNEL_EVEN, 'sources', 'add', [{ name: 'url', value: `${feeds.url}/even.xml` }]);
    expect(addEven.message.content).toMatch(/Now tracking/);
    const addOdd = await reply(GUILD_ODD, CHANNEL_ODD, 'sources', 'add', [{ name: 'url', value: `${feeds.url}/odd.xml` }]);
    expect(addOdd.message.content).toMatch(/Now tracking/);
    await expect.poll(() => handled(bots.even, addEven.id) && handled(bots.odd, addOdd.id)).toBe(true);
    expect(handled(bots.odd, addEven.id)).toBe(false);
    expect(handled(bots.even, addOdd.id)).toBe(false);

    // Each server's answer comes from its own source, and never from the other's (stored by another process).
    await eventuallyAnswers(GUILD_EVEN, CHANNEL_EVEN, HARBOUR_QUESTION, /\/harbour/);
    await eventuallyAnswers(GUILD_ODD, CHANNEL_ODD, LIBRARY_QUESTION, /\/library\b/);
    const harbourInOdd = embedText((await reply(GUILD_ODD, CHANNEL_ODD, 'ask', undefined, [{ name: 'question', value: HARBOUR_QUESTION }])).message);
    expect(harbourInOdd).not.toMatch(/Varnholm Gazette|\/harbour/);
    const libraryInEven = embedText((await reply(GUILD_EVEN, CHANNEL_EVEN, 'ask', undefined, [{ name: 'question', value: LIBRARY_QUESTION }])).message);
    expect(libraryInEven).not.toMatch(/Oskarsund Post|\/library/);
    const listOdd = embedText((await reply(GUILD_ODD, CHANNEL_ODD, 'sources', 'list', [])).message);
    expect(listOdd).toMatch(/odd\.xml|Oskarsund/);
    expect(listOdd).not.toMatch(/even\.xml|Varnholm/);
  }, 120_000);

  it('a CLI ingest is answered from in both servers within seconds', async () => {
    const dir = tempDir('newsdesk-pg-ingest-');
    const text = [
      'Wardens on Brannock Island off Quillmere counted 412 breeding pairs of puffins this summer, the highest number since the survey began.',
      'The Quillmere wardens said the puffin colony recovered after rats were removed from the island three years ago by the conservation trust.',
      'Volunteers spent six weeks on Brannock Island checking burrows along the western cliffs, where most of the puffins nest each year.',
      'The trust will repeat the puffin count next June and asked visiting boats to keep their distance from the cliffs during the breeding season.',
      'Local fishermen reported more sand eels around Brannock Island, which the wardens said helps the puffins feed their chicks through July.',
    ].join('\n\n');
    fs.writeFileSync(path.join(dir, 'puffins.md'), `# Quillmere wardens count a record puffin colony on Brannock Island\n\n${text}\n`);
    const ingest = await runCliAsync(['ingest', dir], {
      env: { NEWSDESK_DATABASE_URL: db.url, NEWSDESK_DATA_DIR: tempDir('newsdesk-pg-cli-'), NEWSDESK_SEED: 'false' },
    });
    expect(ingest.code, ingest.err).toBe(0);
    // Both follow the change log through LISTEN/NOTIFY (besides the 2 s catch-up timer).
    expect(bots.even.saw(/"msg":"listening for changes"/) && bots.odd.saw(/"msg":"listening for changes"/)).toBe(true);
    await eventuallyAnswers(GUILD_EVEN, CHANNEL_EVEN, INGESTED_QUESTION, /puffin/i, 15_000);
    // A cron `poll --once` beside the running bots leaves the polling to their leader.
    const once = await runCliAsync(['poll', '--once'], { env: { NEWSDESK_DATABASE_URL: db.url, NEWSDESK_DATA_DIR: tempDir('newsdesk-pg-cli-') } });
    expect(once.code, once.err).toBe(0);
    expect(once.out).toMatch(/Not polling: another process on this store is the leader/);
    await eventuallyAnswers(GUILD_ODD, CHANNEL_ODD, INGESTED_QUESTION, /puffin/i, 15_000);
  }, 60_000);

  it('kill -9 the poller lock holder: the other bot takes over within seconds and polls nothing twice in one interval', async () => {
    const leader = bots.even.saw(/"msg":"became the leader"/) ? bots.even : bots.odd;
    const standby = leader === bots.even ? bots.odd : bots.even;
    expect(standby.saw(/"msg":"became the leader"/)).toBe(false);
    // Let the leader poll both sources at least once after they were added.
    await expect.poll(() => hits['/even.xml']!.length >= 2 && hits['/odd.xml']!.length >= 2, { timeout: 30_000 }).toBe(true);
    await leader.kill9();
    const before = { even: hits['/even.xml']!.length, odd: hits['/odd.xml']!.length };
    await standby.waitFor(/"msg":"became the leader"/, 20_000);
    // The new leader polls each source again — once it is due, not at the take-over.
    await expect.poll(() => hits['/even.xml']!.length > before.even && hits['/odd.xml']!.length > before.odd, { timeout: 30_000 }).toBe(true);
    const story = () =>
      [bots.even, bots.odd]
        .flatMap((p) =>
          p.err
            .split('\n')
            .filter((l) => /leader|"msg":"poll"|standing by/.test(l))
            .map((l) => `${p.name}: ${l.slice(0, 220)}`),
        )
        .join('\n');
    for (const [feedPath, times] of Object.entries(hits)) {
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      for (const gap of gaps) expect(gap, `${feedPath} fetched at ${times.join(', ')}\n${story()}`).toBeGreaterThanOrEqual(0.85 * INTERVAL_MS);
    }
    // The survivor still answers its own server.
    const own = standby === bots.even ? { g: GUILD_EVEN, c: CHANNEL_EVEN, q: HARBOUR_QUESTION } : { g: GUILD_ODD, c: CHANNEL_ODD, q: LIBRARY_QUESTION };
    await eventuallyAnswers(own.g, own.c, own.q, /\[1\]/);
  }, 120_000);
});
