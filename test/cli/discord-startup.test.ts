import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.ts';
import { tempDir } from '../helpers/test-core.ts';
import { runCliAsync, spawnCli } from '../helpers/run-cli.ts';

const TOKEN = 'good-bot-token.NTAwMDAwMDAw.right-secret';
const WRONG = 'wrong-bot-token.NTAwMDAwMDAw.wrong-secret';
let fake: FakeDiscord;

beforeAll(async () => {
  fake = await startFakeDiscord({
    token: TOKEN,
    applicationId: '1000',
    botUserId: '1000',
    guilds: [
      { id: '2001', name: 'Guild A', channels: [{ id: '3001', name: 'news' }] },
      { id: '2002', name: 'Guild B', channels: [{ id: '3002', name: 'news' }] },
    ],
  });
});
afterAll(() => fake?.close());

const env = (token: string, extra: Record<string, string> = {}) => ({ DISCORD_TOKEN: token, DISCORD_API_URL: fake.restUrl, ...extra });

describe('Discord start-up that says what to do', () => {
  it('exits with the fix when the token is refused (401), without an unhandled rejection', async () => {
    const r = await runCliAsync(['start'], { dataDir: tempDir(), env: env(WRONG) });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Discord refused the bot token \(401: invalid token\)\. Open the Developer Portal .* Bot → Reset Token/);
    expect(r.err).not.toMatch(/Unhandled|READY in time|\n\s+at /);
    expect(r.err).not.toContain(WRONG);
  });

  it('exits with the fix when Discord cannot be reached', async () => {
    const r = await runCliAsync(['start'], { dataDir: tempDir(), env: { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: 'http://127.0.0.1:9/api' } });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Cannot reach Discord at http:\/\/127\.0\.0\.1:9\/api \(ECONNREFUSED\)\. Check the network connection, and DISCORD_API_URL/);
  });

  it('exits with the invite link when the bot is not in DISCORD_GUILD_ID', async () => {
    const r = await runCliAsync(['start'], { dataDir: tempDir(), env: env(TOKEN, { DISCORD_GUILD_ID: '9999' }) });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /The bot is not in the server DISCORD_GUILD_ID=9999\. Invite the bot to that server \(https:\/\/discord\.com\/oauth2\/authorize\?client_id=1000&scope=bot\+applications\.commands&permissions=274877991936\)/,
    );
  });

  it('seeds an empty store on first start in bot mode, then says who it is logged in as', async () => {
    const dataDir = tempDir();
    const bot = spawnCli(['start'], { dataDir, env: env(TOKEN) });
    await bot.waitFor(/Logged in as/);
    const done = await bot.stop();
    expect(done.code, done.err).toBe(0);
    const lines = done.out.trim().split('\n');
    expect(lines[0]).toMatch(/^Empty store at .*: added the demo source #1 \(1 article from data\/seed\/\)/);
    expect(lines[1]).toMatch(
      /^Logged in as \S+ in 2 servers — invite: https:\/\/discord\.com\/oauth2\/authorize\?client_id=1000&scope=bot\+applications\.commands&permissions=274877991936$/,
    );
    expect(done.err).toMatch(/"msg":"empty store: ingested the demo source"/);

    // Once: the second start finds articles and does not seed again.
    const again = spawnCli(['start'], { dataDir, env: env(TOKEN) });
    await again.waitFor(/Logged in as/);
    const second = await again.stop();
    expect(second.out).not.toMatch(/demo source/);
  });

  it('does not seed when NEWSDESK_SEED=false', async () => {
    const dataDir = tempDir();
    const bot = spawnCli(['start'], { dataDir, env: env(TOKEN, { NEWSDESK_SEED: 'false' }) });
    await bot.waitFor(/Logged in as/);
    await bot.stop();
    const stats = JSON.parse((await runCliAsync(['stats', '--json'], { dataDir })).out);
    expect(stats.articles).toBe(0);
  });

  it('gives deploy-commands errors a hint', async () => {
    const bad = await runCliAsync(['deploy-commands'], { env: env(WRONG, { DISCORD_CLIENT_ID: '1000' }) });
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/Discord refused the bot token \(401: Unauthorized\)\. Open the Developer Portal/);
    const offline = await runCliAsync(['deploy-commands'], {
      env: { DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: '1000', DISCORD_API_URL: 'http://127.0.0.1:9/api' },
    });
    expect(offline.code).toBe(1);
    expect(offline.err).toMatch(/Cannot reach .* \(ECONNREFUSED\)/);
  });
});

describe('newsdesk doctor', () => {
  it('reports the data dir, config without secrets, store, and a refused token with its fix', async () => {
    const dataDir = tempDir();
    await runCliAsync(['ingest', 'data/seed/'], { dataDir });
    const r = await runCliAsync(['doctor'], { dataDir, env: env(WRONG, { OPENAI_API_KEY: 'sk-secret-value-123456' }) });
    expect(r.code).toBe(1);
    expect(r.out).toContain(`ok   data dir: ${dataDir}`);
    expect(r.out).toMatch(/ok {3}config: embedder local \(384-d\); answerer extractive \(offline\); OPENAI_API_KEY set; .*DISCORD_TOKEN set/);
    expect(r.out).toMatch(/ok {3}store: 1 source · 1 article · \d+ chunks/);
    expect(r.out).toMatch(/ok {3}index: (\d+) vectors for \1 searchable chunks/);
    expect(r.out).toMatch(/BAD {2}discord: .* refused DISCORD_TOKEN \(401: invalid token\)\n\s+fix: Open the Developer Portal/);
    expect(r.out).toMatch(/1 problem found\./);
    expect(r.out + r.err).not.toContain('sk-secret-value-123456');
    expect(r.out + r.err).not.toContain(WRONG);
  });

  it('confirms a valid token and says when there is no store yet', async () => {
    const r = await runCliAsync(['doctor', '--json'], { dataDir: tempDir(), env: env(TOKEN) });
    const report = JSON.parse(r.out);
    expect(report.ok).toBe(false);
    expect(report.checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'store', ok: false, fix: expect.stringMatching(/npm start/) }),
        expect.objectContaining({ name: 'discord', ok: true, detail: expect.stringMatching(/token valid for/) }),
      ]),
    );
  });
});
