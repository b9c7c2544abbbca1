import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { APIEmbed, APIMessage } from 'discord.js';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/logger.ts';
import { UserError } from '../../src/errors.ts';
import { openApp } from '../../src/app.ts';
import { startBot } from '../../src/discord/bot.ts';
import { commands } from '../../commands/index.ts';
import { DISCORD_LIMITS, embedLength } from '../../src/discord/discord-limits.ts';
import type { RecordedCall } from '../fakes/fake-discord.ts';
import { SEED_QUESTION } from '../helpers/test-core.ts';
import { ADMIN_PERMISSIONS, ALICE, APP_ID, BOB, CHANNEL_A, CHANNEL_B, GUILD_A, GUILD_B, startHarness, TOKEN, type Harness } from './bot-harness.ts';

const STRING = 3;
const HARBOUR_QUESTION = 'What did the Varnholm harbour authority decide about ferry tolls?';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 30_000);
afterAll(async () => {
  await h?.close();
});

function ask(guildId: string, channelId: string, question: string, user = ALICE) {
  return h.fake.sendInteraction({ guildId, channelId, user, command: 'ask', options: [{ name: 'question', type: STRING, value: question }] });
}

function embedOf(m: APIMessage): APIEmbed {
  expect(m.embeds).toHaveLength(1);
  return m.embeds[0]!;
}

const isCallback = (c: RecordedCall) => c.method === 'POST' && c.path.endsWith('/callback');

