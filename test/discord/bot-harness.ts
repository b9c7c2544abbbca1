/**
 * Starts the production bot (`startBot`) against the fake Discord, with a temporary store holding
 * the seed article and a loopback feed server for `/sources add`.
 */
import { loadConfig, type Config } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { openApp } from '../../src/app.ts';
import { startBot, type RunningBot } from '../../src/discord/bot.ts';
import { commands, components } from '../../commands/index.ts';
import { startFakeDiscord, type FakeDiscord, type FakeUserSpec } from '../fakes/fake-discord.ts';
import { sendText, startFixtureServer, type FixtureServer } from '../fakes/http-server.ts';
import { SEED_DIR, tempDir } from '../helpers/test-core.ts';

export const TOKEN = 'fake-bot-token.NTAwMDAwMDAw.secret-part-xyz';
export const APP_ID = '1000';
export const GUILD_A = '2001';
export const GUILD_B = '2002';
export const CHANNEL_A = '3001';
export const CHANNEL_B = '3002';
export const ALICE: FakeUserSpec = { id: '4001', username: 'alice' };
export const BOB: FakeUserSpec = { id: '4002', username: 'bob' };
/** ManageGuild, as a decimal string like Discord sends it. */
export const ADMIN_PERMISSIONS = ((1n << 5n) | (1n << 10n) | (1n << 11n) | (1n << 31n)).toString();

export interface Harness {
  fake: FakeDiscord;
  feed: FixtureServer;
  bot: RunningBot;
  config: Config;
  logs: string[];
  /** Env for a second bot against the same fake (fresh store). */
  env(): Record<string, string>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const fake = await startFakeDiscord({
    token: TOKEN,
    applicationId: APP_ID,
    botUserId: APP_ID,
    guilds: [
      { id: GUILD_A, name: 'Guild A', channels: [{ id: CHANNEL_A, name: 'news' }], members: [ALICE] },
      { id: GUILD_B, name: 'Guild B', channels: [{ id: CHANNEL_B, name: 'news' }], members: [BOB] },
    ],
  });
  const feed = await startFixtureServer({
    '/feed.xml': (_req, res) => sendText(res, 200, harbourFeed(feedBase()), 'application/rss+xml'),
  });
  const feedBase = () => feed.url;
  const env = (): Record<string, string> => ({
    NEWSDESK_DATA_DIR: tempDir('newsdesk-discord-'),
    DISCORD_TOKEN: TOKEN,
    DISCORD_CLIENT_ID: APP_ID,
    DISCORD_API_URL: fake.restUrl,
    NEWSDESK_FETCH_ALLOWLIST: '127.0.0.1',
    NEWSDESK_RESPECT_ROBOTS: 'false',
    NEWSDESK_USER_RATE_PER_MIN: '100',
    NEWSDESK_GUILD_RATE_PER_MIN: '200',
  });
  const config = loadConfig(env());
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', secrets: [TOKEN], write: (line) => logs.push(line) });
  const bot = await startBot(config, logger, { commands, components, core: () => openApp(config, { logger }), shutdownGraceMs: 300 });
  await bot.core.sources.addPath(SEED_DIR);
  return {
    fake,
    feed,
    bot,
    config,
    logs,
    env,
    async close() {
      await bot.stop(); // also closes the store the bot opened
      await feed.close();
      await fake.close();
    },
  };
}

/** An RSS feed whose six items carry full text (≥ 150 words, so no page fetch) about a made-up harbour, so nothing else matches them. */
export function harbourFeed(base: string): string {
  const items = Array.from({ length: 6 }, (_, i) => {
    const n = i + 1;
    const day = String(n).padStart(2, '0');
    const text = [
      `The Varnholm harbour authority voted on ${n} December to double the ferry tolls for freight lorries, its chair Ingrid Solberg told reporters.`,
      `Solberg said the Varnholm ferry toll increase would pay for dredging the northern basin, which silted up after the autumn storms.`,
      `Hauliers in Varnholm protested against the toll decision and said they would appeal to the regional transport board within a month.`,
      `Item ${n} of the series adds that the harbour authority will review the tolls again next spring after an independent audit.`,
      `Fishing cooperatives were exempted from the increase, the authority said, because their boats use the southern quay, which needs no dredging this year.`,
      `Local shopkeepers told the Gazette they feared higher prices for goods that arrive by lorry on the morning ferry from the mainland.`,
      `The regional transport board has not yet said when it would hear the appeal, but a spokesman confirmed that the hauliers' letter had arrived.`,
    ]
      .map((p) => `<p>${p}</p>`)
      .join('');
    return `<item>
  <title>Varnholm harbour authority doubles ferry tolls (${n})</title>
  <link>${base}/articles/${n}</link>
  <guid>${base}/articles/${n}</guid>
  <pubDate>${new Date(`2024-12-${day}T09:00:00Z`).toUTCString()}</pubDate>
  <description>Varnholm ferry tolls doubled.</description>
  <content:encoded><![CDATA[${text}]]></content:encoded>
</item>`;
  }).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Varnholm Gazette</title>
  <link>${base}/</link>
  <description>Local news from Varnholm</description>
${items}
</channel>
</rss>`;
}
