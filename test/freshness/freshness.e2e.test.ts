import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIMessage } from 'discord.js';
import { ADMIN, ALICE, GUILD_A, NEWS_A, STRING, startNewsHarness, type NewsHarness } from '../watches/news-harness.ts';

let h: NewsHarness;
beforeAll(async () => {
  h = await startNewsHarness();
  for (const path of ['/gazette.xml', '/flaky.xml']) {
    const { id } = h.fake.sendInteraction({
      guildId: GUILD_A,
      channelId: NEWS_A,
      user: ALICE,
      permissions: ADMIN,
      command: 'sources',
      subcommand: 'add',
      options: [{ name: 'url', type: STRING, value: `${h.feeds.url}${path}` }],
    });
    expect((await h.fake.waitForReply(id, 15_000)).content).toMatch(/Now tracking/);
  }
}, 30_000);
afterAll(async () => {
  await h?.close();
});

async function ask(question: string): Promise<APIMessage> {
  const { id } = h.fake.sendInteraction({
    guildId: GUILD_A,
    channelId: NEWS_A,
    user: ALICE,
    command: 'ask',
    options: [{ name: 'question', type: STRING, value: question }],
  });
  return h.fake.waitForReply(id, 15_000);
}

describe('freshness on answers, against a local Discord', () => {
  it('fresh evidence: the footer says as of when and that the newest evidence is from today', async () => {
    const e = (await ask('What did the Varnholm harbour authority decide about ferry tolls?')).embeds[0]!;
    expect(e.footer!.text).toMatch(/^As of \d+ \w{3} \d{4}, \d{2}:\d{2} UTC · newest evidence: from today/);
    expect(e.description).not.toMatch(/newest tracked report/);
  });

  it('stale evidence for a "latest" question: says the newest tracked report is from 12 March 2020', async () => {
    const e = (await ask('What is the latest on the Oskarsund ferry company evening crossing?')).embeds[0]!;
    expect(e.description).toMatch(/^⏳ The newest tracked report is from 12 March 2020\./);
    expect(e.footer!.text).toMatch(/newest evidence: \d+ years old \(12 Mar 2020\)/);
  });

  it('a failing source behind a citation: the footer says so', async () => {
    h.setFlaky(true);
    const flaky = h.bot.core.sources.list({ kind: 'all' }).find((s) => s.name === 'Flaky Times')!;
    await h.bot.core.sources.refresh(flaky.id).catch(() => undefined);
    const e = (await ask('What is the latest on the Oskarsund ferry company evening crossing?')).embeds[0]!;
    expect(e.footer!.text).toMatch(/⚠ Flaky Times \(cited\) is failing: .*503/);
    // An answer citing only healthy sources carries no warning.
    const healthy = (await ask('What did the Varnholm harbour authority decide about ferry tolls?')).embeds[0]!;
    expect(healthy.footer!.text).not.toMatch(/Flaky Times/);
  });
});

describe('"Updates since" on an answer', () => {
  it('says nothing is new, then shows only what came later, citing only the newer article', async () => {
    const answer = await ask('What did the Varnholm harbour authority decide about ferry tolls?');
    const button = (answer.components as Array<{ components: Array<{ label: string; custom_id: string }> }>)
      .flatMap((r) => r.components)
      .find((b) => b.label === 'Updates since')!;
    expect(button.custom_id).toMatch(/^updates:\d+$/);

    const click = async () => {
      const { id } = h.fake.sendComponentInteraction({ messageId: answer.id, customId: button.custom_id, user: ALICE });
      await h.fake.waitForCall((c) => c.method === 'POST' && c.path.includes(`/webhooks/`) && h.fake.interaction(id).followups.length > 0, 15_000);
      return h.fake.interaction(id).followups[0]!;
    };
    const first = await click();
    expect(first.content).toMatch(/^Nothing new since \d+ \w{3} \d{4}, \d{2}:\d{2} UTC on this question/);
    expect(first.flags! & 64).toBe(64); // only the clicker sees it

    const { id } = h.fake.sendInteraction({
      guildId: GUILD_A,
      channelId: NEWS_A,
      user: ALICE,
      permissions: ADMIN,
      command: 'sources',
      subcommand: 'add',
      options: [{ name: 'url', type: STRING, value: `${h.feeds.url}/appeal.xml` }],
    });
    expect((await h.fake.waitForReply(id, 15_000)).content).toMatch(/Now tracking/);
    const second = await click();
    const e = second.embeds[0]!;
    expect(e.title).toMatch(/^Updates since .*: What did the Varnholm harbour authority decide/);
    expect(e.description).toContain(`${h.feeds.url}/courier/appeal`);
    expect(e.description).not.toContain(`${h.feeds.url}/gazette/tolls`);
    // The original answer is left as it was.
    expect(h.fake.message(answer.id)!.embeds[0]!.description).toBe(answer.embeds[0]!.description);
  });
});
