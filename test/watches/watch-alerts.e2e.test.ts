import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIMessage } from 'discord.js';
import type { RecordedCall } from '../fakes/fake-discord.ts';
import {
  ADMIN,
  ALERTS_A,
  ALERTS_C,
  ALICE,
  BOB,
  CAP,
  CAROL,
  CHANNEL,
  GUILD_A,
  GUILD_B,
  GUILD_C,
  INTEGER,
  LOCKED_A,
  NEWS_A,
  NEWS_B,
  STRING,
  startNewsHarness,
  type NewsHarness,
} from './news-harness.ts';

let h: NewsHarness;
beforeAll(async () => {
  h = await startNewsHarness();
}, 30_000);
afterAll(async () => {
  await h?.close();
});

const channelRef = (id: string, guildId: string) => ({ channels: { [id]: { id, type: 0, name: 'c', guild_id: guildId, permissions: '0' } } });

async function run(spec: Parameters<NewsHarness['fake']['sendInteraction']>[0]): Promise<APIMessage> {
  const { id } = h.fake.sendInteraction(spec);
  return h.fake.waitForReply(id, 15_000);
}

function watchAdd(guildId: string, channelId: string, user: typeof ALICE, topic: string, target?: string) {
  return run({
    guildId,
    channelId,
    user,
    permissions: ADMIN,
    command: 'watch',
    subcommand: 'add',
    options: [{ name: 'topic', type: STRING, value: topic }, ...(target ? [{ name: 'channel', type: CHANNEL, value: target }] : [])],
    ...(target ? { resolved: channelRef(target, guildId) as never } : {}),
  });
}

async function addSource(guildId: string, channelId: string, user: typeof ALICE, path: string): Promise<APIMessage> {
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
  await h.bot.core.watches.idle();
  return reply;
}

/** The bot's own posts in a channel (alerts, collapsed lines, digests), not interaction replies. */
function posts(channelId: string): APIMessage[] {
  return h.fake.channelMessages(channelId).filter((m) => !m.interaction_metadata && !m.webhook_id && m.author.id === h.fake.botUser.id);
}
const alerts = (channelId: string) => posts(channelId).filter((m) => m.embeds[0]?.footer?.text.startsWith('Watch #'));