describe('the bot against a local Discord', () => {
  it('identifies with Guilds + GuildMessages only and registers its commands once', async () => {
    const identify = await h.fake.identified;
    expect(Number(identify.intents)).toBe(1 | 512); // Guilds | GuildMessages, no MessageContent
    const route = `/applications/${APP_ID}/commands`;
    const calls = h.fake.calls.filter((c) => c.path === route);
    expect(calls.map((c) => c.method)).toEqual(['GET', 'PUT']);
    const body = calls[1]!.body as Array<Record<string, unknown>>;
    expect(body.map((c) => c.name)).toEqual([
      'ask',
      'search',
      'latest',
      'sources',
      'watch',
      'digest',
      'insights',
      'settings',
      'help',
      'Ask Newsdesk',
      'Find coverage',
    ]);
    expect(body.find((c) => c.name === 'sources')!.default_member_permissions).toBe('32');
    expect(h.fake.commands()).toHaveLength(11);

    // A restart with the same commands only compares: GET, no PUT.
    const secondConfig = loadConfig(h.env());
    const second = await startBot(secondConfig, silentLogger, { commands, core: () => openApp(secondConfig), shutdownGraceMs: 100 });
    await second.stop();
    expect(h.fake.calls.filter((c) => c.path === route).map((c) => c.method)).toEqual(['GET', 'PUT', 'GET']);
  });

  it('/ask defers at once, then edits in an embed citing the seed article', async () => {
    const { id } = ask(GUILD_A, CHANNEL_A, SEED_QUESTION);
    const reply = await h.fake.waitForReply(id, 10_000);
    const [first] = h.fake.interactionResponses(id);
    expect(isCallback(first!)).toBe(true);
    expect((first!.body as { type: number }).type).toBe(5); // deferred
    const embed = embedOf(reply);
    expect(embed.description).toMatch(/\[1\]/);
    expect(embed.description).toMatch(/\*\*\[1\]\*\* .*MENAFN, 2024-11-07/);
    const edit = h.fake.interactionResponses(id).find((c) => c.method === 'PATCH')!;
    expect((edit.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it('/help names the demo source while there is one', async () => {
    const demo = h.bot.core.sources.list({ kind: 'all' }).find((x) => x.kind === 'file')!;
    const { id } = h.fake.sendInteraction({ guildId: GUILD_A, channelId: CHANNEL_A, user: ALICE, command: 'help' });
    const embed = embedOf(await h.fake.waitForReply(id));
    const field = (embed.fields ?? []).find((f: { name: string }) => f.name === 'Demo source');
    expect(field?.value).toMatch(new RegExp(`source #${demo.id}, from data/seed/.*sources remove ${demo.id}`));
  });

  it("refuses a non-admin's /sources add and changes nothing", async () => {
    const before = h.bot.core.sources.list({ kind: 'all' }).length;
    const { id } = h.fake.sendInteraction({
      guildId: GUILD_A,
      channelId: CHANNEL_A,
      user: BOB,
      command: 'sources',
      subcommand: 'add',
      options: [{ name: 'url', type: STRING, value: `${h.feed.url}/feed.xml` }],
    });
    const reply = await h.fake.waitForReply(id);
    expect(reply.content).toMatch(/Manage Server/);
    expect(reply.flags! & 64).toBe(64); // ephemeral
    expect(h.feed.requests).toHaveLength(0);
    expect(h.bot.core.sources.list({ kind: 'all' })).toHaveLength(before);
  });

  it("ingests a loopback feed on an admin's /sources add, for that guild only", async () => {
    const { id } = h.fake.sendInteraction({
      guildId: GUILD_A,
      channelId: CHANNEL_A,
      user: ALICE,
      permissions: ADMIN_PERMISSIONS,
      command: 'sources',
      subcommand: 'add',
      options: [
        { name: 'url', type: STRING, value: `${h.feed.url}/feed.xml` },
        { name: 'name', type: STRING, value: 'Varnholm Gazette' },
      ],
    });
    const reply = await h.fake.waitForReply(id, 15_000);
    expect(reply.content).toMatch(/Now tracking \*\*#\d+ Varnholm Gazette\*\* \(feed\)\. Found 6 articles \(6 new\)/);
    expect(reply.flags! & 64).toBe(64);
    const added = h.bot.core.sources.list({ kind: 'all' }).find((s) => s.name === 'Varnholm Gazette')!;
    expect(added.guildId).toBe(GUILD_A);
    expect(added.articleCount).toBe(6);

    const list = h.fake.sendInteraction({
      guildId: GUILD_A,
      channelId: CHANNEL_A,
      user: ALICE,
      permissions: ADMIN_PERMISSIONS,
      command: 'sources',
      subcommand: 'list',
    });
    const fields = embedOf(await h.fake.waitForReply(list.id)).fields!;
    expect(fields.some((f) => f.name.includes('Varnholm Gazette') && f.value.includes('6 articles'))).toBe(true);
  });

  it("answers from guild A's source in guild A and never in guild B", async () => {
    const inA = embedOf(await h.fake.waitForReply(ask(GUILD_A, CHANNEL_A, HARBOUR_QUESTION).id, 10_000));
    expect(inA.description).toContain(h.feed.url);
    const inB = embedOf(await h.fake.waitForReply(ask(GUILD_B, CHANNEL_B, HARBOUR_QUESTION, BOB).id, 10_000));
    expect(inB.description).not.toContain(h.feed.url);
    expect(inB.description).not.toMatch(/Varnholm Gazette/);

    const latestB = h.fake.sendInteraction({ guildId: GUILD_B, channelId: CHANNEL_B, user: BOB, command: 'latest' });
    expect(JSON.stringify(await h.fake.waitForReply(latestB.id))).not.toContain('Varnholm');
  });

  it('pages /search results with buttons', async () => {
    const { id } = h.fake.sendInteraction({
      guildId: GUILD_A,
      channelId: CHANNEL_A,
      user: ALICE,
      command: 'search',
      options: [{ name: 'query', type: STRING, value: 'Varnholm ferry tolls' }],
    });
    const page1 = await h.fake.waitForReply(id, 10_000);
    expect(embedOf(page1).footer?.text).toMatch(/Page 1 of 2/);
    const next = (page1.components![0] as { components: Array<{ custom_id: string; label: string }> }).components.find((b) => b.label === 'Next')!;
    const click = h.fake.sendComponentInteraction({ messageId: page1.id, customId: next.custom_id, user: ALICE });
    await h.fake.waitForCall((c) => c.method === 'PATCH' && h.fake.interactionResponses(click.id).includes(c));
    expect(h.fake.interaction(click.id).callbackType).toBe(6); // acknowledged first, then the message is edited
    expect(embedOf(h.fake.message(page1.id)!).footer?.text).toMatch(/Page 2 of 2/);
  });

  it('replies to a mention, and a follow-up in the reply chain carries the previous question', async () => {
    const spy = vi.spyOn(h.bot.core, 'ask');
    const msgId = h.fake.sendMessage({ guildId: GUILD_A, channelId: CHANNEL_A, author: ALICE, content: `<@${APP_ID}> ${SEED_QUESTION}` });
    const isReplyTo = (m: string) => (c: RecordedCall) =>
      c.method === 'POST' &&
      c.path === `/channels/${CHANNEL_A}/messages` &&
      (c.body as { message_reference?: { message_id: string } }).message_reference?.message_id === m;
    const sent = await h.fake.waitForCall(isReplyTo(msgId), 10_000);
    const answer = sent.response as APIMessage;
    expect(embedOf(answer).description).toMatch(/MENAFN/);
    expect((sent.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [], replied_user: false });

    const followId = h.fake.sendMessage({
      guildId: GUILD_A,
      channelId: CHANNEL_A,
      author: ALICE,
      content: `<@${APP_ID}> and what did Washington say?`,
      referencedMessageId: answer.id,
      mentions: [{ id: APP_ID }],
    });
    await h.fake.waitForCall(isReplyTo(followId), 10_000);
    expect(spy.mock.calls.at(-1)![0]).toBe(`${SEED_QUESTION}\nand what did Washington say?`);
    spy.mockRestore();
  });

  it('keeps an oversized answer within Discord limits', async () => {
    const long = Array.from({ length: 300 }, (_, i) => `Claim ${i} is stated at length in the article with plenty of detail [${(i % 12) + 1}].`).join(' ');
    const citations = Array.from({ length: 12 }, (_, i) => ({
      n: i + 1,
      title: `A very long headline ${'x'.repeat(300)}`,
      url: `https://example.org/${i}`,
      source: 'Outlet',
      published: '2024-11-07',
      quote: 'q',
    }));
    const spy = vi
      .spyOn(h.bot.core, 'ask')
      .mockResolvedValueOnce({ question: 'q', answer: long, citations, grounded: true, direct_answer: null, timings_ms: { retrieve: 0, answer: 0 } });
    const reply = await h.fake.waitForReply(ask(GUILD_A, CHANNEL_A, 'Tell me everything').id, 10_000);
    spy.mockRestore();
    const embed = embedOf(reply);
    expect(embed.description!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
    expect(embedLength(embed as Parameters<typeof embedLength>[0])).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    expect(embed.description).toMatch(/\]\. …\n\n\*\*Sources\*\*/);
  });

  it('ends the interaction with an error message when the core fails', async () => {
    const spy = vi.spyOn(h.bot.core, 'ask').mockRejectedValueOnce(new Error('database exploded'));
    const reply = await h.fake.waitForReply(ask(GUILD_A, CHANNEL_A, SEED_QUESTION).id, 10_000);
    expect(reply.content).toMatch(/^⚠️ Something went wrong/);
    expect(reply.content).not.toContain('exploded');
    spy.mockRejectedValueOnce(new UserError('bad-input', 'That question makes no sense.'));
    const second = await h.fake.waitForReply(ask(GUILD_A, CHANNEL_A, SEED_QUESTION).id, 10_000);
    expect(second.content).toBe('⚠️ That question makes no sense.');
    spy.mockRestore();
  });

  it('logs one structured line per interaction with guild, command and latency, never the token', () => {
    const events = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.msg === 'interaction');
    expect(events.length).toBeGreaterThan(5);
    expect(events.find((e) => e.command === 'ask')).toMatchObject({ guildId: GUILD_A, outcome: 'ok', latencyMs: expect.any(Number) });
    expect(events.find((e) => e.command === 'sources add' && e.outcome === 'refused')).toBeDefined();
    expect(h.logs.join('\n')).not.toContain(TOKEN);
    expect(h.logs.some((l) => l.includes('"level":"error"') && l.includes('database exploded'))).toBe(true);
  });

  it('politely fails an in-flight answer on shutdown', async () => {
    vi.spyOn(h.bot.core, 'ask').mockImplementationOnce(() => new Promise(() => {}));
    const { id } = ask(GUILD_A, CHANNEL_A, SEED_QUESTION);
    await h.fake.waitForCall((c) => isCallback(c) && c.path.startsWith(`/interactions/${id}/`));
    await h.bot.stop();
    const reply = await h.fake.waitForReply(id);
    expect(reply.content).toMatch(/restarting/);
  });
});
