import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, type ClientOptions, type Interaction, type Message } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startFakeDiscord, type FakeDiscord } from './fake-discord.ts';
import { shardOfGuild } from './fake-discord-gateway.ts';

const TOKEN = 'test-token';
const USER = { id: '4001', username: 'alice' };
// Real-sized snowflakes: the shard is (id >> 22) % count, so small ids would all land on shard 0.
const GUILD_EVEN = String(10n << 22n); // shard 0 of 2
const GUILD_ODD = String(11n << 22n); // shard 1 of 2
const guilds = [
  { id: GUILD_EVEN, name: 'Even', channels: [{ id: '3001', name: 'general' }], members: [USER] },
  { id: GUILD_ODD, name: 'Odd', channels: [{ id: '3002', name: 'general' }], members: [USER] },
];

const clients: Client[] = [];
let discord: FakeDiscord | undefined;

afterEach(async () => {
  for (const c of clients.splice(0)) await c.destroy();
  await discord?.close();
  discord = undefined;
});

async function login(fake: FakeDiscord, options: Pick<ClientOptions, 'shards' | 'shardCount'>): Promise<Client> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages], rest: { api: fake.restUrl }, ...options });
  clients.push(client);
  client.on(Events.Error, () => undefined);
  const ready = once(client, Events.ClientReady);
  await client.login(TOKEN);
  await ready;
  return client;
}

/** Interactions and guild messages a client received, with the shard they came on. */
function record(client: Client): { interactions: Array<{ guildId: string | null; shard: number }>; messages: string[] } {
  const seen = { interactions: [] as Array<{ guildId: string | null; shard: number }>, messages: [] as string[] };
  client.on(Events.InteractionCreate, (i: Interaction) => seen.interactions.push({ guildId: i.guildId, shard: i.guild?.shardId ?? -1 }));
  client.on(Events.MessageCreate, (m: Message) => seen.messages.push(m.guildId ?? 'dm'));
  return seen;
}

describe('fake Discord sharding (the real discord.js client)', () => {
  it('routes guilds by (guild_id >> 22) % num_shards: two clients, one shard each, each sees only its guilds', async () => {
    expect([shardOfGuild(GUILD_EVEN, 2), shardOfGuild(GUILD_ODD, 2)]).toEqual([0, 1]);
    discord = await startFakeDiscord({ token: TOKEN, applicationId: '1000', botUserId: '1000', guilds, shards: 2 });
    const zero = await login(discord, { shards: [0], shardCount: 2 });
    const one = await login(discord, { shards: [1], shardCount: 2 });
    expect(discord.identifies.map((d) => d.shard)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect([...zero.guilds.cache.keys()]).toEqual([GUILD_EVEN]);
    expect([...one.guilds.cache.keys()]).toEqual([GUILD_ODD]);

    const seenZero = record(zero);
    const seenOne = record(one);
    discord.sendInteraction({ guildId: GUILD_ODD, channelId: '3002', user: USER, command: 'ask' });
    discord.sendInteraction({ guildId: GUILD_EVEN, channelId: '3001', user: USER, command: 'ask' });
    discord.sendMessage({ guildId: GUILD_ODD, channelId: '3002', author: USER, content: 'hello odd' });
    await expect.poll(() => seenZero.interactions.length + seenOne.interactions.length).toBe(2);
    await expect.poll(() => seenOne.messages.length).toBe(1);
    expect(seenZero.interactions).toEqual([{ guildId: GUILD_EVEN, shard: 0 }]);
    expect(seenOne.interactions).toEqual([{ guildId: GUILD_ODD, shard: 1 }]);
    expect(seenZero.messages).toEqual([]);
    expect(seenOne.messages).toEqual([GUILD_ODD]);

    // A guild the bot joins later is created on its own shard's session only.
    const late = String(13n << 22n); // shard 1 of 2
    discord.addGuild({ id: late, name: 'Late', channels: [{ id: '3003', name: 'general' }] });
    await expect.poll(() => one.guilds.cache.has(late)).toBe(true);
    expect(zero.guilds.cache.has(late)).toBe(false);
  });

  it("answers /gateway/bot with its recommended shard count, which shards: 'auto' runs in one client", async () => {
    discord = await startFakeDiscord({ token: TOKEN, applicationId: '1000', botUserId: '1000', guilds, shards: 2, maxConcurrency: 2 });
    const client = await login(discord, { shards: 'auto' });
    expect([...client.ws.shards.keys()].sort()).toEqual([0, 1]);
    expect(discord.shards()).toEqual(expect.arrayContaining([[0, 2] as const, [1, 2] as const]));
    expect([...client.guilds.cache.keys()].sort()).toEqual([GUILD_EVEN, GUILD_ODD].sort());
    const seen = record(client);
    discord.sendInteraction({ guildId: GUILD_ODD, channelId: '3002', user: USER, command: 'ask' });
    discord.sendInteraction({ guildId: GUILD_EVEN, channelId: '3001', user: USER, command: 'ask' });
    await expect.poll(() => seen.interactions.length).toBe(2);
    expect(seen.interactions).toEqual(
      expect.arrayContaining([
        { guildId: GUILD_ODD, shard: 1 },
        { guildId: GUILD_EVEN, shard: 0 },
      ]),
    );
  });

  it('closes an IDENTIFY with an impossible shard with 4010, and refuses to dispatch to a shard nobody runs', async () => {
    discord = await startFakeDiscord({ token: TOKEN, applicationId: '1000', botUserId: '1000', guilds });
    const ws = new WebSocket(discord.gatewayUrl.replace('/gateway', '/gateway?v=10&encoding=json'));
    await once(ws, 'message'); // HELLO
    ws.send(JSON.stringify({ op: 2, d: { token: TOKEN, intents: 1, properties: {}, shard: [2, 2] }, s: null, t: null }));
    const [code] = (await once(ws, 'close')) as [number];
    expect(code).toBe(4010);

    await login(discord, { shards: [0], shardCount: 2 });
    expect(() => discord!.sendInteraction({ guildId: GUILD_ODD, channelId: '3002', user: USER, command: 'ask' })).toThrow(/no gateway client runs the shard/);
  });
});
