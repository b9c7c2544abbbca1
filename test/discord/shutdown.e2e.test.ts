import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendText, startFixtureServer, type FixtureServer } from '../fakes/http-server.ts';
import { articlePage, MAYOR_REAL } from '../helpers/news-fixtures.ts';
import { ADMIN_PERMISSIONS, ALICE, CHANNEL_A, GUILD_A, startHarness, type Harness } from './bot-harness.ts';

/**
 * Shutdown with work in flight: the user is told once that we stopped, and the abandoned job — which
 * fails later, after the store has closed — never overwrites that notice with "Something went wrong".
 */

const STRING = 3;
let h: Harness;
let slow: FixtureServer;
let answered: () => void;
const pageSent = new Promise<void>((resolve) => (answered = resolve));

beforeAll(async () => {
  h = await startHarness();
  slow = await startFixtureServer({
    '/slow.html': async (_q, res) => {
      await new Promise((r) => setTimeout(r, 1500)); // longer than the harness's 300 ms shutdown grace
      sendText(res, 200, articlePage({ title: 'Dana Okafor elected mayor of Quillmere', outlet: 'Quill Courier', paragraphs: MAYOR_REAL }), 'text/html');
      answered();
    },
  });
}, 30_000);

afterAll(async () => {
  await h?.close();
  await slow?.close();
});

describe('shutdown with work in flight', () => {
  it('tells the user once and sends nothing after the notice', async () => {
    const { id } = h.fake.sendInteraction({
      guildId: GUILD_A,
      channelId: CHANNEL_A,
      user: ALICE,
      permissions: ADMIN_PERMISSIONS,
      command: 'sources',
      subcommand: 'add',
      options: [{ name: 'url', type: STRING, value: `${slow.url}/slow.html` }],
    });
    await h.fake.waitForCall((c) => c.method === 'POST' && c.path.startsWith(`/interactions/${id}/`));
    await h.bot.stop();
    const notice = await h.fake.waitForReply(id);
    expect(notice.content).toMatch(/restarting/);
    const afterNotice = h.fake.interactionResponses(id).length;

    // The abandoned job ends later (its page arrives after the store closed) and must stay silent.
    await pageSent;
    await expect.poll(() => h.logs.some((l) => l.includes('"msg":"interaction"') && l.includes(`"interactionId":"${id}"`)), { timeout: 10_000 }).toBe(true);
    const late = h.fake.interactionResponses(id).slice(afterNotice);
    expect(late).toEqual([]);
    expect(JSON.stringify(h.fake.interactionResponses(id))).not.toMatch(/Something went wrong/);
  });
});
