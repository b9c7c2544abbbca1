import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIEmbed, APIMessage } from 'discord.js';
import { sendText, startFixtureServer, type FixtureServer } from '../fakes/http-server.ts';
import { articlePage, MAYOR_FAKE, MAYOR_QUESTION, MAYOR_REAL } from '../helpers/news-fixtures.ts';
import { SEED_DIR } from '../helpers/test-core.ts';
import { probeStore } from '../helpers/store.ts';
import { ADMIN_PERMISSIONS, ALICE, BOB, CHANNEL_A, CHANNEL_B, GUILD_A, GUILD_B, startHarness, type Harness } from './bot-harness.ts';

/**
 * What one server may change or see of another's, through the real bot and the fake Discord with
 * two guilds: B's admin cannot rewrite A's article by claiming its URL, A never sees B's private
 * outlets, and formatting from article text never renders.
 */

const STRING = 3;
const HTML = 'text/html; charset=utf-8';
let h: Harness;
let site: FixtureServer;

const PHISH_TEXT = [
  'The Orrin Valley water board said on Thursday that households must renew their water permits before the end of March, and that renewals are handled through [the official portal](https://evil.example/phish) only.',
  '||The board will cut supply to anyone who has not renewed by April.|| Questions can be asked in the community server at discord.gg/orrinscam every weekday.',
  '# URGENT: renew your Orrin Valley water permit now',
  'The Orrin Valley water board added that the permit fee stays at forty crowns a year, that pensioners pay nothing, and that paper forms are still accepted at the town hall counter on weekday mornings.',
];

beforeAll(async () => {
  h = await startHarness();
  site = await startFixtureServer({
    '/news/mayor.html': (_q, r) =>
      sendText(r, 200, articlePage({ title: 'Dana Okafor elected mayor of Quillmere', outlet: 'Quill Courier', paragraphs: MAYOR_REAL }), HTML),
    '/opinion/take.html': (_q, r) =>
      sendText(
        r,
        200,
        articlePage({ title: 'Victor Brannagh wins Quillmere', outlet: 'Brannagh Bulletin', canonical: `${site.url}/news/mayor.html`, paragraphs: MAYOR_FAKE }),
        HTML,
      ),
    // B's private copy of A's story (one sentence changed): stored as an alternate of A's article.
    '/wire/mayor-copy.html': (_q, r) =>
      sendText(
        r,
        200,
        articlePage({
          title: 'Okafor wins Quillmere mayoralty',
          outlet: 'Secret Guild B Wire',
          paragraphs: [...MAYOR_REAL.slice(0, 4), 'The new mayor takes office on the first of July, the clerk said.'],
        }),
        HTML,
      ),
    '/water-permits.html': (_q, r) =>
      sendText(r, 200, articlePage({ title: 'Orrin Valley water permits due in March', outlet: 'Orrin Herald', paragraphs: PHISH_TEXT }), HTML),
  });
}, 30_000);

afterAll(async () => {
  await h?.close();
  await site?.close();
});

function embedOf(m: APIMessage): APIEmbed {
  expect(m.embeds).toHaveLength(1);
  return m.embeds[0]!;
}

async function addSource(guildId: string, channelId: string, url: string, user = ALICE): Promise<APIMessage> {
  const { id } = h.fake.sendInteraction({
    guildId,
    channelId,
    user,
    permissions: ADMIN_PERMISSIONS,
    command: 'sources',
    subcommand: 'add',
    options: [{ name: 'url', type: STRING, value: url }],
  });
  return h.fake.waitForReply(id, 15_000);
}

async function ask(guildId: string, channelId: string, question: string, user = ALICE): Promise<APIEmbed> {
  const { id } = h.fake.sendInteraction({ guildId, channelId, user, command: 'ask', options: [{ name: 'question', type: STRING, value: question }] });
  return embedOf(await h.fake.waitForReply(id, 10_000));
}

