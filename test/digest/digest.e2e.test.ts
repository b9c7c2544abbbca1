import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIMessage } from 'discord.js';
import { DISCORD_LIMITS } from '../../src/discord/discord-limits.ts';
import {
  ADMIN,
  ALICE,
  BOB,
  CAROL,
  CHANNEL,
  GUILD_A,
  GUILD_B,
  GUILD_C,
  LOCKED_A,
  NEWS_A,
  NEWS_B,
  STRING,
  startNewsHarness,
  type NewsHarness,
} from '../watches/news-harness.ts';

let h: NewsHarness;
beforeAll(async () => {
  h = await startNewsHarness();
}, 30_000);
afterAll(async () => {
  await h?.close();
});

async function run(spec: Parameters<NewsHarness['fake']['sendInteraction']>[0]): Promise<APIMessage> {
  const { id } = h.fake.sendInteraction(spec);
  return h.fake.waitForReply(id, 15_000);
}

async function addSource(guildId: string, channelId: string, user: typeof ALICE, path: string): Promise<void> {
  const reply = await run({
    guildId,
    channelId,
    user,
    permissions: ADMIN,
    command: 'sources',
    subcommand: 'add',
    options: [{ name: 'url', type: STRING, value: `${h.feeds.url}${path}` }],
  });
  expect(reply.content).toMatch(/Now tracking/);
}

const digestNow = (guildId: string, channelId: string, user: typeof ALICE, since?: string) =>
  run({ guildId, channelId, user, command: 'digest', subcommand: 'now', options: since ? [{ name: 'since', type: STRING, value: since }] : [] });

function schedule(opts: { time: string; timezone?: string; frequency?: string; channel?: string; permissions?: string }) {
  const channel = opts.channel ?? NEWS_A;
  return run({
    guildId: GUILD_A,
    channelId: NEWS_A,
    user: ALICE,
    permissions: opts.permissions ?? ADMIN,
    command: 'digest',
    subcommand: 'schedule',
    options: [
      { name: 'channel', type: CHANNEL, value: channel },
      { name: 'time', type: STRING, value: opts.time },
      ...(opts.timezone ? [{ name: 'timezone', type: STRING, value: opts.timezone }] : []),
      ...(opts.frequency ? [{ name: 'frequency', type: STRING, value: opts.frequency }] : []),
    ],
    resolved: { channels: { [channel]: { id: channel, type: 0, name: 'c', guild_id: GUILD_A, permissions: '0' } } } as never,
  });
}

const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);

describe('/digest against a local Discord', () => {
  it('says so when the server tracks no sources, and refuses a bad since', async () => {
    expect((await digestNow(GUILD_C, '3005', CAROL)).content).toMatch(/tracks no sources yet/);
    await addSource(GUILD_A, NEWS_A, ALICE, '/gazette.xml');
    expect((await digestNow(GUILD_A, NEWS_A, ALICE, 'yesterday')).content).toMatch(/"since" takes a span such as 12h, 3d or 2w/);
  });

  it('clusters copies into one story with this server’s outlets and cites each summary sentence', async () => {
    await addSource(GUILD_A, NEWS_A, ALICE, '/herald.xml');
    await addSource(GUILD_A, NEWS_A, ALICE, '/post.xml');
    await addSource(GUILD_B, NEWS_B, BOB, '/wire.xml');
    // Anyone may ask for a digest: Alice without Manage Server here.
    const reply = await digestNow(GUILD_A, NEWS_A, { id: '4009', username: 'dora' }, '1d');
    expect(reply.flags! & 64).toBe(0); // public
    const e = reply.embeds[0]!;
    expect(e.title).toMatch(/^Top stories since \d+ \w{3} \d{4}, \d{2}:\d{2} UTC$/);
    const d = e.description!;
    expect(d.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
    const blocks = d.split('\n\n');
    // The harbour story: carried by three of A's outlets (the Nordic Wire is B's), first because most outlets carry it.
    expect(blocks[0]).toMatch(/^\*\*1\. \[Varnholm harbour authority doubles ferry tolls\]/);
    expect(blocks[0]).toMatch(/Varnholm Gazette · (Coast Herald|Varnholm Post) · (Coast Herald|Varnholm Post)/);
    expect(d).not.toContain('Nordic Wire');
    // The library story and its follow-up (the new librarians) are one developing story.
    const library = blocks.find((b) => /Oskarsund library/.test(b))!;
    expect(library).toMatch(/\[\d+\].*\[\d+\]/s);
    expect(blocks.filter((b) => /Oskarsund library/.test(b))).toHaveLength(1);
    // Every [n] in a summary has its numbered source in the same block, and quotes are verbatim.
    for (const b of blocks) {
      const [, , summary = '', sources = ''] = b.split('\n');
      for (const m of summary.matchAll(/\[(\d+)\]/g)) expect(sources).toContain(`[${m[1]}] [`);
    }
    expect(e.footer!.text).toMatch(/stories from 3 outlets · as of/);
  });

  it('defaults to what is new since the last digest and says when nothing is', async () => {
    const again = await digestNow(GUILD_A, NEWS_A, ALICE);
    expect(again.content).toMatch(/^No new stories since \d+ \w{3} \d{4}, \d{2}:\d{2} UTC in the sources this server tracks\.$/);
  });

  it('refuses bad schedules: unknown time zone, bad time, no permission, a channel the bot cannot post in', async () => {
    expect((await schedule({ time: '08:00', timezone: 'Mars/Olympus_Mons' })).content).toMatch(/Unknown time zone "Mars\/Olympus_Mons"\. Use an IANA name/);
    expect((await schedule({ time: '25:00' })).content).toMatch(/"25:00" is not a time of day/);
    expect((await schedule({ time: '08:00', permissions: '0' })).content).toMatch(/Manage Server/);
    expect((await schedule({ time: '08:00', channel: LOCKED_A })).content).toMatch(/cannot post digests there: the bot lacks Send Messages/);
  });

  it('posts a scheduled digest when the (fake) clock reaches its time, once, and stops on /digest off', async () => {
    const at = h.clock.now() + 2 * 60_000;
    const reply = await schedule({ time: hhmm(at), timezone: 'utc' });
    expect(reply.content).toMatch(new RegExp(`every day at ${hhmm(at)} \\(UTC\\)`));
    await addSource(GUILD_A, NEWS_A, ALICE, '/bridge.xml');
    const before = h.fake.channelMessages(NEWS_A).length;
    const digests = () =>
      h.fake
        .channelMessages(NEWS_A)
        .slice(before)
        .filter((m) => m.embeds[0]?.title?.startsWith('Top stories since'));
    h.clock.advance(60_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(digests()).toHaveLength(0); // not yet
    h.clock.advance(2 * 60_000);
    await waitUntil(() => digests().length === 1);
    expect(digests()[0]!.embeds[0]!.description).toMatch(/Kestrel bridge/);
    h.clock.advance(60_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(digests()).toHaveLength(1);
    expect((await run({ guildId: GUILD_A, channelId: NEWS_A, user: ALICE, permissions: ADMIN, command: 'digest', subcommand: 'off' })).content).toMatch(
      /^Stopped the digest/,
    );
    expect((await run({ guildId: GUILD_A, channelId: NEWS_A, user: ALICE, permissions: ADMIN, command: 'digest', subcommand: 'off' })).content).toMatch(
      /no digest schedule/,
    );
  });
});

async function waitUntil(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