describe('topic watches against a local Discord', () => {
  it('registers /watch and /digest with the other commands', () => {
    const names = h.fake.commands().map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['ask', 'sources', 'watch', 'digest']));
    const watch = h.fake.commands().find((c) => c.name === 'watch')!;
    expect(watch.default_member_permissions).toBe('32');
  });

  it('refuses a watch on a channel where the bot cannot post, an empty and an over-long topic, and a non-admin', async () => {
    const locked = await watchAdd(GUILD_A, NEWS_A, ALICE, 'Varnholm ferry tolls', LOCKED_A);
    expect(locked.content).toMatch(/cannot post alerts there: the bot lacks Send Messages in <#3004>/);
    const empty = await watchAdd(GUILD_A, NEWS_A, ALICE, '   ');
    expect(empty.content).toMatch(/topic is empty/);
    const stop = await watchAdd(GUILD_A, NEWS_A, ALICE, 'the and of');
    expect(stop.content).toMatch(/no words to match on/);
    const long = await watchAdd(GUILD_A, NEWS_A, ALICE, 'x'.repeat(250));
    expect(long.content).toMatch(/too long \(250 characters; at most 200\)/);
    const member = await run({ guildId: GUILD_A, channelId: NEWS_A, user: BOB, command: 'watch', subcommand: 'list' });
    expect(member.content).toMatch(/Manage Server/);
    expect(h.bot.core.watches.list(GUILD_A)).toHaveLength(0);
  });

  it('alerts once per story in the right channel, never in another server, never for a non-matching story', async () => {
    expect((await watchAdd(GUILD_A, NEWS_A, ALICE, 'Varnholm ferry tolls', ALERTS_A)).content).toMatch(
      /Watching \*\*Varnholm ferry tolls\*\* → <#3003> \(watch #\d+\)/,
    );
    expect((await watchAdd(GUILD_B, NEWS_B, BOB, 'Varnholm ferry tolls')).content).toMatch(/Watching/);

    // Guild B's own wire feed carries the story first.
    await addSource(GUILD_B, NEWS_B, BOB, '/wire.xml');
    expect(alerts(NEWS_B)).toHaveLength(1);
    expect(alerts(ALERTS_A)).toHaveLength(0);

    // Guild A's gazette: the same story (a copy of B's wire article) and an unrelated library story.
    await addSource(GUILD_A, NEWS_A, ALICE, '/gazette.xml');
    const inA = alerts(ALERTS_A);
    expect(inA).toHaveLength(1);
    const e = inA[0]!.embeds[0]!;
    expect(e.title).toBe('Varnholm harbour authority doubles ferry tolls');
    expect(e.description).toMatch(/> .*ferry toll.* \[1\]/);
    expect(e.description).toContain(`${h.feeds.url}/gazette/tolls`);
    expect(e.description).toContain('Varnholm Gazette');
    // "Also reported by" names only this server's outlets: the Nordic Wire is guild B's source.
    expect(JSON.stringify(e)).not.toContain('Nordic Wire');
    expect(JSON.stringify(inA)).not.toMatch(/library/i);
    expect(alerts(NEWS_A)).toHaveLength(0);
    expect(alerts(NEWS_B)).toHaveLength(1);
    const buttons = (inA[0]!.components![0] as { components: Array<{ label: string; custom_id: string }> }).components;
    expect(buttons.map((b) => b.label)).toEqual(['Mute this story', 'Unwatch']);
    const sent = h.fake.calls.find((c: RecordedCall) => c.method === 'POST' && c.path === `/channels/${ALERTS_A}/messages`)!;
    expect((sent.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [], replied_user: false });

    // A syndicated copy of the alerted story from another of A's outlets: no second alert.
    await addSource(GUILD_A, NEWS_A, ALICE, '/herald.xml');
    expect(alerts(ALERTS_A)).toHaveLength(1);
  });

  it('lists watches with channel, alerts sent and last alert, and removes one by id', async () => {
    const list = await run({ guildId: GUILD_A, channelId: NEWS_A, user: ALICE, permissions: ADMIN, command: 'watch', subcommand: 'list' });
    const d = list.embeds[0]!.description!;
    expect(d).toMatch(/\*\*#\d+\*\* Varnholm ferry tolls → <#3003> · 1 alert sent · last alert \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    const extra = await watchAdd(GUILD_A, NEWS_A, ALICE, 'Kestrel bridge');
    const id = Number(/watch #(\d+)/.exec(extra.content)![1]);
    const removed = await run({
      guildId: GUILD_A,
      channelId: NEWS_A,
      user: ALICE,
      permissions: ADMIN,
      command: 'watch',
      subcommand: 'remove',
      options: [{ name: 'id', type: INTEGER, value: id }],
    });
    expect(removed.content).toMatch(new RegExp(`Removed watch #${id}`));
    const again = await run({
      guildId: GUILD_B,
      channelId: NEWS_B,
      user: BOB,
      permissions: ADMIN,
      command: 'watch',
      subcommand: 'remove',
      options: [{ name: 'id', type: INTEGER, value: 1 }],
    });
    expect(again.content).toMatch(/No watch with id 1 in this server/);
  });

  it('Mute this story stops alerts about that story in the whole server; Unwatch stops the watch', async () => {
    const alert = alerts(ALERTS_A)[0]!;
    const refused = h.fake.sendComponentInteraction({ messageId: alert.id, customId: customIdOf(alert, 'Mute this story'), user: BOB });
    await h.fake.waitForCall((c) => c.path.startsWith(`/interactions/${refused.id}/`));
    expect(JSON.stringify(h.fake.interactionResponses(refused.id).map((c) => c.body))).toMatch(/Manage Server/);

    const mute = h.fake.sendComponentInteraction({ messageId: alert.id, customId: customIdOf(alert, 'Mute this story'), user: ALICE, permissions: ADMIN });
    await h.fake.waitForCall((c) => c.path.startsWith(`/interactions/${mute.id}/`));
    await waitUntil(() => /muted/i.test(h.fake.message(alert.id)!.content));
    // A second watch in another channel of the same server, then another copy of the muted story: silence.
    await watchAdd(GUILD_A, NEWS_A, ALICE, 'Varnholm tolls lorries');
    await addSource(GUILD_A, NEWS_A, ALICE, '/post.xml');
    expect(alerts(NEWS_A).filter((m) => /toll/i.test(m.embeds[0]!.title!))).toHaveLength(0);

    const inB = alerts(NEWS_B)[0]!;
    const unwatch = h.fake.sendComponentInteraction({ messageId: inB.id, customId: customIdOf(inB, 'Unwatch'), user: BOB, permissions: ADMIN });
    await h.fake.waitForCall((c) => c.path.startsWith(`/interactions/${unwatch.id}/`));
    await waitUntil(() => h.bot.core.watches.list(GUILD_B).length === 0);
  });

  it('pauses a watch with the reason when the bot loses its permission in the channel later', async () => {
    await watchAdd(GUILD_B, NEWS_B, BOB, 'Oskarsund library');
    h.fake.failNext((c) => c.method === 'POST' && c.path === `/channels/${NEWS_B}/messages`, {
      status: 403,
      body: { message: 'Missing Permissions', code: 50013 },
    });
    await addSource(GUILD_B, NEWS_B, BOB, '/gazette.xml');
    const w = h.bot.core.watches.list(GUILD_B).find((x) => x.topic === 'Oskarsund library')!;
    expect(w.pausedReason).toMatch(/Discord refused the post in <#3002>: Missing Permissions/);
    const list = await run({ guildId: GUILD_B, channelId: NEWS_B, user: BOB, permissions: ADMIN, command: 'watch', subcommand: 'list' });
    expect(list.embeds[0]!.description).toMatch(/paused: Discord refused the post/);
    // Adding the same topic again resumes it.
    expect((await watchAdd(GUILD_B, NEWS_B, BOB, 'Oskarsund library')).content).toMatch(/^Resumed/);
  });

  it(`caps alerts at ${CAP} per channel per hour and collapses the rest into one message`, async () => {
    await watchAdd(GUILD_C, ALERTS_C, CAROL, 'Kestrel bridge repairs');
    await addSource(GUILD_C, ALERTS_C, CAROL, '/bridge.xml');
    expect(alerts(ALERTS_C)).toHaveLength(CAP);
    const collapsed = posts(ALERTS_C).filter((m) => m.content.startsWith('…and'));
    expect(collapsed).toHaveLength(1);
    expect(collapsed[0]!.content).toMatch(/^…and 3 more stories on \*\*Kestrel bridge repairs\*\*/);
  });
});

function customIdOf(m: APIMessage, label: string): string {
  const rows = m.components as Array<{ components: Array<{ label: string; custom_id: string }> }>;
  return rows.flatMap((r) => r.components).find((b) => b.label === label)!.custom_id;
}

async function waitUntil(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
