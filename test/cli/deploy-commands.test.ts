import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/logger.ts';
import { isUserError } from '../../src/errors.ts';
import { deployCommandsCommand } from '../../src/cli/deploy-commands.ts';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.ts';

const TOKEN = 'deploy-test-token-123456';
let fake: FakeDiscord;
beforeAll(async () => {
  fake = await startFakeDiscord({ token: TOKEN, applicationId: '1000', botUserId: '1000', guilds: [{ id: '2001', name: 'A', channels: [] }] });
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterAll(async () => {
  vi.restoreAllMocks();
  await fake?.close();
});

const env = (extra: Record<string, string> = {}) =>
  loadConfig({ NEWSDESK_DATA_DIR: '/nonexistent', DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: '1000', DISCORD_API_URL: fake.restUrl, ...extra });

describe('npm run deploy-commands', () => {
  it('registers the commands in DISCORD_GUILD_ID when set', async () => {
    expect(await deployCommandsCommand(env({ DISCORD_GUILD_ID: '2001' }), silentLogger)).toBe(0);
    const put = fake.calls.find((c) => c.method === 'PUT' && c.path === '/applications/1000/guilds/2001/commands')!;
    expect(put.headers.authorization).toBe(`Bot ${TOKEN}`);
    expect((put.body as Array<{ name: string; type?: number }>).map((c) => `${c.type ?? 1}:${c.name}`)).toEqual([
      '1:ask',
      '1:search',
      '1:latest',
      '1:sources',
      '1:watch',
      '1:digest',
      '1:insights',
      '1:settings',
      '1:help',
      '3:Ask Newsdesk',
      '3:Find coverage',
    ]);
    expect(fake.commands('2001')).toHaveLength(11);
  });

  it('registers them globally otherwise', async () => {
    expect(await deployCommandsCommand(env(), silentLogger)).toBe(0);
    expect(fake.calls.some((c) => c.method === 'PUT' && c.path === '/applications/1000/commands')).toBe(true);
    expect(fake.commands()).toHaveLength(11);
  });

  it('explains what is missing without a client id', async () => {
    const config = loadConfig({ DISCORD_TOKEN: TOKEN });
    const err = await deployCommandsCommand(config, silentLogger).catch((e: unknown) => e);
    expect(isUserError(err) && err.message).toMatch(/DISCORD_CLIENT_ID/);
  });
});
