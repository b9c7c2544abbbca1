/**
 * Issue #12 end to end: the production bot (`startBot`) against the fake Discord, with a real store on a
 * temporary data dir — context menus, source autocomplete, feedback buttons (surviving a restart of the
 * bot on the same data dir), /insights, thread follow-ups and answers in a thread per question.
 */
import fs from 'node:fs';
import { ComponentType, type APIEmbed, type APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { openApp } from '../../src/app.ts';
import { startBot, type RunningBot } from '../../src/discord/bot.ts';
import { commands, components } from '../../commands/index.ts';
import { startFakeDiscord, type FakeDiscord, type FakeUserSpec } from '../fakes/fake-discord.ts';
import { sendText, startFixtureServer, type FixtureServer } from '../fakes/http-server.ts';
import { SEED_DIR, tempDir } from '../helpers/test-core.ts';
import { ADMIN_PERMISSIONS, ALICE, APP_ID, BOB, CHANNEL_A, CHANNEL_B, GUILD_A, GUILD_B, harbourFeed, TOKEN } from './bot-harness.ts';

const STRING = 3;
const BOOLEAN = 5;
const INTEGER = 4;
const BUSY = '3011'; // a second channel in guild A, switched to answers in threads
const CAROL: FakeUserSpec = { id: '4003', username: 'carol' };
const DAVE: FakeUserSpec = { id: '4004', username: 'dave' };
const HARBOUR_Q = 'What did the Varnholm harbour authority decide about ferry tolls?';
const GAP_1 = 'How much does yak butter tea cost in Ulaanbaatar?';
const GAP_2 = 'Ulaanbaatar yak butter tea cost?';

let fake: FakeDiscord;
let feeds: FixtureServer;
let bot: RunningBot;
let env: Record<string, string>;
const logs: string[] = [];
const logger = createLogger({ level: 'debug', secrets: [TOKEN], write: (l) => logs.push(l) });
let gazetteId = 0;

/** A one-item feed with full text about something nobody here asks about. */
function quietFeed(base: string): string {
  const text = Array.from(
    { length: 8 },
    (_, i) =>
      `<p>The Oldmere public library extends its opening hours on Thursdays, paragraph ${i + 1} of the notice says, and the reading room gains new chairs.</p>`,
  ).join('');
  return `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Quiet Weekly</title><link>${base}/</link><description>Q</description>
<item><title>Oldmere library opening hours</title><link>${base}/quiet/1</link><guid>${base}/quiet/1</guid><pubDate>${new Date('2024-12-03T09:00:00Z').toUTCString()}</pubDate><content:encoded><![CDATA[${text}]]></content:encoded></item></channel></rss>`;
}

/** The bot as `npm start` runs it: the shipped commands and components, the App opened by the bot. */
async function startTheBot(): Promise<RunningBot> {
  const config = loadConfig(env);
  return startBot(config, logger, { commands, components, core: () => openApp(config, { logger }), shutdownGraceMs: 300 });
}

beforeAll(async () => {
  fake = await startFakeDiscord({
    token: TOKEN,
    applicationId: APP_ID,
    botUserId: APP_ID,
    guilds: [
      {
        id: GUILD_A,
        name: 'Guild A',
        channels: [
          { id: CHANNEL_A, name: 'news' },
          { id: BUSY, name: 'busy' },
        ],
        members: [ALICE, BOB, CAROL],
      },
      { id: GUILD_B, name: 'Guild B', channels: [{ id: CHANNEL_B, name: 'news' }], members: [DAVE] },
    ],
  });
  feeds = await startFixtureServer({
    '/feed.xml': (_req, res) => sendText(res, 200, harbourFeed(feeds.url), 'application/rss+xml'),
    '/brindle.xml': (_req, res) => sendText(res, 200, harbourFeed(feeds.url).replace('Varnholm Gazette', 'Brindle Post'), 'application/rss+xml'),
    '/quiet.xml': (_req, res) => sendText(res, 200, quietFeed(feeds.url), 'application/rss+xml'),
  });
  env = {
    NEWSDESK_DATA_DIR: tempDir('newsdesk-ask-features-'),
    DISCORD_TOKEN: TOKEN,
    DISCORD_CLIENT_ID: APP_ID,
    DISCORD_API_URL: fake.restUrl,
    NEWSDESK_FETCH_ALLOWLIST: '127.0.0.1',
    NEWSDESK_RESPECT_ROBOTS: 'false',
    NEWSDESK_USER_RATE_PER_MIN: '500',
    NEWSDESK_GUILD_RATE_PER_MIN: '500',
    NEWSDESK_LOG_LEVEL: 'silent',
  };
  bot = await startTheBot();
  await bot.core.sources.addPath(SEED_DIR);
  gazetteId = (await bot.core.sources.addUrl(`${feeds.url}/feed.xml`, { guildId: GUILD_A, name: 'Varnholm Gazette' })).source.id;
  await bot.core.sources.addUrl(`${feeds.url}/quiet.xml`, { guildId: GUILD_A, name: 'Quiet Weekly' });
  await bot.core.sources.addUrl(`${feeds.url}/brindle.xml`, { guildId: GUILD_B, name: 'Brindle Post' });
}, 60_000);

afterAll(async () => {
  await bot?.stop();
  await feeds?.close();
  await fake?.close();
  if (env) fs.rmSync(env.NEWSDESK_DATA_DIR!, { recursive: true, force: true });
});

/** Resolves once the bot logged the end of this interaction (or mention): everything it sends is sent. */
async function ended(id: string): Promise<void> {
  await vi.waitFor(() => expect(logs.some((l) => l.includes(`"${id}"`) && (l.includes('"msg":"interaction"') || l.includes('"msg":"mention"')))).toBe(true), {
    timeout: 15_000,
    interval: 20,
  });
}

function ask(question: string, opts: { guildId?: string; channelId?: string; user?: FakeUserSpec } = {}) {
  return fake.sendInteraction({
    guildId: opts.guildId ?? GUILD_A,
    channelId: opts.channelId ?? CHANNEL_A,
    user: opts.user ?? ALICE,
    command: 'ask',
    options: [{ name: 'question', type: STRING, value: question }],
  });
}

async function answered(question: string, opts: Parameters<typeof ask>[1] = {}): Promise<APIMessage> {
  const { id } = ask(question, opts);
  await ended(id);
  return fake.interaction(id).original!;
}

function buttons(m: APIMessage): Array<{ custom_id: string; label: string }> {
  return (m.components ?? []).flatMap((row) => (row as { components: Array<{ custom_id: string; label: string }> }).components);
}

/** Labels of the 👍/👎 buttons (answers carry other buttons too, e.g. "Updates since"). */
function feedbackLabels(m: APIMessage): string[] {
  return buttons(m)
    .filter((b) => b.custom_id.startsWith('feedback:'))
    .map((b) => b.label);
}

function feedbackIds(m: APIMessage): { up: string; down: string; id: number } {
  const up = buttons(m).find((b) => b.custom_id.startsWith('feedback:up:'))!.custom_id;
  const down = buttons(m).find((b) => b.custom_id.startsWith('feedback:down:'))!.custom_id;
  return { up, down, id: Number(up.split(':')[2]) };
}

async function click(messageId: string, customId: string, user: FakeUserSpec, extra: { values?: string[]; permissions?: string } = {}) {
  const spec = { messageId, customId, user, ...(extra.permissions ? { permissions: extra.permissions } : {}) };
  const r = extra.values
    ? fake.sendComponentInteraction({ ...spec, componentType: ComponentType.StringSelect, values: extra.values })
    : fake.sendComponentInteraction(spec);
  await ended(r.id);
  return fake.interaction(r.id);
}

async function autocomplete(command: string, typed: string, guildId: string, channelId: string, user: FakeUserSpec) {
  const { id } = fake.sendAutocomplete({ guildId, channelId, user, command, options: [{ name: 'source', type: STRING, value: typed, focused: true }] });
  return fake.waitForChoices(id, 10_000);
}

const embedOf = (m: APIMessage): APIEmbed => m.embeds[0]!;

describe('source autocomplete', () => {
  it("offers the server's own sources by name, never another server's", async () => {
    const inA = await autocomplete('ask', 'varn', GUILD_A, CHANNEL_A, ALICE);
    expect(inA).toEqual([{ name: `#${gazetteId} Varnholm Gazette`, value: String(gazetteId) }]);
    const allA = (await autocomplete('ask', '', GUILD_A, CHANNEL_A, ALICE)).map((c) => c.name);
    expect(allA.slice(0, 2).map((n) => n.replace(/^#\d+ /, ''))).toEqual(['Varnholm Gazette', 'Quiet Weekly']); // own sources first
    expect(allA.join('\n')).not.toContain('Brindle');
    const allB = (await autocomplete('ask', '', GUILD_B, CHANNEL_B, DAVE)).map((c) => c.name).join('\n');
    expect(allB).toContain('Brindle Post');
    expect(allB).not.toMatch(/Varnholm|Quiet/);
    expect(await autocomplete('ask', 'brindle', GUILD_A, CHANNEL_A, ALICE)).toEqual([]);
  });

  it('answers an empty list when nothing matches, and works on /search and /latest too', async () => {
    expect(await autocomplete('ask', 'no such source at all', GUILD_A, CHANNEL_A, ALICE)).toEqual([]);
    expect((await autocomplete('search', 'quiet', GUILD_A, CHANNEL_A, ALICE)).map((c) => c.name)).toEqual([expect.stringMatching(/Quiet Weekly$/)]);
    expect((await autocomplete('latest', 'brindle', GUILD_B, CHANNEL_B, DAVE)).map((c) => c.name)).toEqual([expect.stringMatching(/Brindle Post$/)]);
  });

  it('filters /search by the picked source', async () => {
    const { id } = fake.sendInteraction({
      guildId: GUILD_A,
      channelId: CHANNEL_A,
      user: ALICE,
      command: 'search',
      options: [
        { name: 'query', type: STRING, value: 'Varnholm ferry tolls' },
        { name: 'source', type: STRING, value: String(gazetteId) },
      ],
    });
    await ended(id);
    const description = embedOf(fake.interaction(id).original!).description!;
    expect(description).toMatch(/Varnholm harbour authority doubles ferry tolls/);
    expect(description).not.toMatch(/Lavrov|Oldmere/);
  });
});

describe('message context menus', () => {
  it('"Ask Newsdesk" answers a message as a question, quoting which message, with feedback buttons', async () => {
    const target = fake.sendMessage({ guildId: GUILD_A, channelId: CHANNEL_A, author: BOB, content: HARBOUR_Q });
    const { id } = fake.sendMessageCommand({ guildId: GUILD_A, channelId: CHANNEL_A, user: ALICE, command: 'Ask Newsdesk', targetMessageId: target });
    await ended(id);
    const reply = fake.interaction(id).original!;
    expect(reply.flags! & 64).toBe(0); // public, like /ask
    expect(reply.content).toContain(`> ${HARBOUR_Q}`);
    expect(reply.content).toContain(`Answering [a message](https://discord.com/channels/${GUILD_A}/${CHANNEL_A}/${target}) by **bob**`);
    expect(embedOf(reply).description).toContain(feeds.url);
    expect(feedbackIds(reply).id).toBeGreaterThan(0);
    expect(bot.core.insights.question(feedbackIds(reply).id)).toMatchObject({ via: 'context-menu', question: HARBOUR_Q, guildId: GUILD_A, grounded: true });
  });

  it('trims a target longer than the question limit, and says so', async () => {
    const long = `${HARBOUR_Q} ${'The hauliers wrote a long letter about it. '.repeat(60)}`;
    expect(long.length).toBeGreaterThan(2000);
    const target = fake.sendMessage({ guildId: GUILD_A, channelId: CHANNEL_A, author: BOB, content: long });
    const { id } = fake.sendMessageCommand({ guildId: GUILD_A, channelId: CHANNEL_A, user: ALICE, command: 'Ask Newsdesk', targetMessageId: target });
    await ended(id);
    const reply = fake.interaction(id).original!;
    expect(reply.content).toMatch(/The message is long \([\d,]+ characters\): I asked with its first [\d,]+\./);
    const logged = bot.core.insights.question(feedbackIds(reply).id)!;
    expect(logged.question.length).toBeLessThanOrEqual(1000);
    expect(long.startsWith(logged.question)).toBe(true);
  });

  it('explains privately that an image-only message has nothing to ask about', async () => {
    const target = fake.sendMessage({
      guildId: GUILD_A,
      channelId: CHANNEL_A,
      author: BOB,
      content: '',
      attachments: [{ filename: 'chart.png', contentType: 'image/png' }],
    });
    for (const command of ['Ask Newsdesk', 'Find coverage']) {
      const { id } = fake.sendMessageCommand({ guildId: GUILD_A, channelId: CHANNEL_A, user: ALICE, command, targetMessageId: target });
      await ended(id);
      const reply = fake.interaction(id).original!;
      expect(reply.flags! & 64).toBe(64);
      expect(reply.content).toMatch(/only an image or a file/);
    }
  });

  it('"Find coverage" lists the tracked articles about a message, the linked one first', async () => {
    const link = `${feeds.url}/articles/4`;
    const target = fake.sendMessage({ guildId: GUILD_A, channelId: CHANNEL_A, author: BOB, content: `Anyone seen this about the ferry tolls? ${link}` });
    const { id } = fake.sendMessageCommand({ guildId: GUILD_A, channelId: CHANNEL_A, user: ALICE, command: 'Find coverage', targetMessageId: target });
    await ended(id);
    const reply = fake.interaction(id).original!;
    expect(reply.content).toMatch(/Coverage of \[a message\]/);
    expect(reply.content).toMatch(/linked article is tracked/);
    const lines = embedOf(reply).description!.split('\n');
    expect(lines[0]).toContain(`(${link})`);
    expect(lines.length).toBeGreaterThan(1);
    expect(embedOf(reply).description).not.toContain('Brindle');
  });
});

describe('feedback on answers', () => {
  let answer: APIMessage;

  it('puts 👍/👎 on every answer and keeps one changeable vote per user', async () => {
    answer = await answered(HARBOUR_Q);
    const { up, down, id } = feedbackIds(answer);
    expect(feedbackLabels(answer)).toEqual(['Helpful', 'Not helpful']);

    const first = await click(answer.id, up, ALICE);
    expect(first.callbackType).toBe(6);
    expect(first.followups[0]).toMatchObject({ flags: 64 });
    expect(feedbackLabels(fake.message(answer.id)!)).toEqual(['Helpful · 1', 'Not helpful']);
    // Other handlers' buttons on the same answer are kept as they were.
    expect(buttons(fake.message(answer.id)!).filter((b) => !b.custom_id.startsWith('feedback:'))).toEqual(
      buttons(answer).filter((b) => !b.custom_id.startsWith('feedback:')),
    );
    expect(buttons(answer).some((b) => b.label === 'Updates since')).toBe(true);
    await click(answer.id, up, ALICE); // again: still one vote
    expect(bot.core.insights.counts(id)).toEqual({ up: 1, down: 0 });
    expect(embedOf(fake.message(answer.id)!)).toEqual(embedOf(answer)); // the answer itself is untouched

    await click(answer.id, down, ALICE); // changed her mind
    expect(bot.core.insights.counts(id)).toEqual({ up: 0, down: 1 });
    expect(feedbackLabels(fake.message(answer.id)!)).toEqual(['Helpful', 'Not helpful · 1']);
  });

  it('asks a 👎 for a reason with a select menu, and "Other…" opens a modal', async () => {
    const { down, id } = feedbackIds(answer);
    const vote = await click(answer.id, down, BOB);
    const prompt = vote.followups[0]!;
    expect(prompt.flags! & 64).toBe(64);
    const select = (prompt.components![0] as { components: Array<{ custom_id: string; options: Array<{ value: string }> }> }).components[0]!;
    expect(select.custom_id).toBe(`feedback:reason:${id}`);
    expect(select.options.map((o) => o.value)).toEqual(['wrong', 'outdated', 'missing-source', 'other']);

    const picked = await click(prompt.id, select.custom_id, BOB, { values: ['outdated'] });
    expect(picked.callbackType).toBe(6);
    expect(fake.message(prompt.id)!.content).toMatch(/noted: \*\*Outdated\*\*/);

    const carolVote = await click(answer.id, down, CAROL);
    const carolPrompt = carolVote.followups[0]!;
    const other = fake.sendComponentInteraction({
      messageId: carolPrompt.id,
      customId: `feedback:reason:${id}`,
      user: CAROL,
      componentType: ComponentType.StringSelect,
      values: ['other'],
    });
    expect(await fake.waitForModal(other.id)).toMatchObject({ custom_id: `feedback:comment:${id}` });
    const submit = fake.submitModal({ interactionId: other.id, values: { comment: 'It missed the appeal date' } });
    await ended(submit.id);
    expect(fake.message(carolPrompt.id)!.content).toMatch(/Thanks — noted/);

    const report = bot.core.insights.report({ kind: 'guild', guildId: GUILD_A }, 7);
    expect(report.feedback.reasons).toMatchObject({ outdated: 1, other: 1 });
    expect(report.feedback.worst[0]).toMatchObject({ question_id: id, down: 3, up: 0 });
  });
});

describe('thread follow-ups and answers in threads', () => {
  it('a mention inside a thread continues with the thread’s earlier questions', async () => {
    const thread = fake.startThread({ guildId: GUILD_A, parentId: CHANNEL_A, name: 'tolls', owner: ALICE });
    const spy = vi.spyOn(bot.core, 'ask');
    const first = fake.sendMessage({ guildId: GUILD_A, channelId: thread, author: ALICE, content: `<@${APP_ID}> ${HARBOUR_Q}` });
    await ended(first);
    const second = fake.sendMessage({ guildId: GUILD_A, channelId: thread, author: BOB, content: `<@${APP_ID}> and who protested?` });
    await ended(second);
    expect(spy.mock.calls.map((c) => c[0])).toEqual([HARBOUR_Q, `${HARBOUR_Q}\nand who protested?`]);
    spy.mockRestore();
    const replies = fake.channelMessages(thread).filter((m) => m.author.id === APP_ID);
    expect(replies).toHaveLength(2);
    expect(feedbackIds(replies[1]!).id).toBeGreaterThan(0);
  });

  it('answers /ask in a new thread per question once an admin turns it on for the channel', async () => {
    const refused = fake.sendInteraction({
      guildId: GUILD_A,
      channelId: BUSY,
      user: BOB,
      command: 'settings',
      subcommand: 'ask-threads',
      options: [{ name: 'enabled', type: BOOLEAN, value: true }],
    });
    await ended(refused.id);
    expect(fake.interaction(refused.id).original!.content).toMatch(/Manage Server/);
    const on = fake.sendInteraction({
      guildId: GUILD_A,
      channelId: BUSY,
      user: ALICE,
      permissions: ADMIN_PERMISSIONS,
      command: 'settings',
      subcommand: 'ask-threads',
      options: [{ name: 'enabled', type: BOOLEAN, value: true }],
    });
    await ended(on.id);
    expect(fake.interaction(on.id).original!.content).toMatch(/answers in a new thread per question/);

    const header = await answered(HARBOUR_Q, { channelId: BUSY });
    expect(header.content).toMatch(/answered in the thread below/);
    const threadId = fake.message(header.id)!.thread!.id;
    const [inThread] = fake.channelMessages(threadId);
    expect(embedOf(inThread!).description).toContain(feeds.url);
    expect(feedbackIds(inThread!).id).toBeGreaterThan(0);

    const spy = vi.spyOn(bot.core, 'ask');
    const follow = fake.sendMessage({ guildId: GUILD_A, channelId: threadId, author: CAROL, content: `<@${APP_ID}> what about the fishing boats?` });
    await ended(follow);
    expect(spy.mock.calls[0]![0]).toBe(`${HARBOUR_Q}\nwhat about the fishing boats?`);
    spy.mockRestore();
  });
});

describe('/insights', () => {
  it('refuses a member without Manage Server', async () => {
    const { id } = fake.sendInteraction({ guildId: GUILD_A, channelId: CHANNEL_A, user: BOB, command: 'insights', subcommand: 'report' });
    await ended(id);
    expect(fake.interaction(id).original).toMatchObject({ flags: 64 });
    expect(fake.interaction(id).original!.content).toMatch(/Manage Server/);
  });

  it('shows an admin the server’s questions, coverage gaps, feedback and source health — privately', async () => {
    for (const q of [GAP_1, GAP_2]) await answered(q, { user: CAROL });
    await answered(GAP_1, { guildId: GUILD_B, channelId: CHANNEL_B, user: DAVE });
    const { id } = fake.sendInteraction({
      guildId: GUILD_A,
      channelId: CHANNEL_A,
      user: ALICE,
      permissions: ADMIN_PERMISSIONS,
      command: 'insights',
      subcommand: 'report',
      options: [{ name: 'days', type: INTEGER, value: 30 }],
    });
    await ended(id);
    const reply = fake.interaction(id).original!;
    expect(reply.flags! & 64).toBe(64);
    const embed = embedOf(reply);
    expect(embed.title).toBe('Insights · last 30 days');
    const report = bot.core.insights.report({ kind: 'guild', guildId: GUILD_A }, 30);
    expect(embed.description).toContain(`**${report.questions}** questions · **${report.answered}** answered`);
    const field = (name: RegExp) => embed.fields!.find((f) => name.test(f.name))!.value;
    expect(field(/Coverage gaps/)).toMatch(/\*\*2×\*\* “(How much does yak butter tea cost in Ulaanbaatar\?|Ulaanbaatar yak butter tea cost\?)”/);
    expect(field(/Coverage gaps/)).toMatch(/\/sources add/);
    expect(field(/Feedback/)).toMatch(/👍 \d+ · 👎 3 — outdated 1, other 1/);
    expect(field(/Worst-rated/)).toContain(HARBOUR_Q);
    expect(field(/Worst-rated/)).toContain('It missed the appeal date'); // Carol's "Other…" text
    expect(field(/Source health/)).toMatch(/Quiet Weekly — never cited/);
    expect(field(/Source health/)).not.toMatch(/Varnholm Gazette — never cited/);
    expect(JSON.stringify(embed)).not.toContain('Brindle');
  });

  it("keeps each server's figures to itself", async () => {
    const { id } = fake.sendInteraction({
      guildId: GUILD_B,
      channelId: CHANNEL_B,
      user: DAVE,
      permissions: ADMIN_PERMISSIONS,
      command: 'insights',
      subcommand: 'report',
    });
    await ended(id);
    const embed = embedOf(fake.interaction(id).original!);
    expect(embed.description).toMatch(/^\*\*1\*\* question · /);
    expect(JSON.stringify(embed)).not.toMatch(/Varnholm|Quiet Weekly|fishing|protested/);
    expect(bot.core.insights.report({ kind: 'guild', guildId: GUILD_B }, 7).feedback).toMatchObject({ up: 0, down: 0 });
  });
});

describe('after a restart of the bot on the same data dir', () => {
  let old: APIMessage;

  it('buttons on answers from before the restart still record votes, and votes stay changeable', async () => {
    old = await answered(HARBOUR_Q, { user: BOB });
    const { up, down, id } = feedbackIds(old);
    await click(old.id, down, BOB);
    await bot.stop();
    bot = await startTheBot(); // a new discord.js client and a new store handle on the same data dir
    expect(bot.client.readyAt).not.toBeNull();

    await click(old.id, up, CAROL);
    expect(bot.core.insights.counts(id)).toEqual({ up: 1, down: 1 });
    expect(feedbackLabels(fake.message(old.id)!)).toEqual(['Helpful · 1', 'Not helpful · 1']);
    await click(old.id, up, BOB); // Bob's vote from before the restart is replaced, not doubled
    expect(bot.core.insights.counts(id)).toEqual({ up: 2, down: 0 });
  });

  it('keeps the thread context (it is in the log, not in memory)', async () => {
    const threadId = fake.startThread({ guildId: GUILD_A, parentId: CHANNEL_A, name: 'after restart', owner: ALICE });
    const first = fake.sendMessage({ guildId: GUILD_A, channelId: threadId, author: ALICE, content: `<@${APP_ID}> ${HARBOUR_Q}` });
    await ended(first);
    await bot.stop();
    bot = await startTheBot();
    const spy = vi.spyOn(bot.core, 'ask');
    const second = fake.sendMessage({ guildId: GUILD_A, channelId: threadId, author: ALICE, content: `<@${APP_ID}> and who protested?` });
    await ended(second);
    expect(spy.mock.calls[0]![0]).toBe(`${HARBOUR_Q}\nand who protested?`);
    spy.mockRestore();
  });

  it('/insights purge deletes only this server’s log, after a confirmation click by an admin', async () => {
    const { id } = fake.sendInteraction({
      guildId: GUILD_A,
      channelId: CHANNEL_A,
      user: ALICE,
      permissions: ADMIN_PERMISSIONS,
      command: 'insights',
      subcommand: 'purge',
    });
    await ended(id);
    const confirm = fake.interaction(id).original!;
    expect(confirm.content).toMatch(/This deletes this server's question log: \*\*\d+\*\* questions/);
    const byMember = await click(confirm.id, 'insights:purge', BOB);
    expect(byMember.original!.content).toMatch(/Manage Server/);
    expect(bot.core.insights.report({ kind: 'guild', guildId: GUILD_A }, 30).questions).toBeGreaterThan(0);
    await click(confirm.id, 'insights:purge', ALICE, { permissions: ADMIN_PERMISSIONS });
    expect(fake.message(confirm.id)!.content).toMatch(/^Deleted this server's question log: \d+ questions/);
    expect(bot.core.insights.report({ kind: 'guild', guildId: GUILD_A }, 30).questions).toBe(0);
    expect(bot.core.insights.report({ kind: 'guild', guildId: GUILD_B }, 30).questions).toBe(1);
  });

  it('newsdesk insights --json gives operators the same figures', async () => {
    await bot.stop();
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    try {
      expect(await main(['insights', '--json', '--guild', GUILD_B, '--days', '30'], env)).toBe(0);
      expect(await main(['insights', 'purge'], env)).toBe(2); // a usage error: needs --guild or --all
    } finally {
      write.mockRestore();
    }
    const report = JSON.parse(out[0]!) as Record<string, unknown>;
    expect(report).toMatchObject({ scope: GUILD_B, days: 30, questions: 1, answered: 0, not_covered: 1, answered_share: 0, logging: true, retention_days: 90 });
    expect(report.coverage_gaps).toEqual([expect.objectContaining({ question: GAP_1, count: 1, suggestion: expect.stringContaining('Add a source') })]);
    expect(report.sources).toMatchObject({ never_cited: [expect.objectContaining({ name: 'Brindle Post' })] });
    bot = await startTheBot(); // afterAll stops it
  });
});