describe('trust boundaries between two servers', () => {
  it("B's page claiming A's article by its canonical URL does not change what A is told", async () => {
    expect((await addSource(GUILD_A, CHANNEL_A, `${site.url}/news/mayor.html`)).content).toMatch(/1 new/);
    const added = await addSource(GUILD_B, CHANNEL_B, `${site.url}/opinion/take.html`, BOB);
    expect(added.content).toMatch(/Now tracking/);

    const inA = await ask(GUILD_A, CHANNEL_A, MAYOR_QUESTION);
    expect(inA.description).toContain('Okafor');
    expect(inA.description).not.toContain('Brannagh');
    expect(inA.description).toContain('Quill Courier');
    // B's own article is cited under its own URL, never under A's.
    const inB = await ask(GUILD_B, CHANNEL_B, MAYOR_QUESTION, BOB);
    expect(inB.description).not.toMatch(new RegExp(`\\[[^\\]]*Brannagh[^\\]]*\\]\\(${site.url}/news/mayor\\.html\\)`));
  });

  it("never names another server's private outlet under “also reported by”", async () => {
    const copy = await addSource(GUILD_B, CHANNEL_B, `${site.url}/wire/mayor-copy.html`, BOB);
    expect(copy.content).toMatch(/Now tracking/);
    // The copy is stored as another outlet's copy of A's story…
    const alternates = probeStore(h.config.dataDir).rows<{ outlet: string }>('SELECT outlet FROM articles WHERE duplicate_of IS NOT NULL');
    expect(alternates.map((a) => a.outlet)).toContain('Secret Guild B Wire');
    const inA = await ask(GUILD_A, CHANNEL_A, MAYOR_QUESTION);
    expect(inA.description).toContain('Quill Courier');
    expect(inA.description).not.toContain('Secret Guild B Wire');
    // In B, which tracks the copy, the other outlet is named.
    const inB = await ask(GUILD_B, CHANNEL_B, 'Who did Quillmere voters elect as mayor on Sunday, the former harbour engineer?', BOB);
    if (inB.description!.includes('Quill Courier')) expect(inB.description).toContain('Secret Guild B Wire');
  });

  it('shows masked links, spoilers, invites and headings from article text as plain text; its own citation links stay links', async () => {
    expect((await addSource(GUILD_A, CHANNEL_A, `${site.url}/water-permits.html`)).content).toMatch(/1 new/);
    const reply = await ask(GUILD_A, CHANNEL_A, 'How do Orrin Valley households renew their water permits, and what does the board say about supply?');
    const d = reply.description!;
    expect(d).toContain('Orrin');
    expect(d).not.toContain('](https://evil.example');
    expect(d).not.toMatch(/(?<!\\)\|\|/);
    expect(d).not.toMatch(/discord\.gg\//i);
    expect(d).not.toMatch(/^#{1,3} /m);
    // The bot's own source link is still markdown.
    expect(d).toContain(`](${site.url}/water-permits.html)`);

    const second = (await ask(GUILD_A, CHANNEL_A, 'Where can questions about Orrin Valley water supply be asked every weekday?')).description!;
    expect(second).toContain('weekday');
    expect(second).not.toMatch(/discord\.gg\//i);
    expect(second).not.toMatch(/(?<!\\)\|\|/);
  });

  it("/sources list never shows the operator's file paths", async () => {
    const { id } = h.fake.sendInteraction({
      guildId: GUILD_A,
      channelId: CHANNEL_A,
      user: ALICE,
      permissions: ADMIN_PERMISSIONS,
      command: 'sources',
      subcommand: 'list',
    });
    const embed = embedOf(await h.fake.waitForReply(id));
    const text = JSON.stringify(embed);
    expect(text).toContain('global');
    expect(text).not.toContain(SEED_DIR);
    expect(text).not.toMatch(/\/tmp\/|\/work\//);
  });
});
