import { once } from 'node:events';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Partials,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startFakeDiscord, type FakeDiscord } from './fake-discord.ts';

const TOKEN = 'test-token';
const GUILD_A = '2001';
const GENERAL = '3001';
const USER = { id: '4001', username: 'alice' };
const guilds = [
  {
    id: GUILD_A,
    name: 'Guild A',
    channels: [
      { id: GENERAL, name: 'general' },
      { id: '3002', name: 'news' },
    ],
  },
  { id: '2002', name: 'Guild B', channels: [{ id: '3003', name: 'general' }] },
];

/** Logs a real discord.js client in against the fake and waits for ClientReady. */
async function loginClient(discord: FakeDiscord, intents: number[]): Promise<{ client: Client; errors: unknown[] }> {
  const client = new Client({ intents, rest: { api: discord.restUrl } });
  const errors: unknown[] = [];
  client.on(Events.Error, (error) => errors.push(error));
  const ready = once(client, Events.ClientReady);
  await client.login(TOKEN);
  await ready;
  return { client, errors };
}

/** Runs `handler` for the next interaction; resolves undefined, or with what it threw. */
function onNextInteraction(client: Client, handler: (i: ChatInputCommandInteraction) => Promise<unknown>): Promise<unknown> {
  return new Promise((resolve) => {
    client.once(Events.InteractionCreate, (interaction: Interaction) => {
      if (!interaction.isChatInputCommand()) return resolve(new Error(`unexpected interaction type ${interaction.type}`));
      handler(interaction).then(() => resolve(undefined), resolve);
    });
  });
}

function nextMessage(client: Client, predicate: (m: Message) => boolean = (m) => !m.author.bot): Promise<Message> {
  return new Promise((resolve) => {
    const listener = (m: Message) => {
      if (!predicate(m)) return;
      client.off(Events.MessageCreate, listener);
      resolve(m);
    };
    client.on(Events.MessageCreate, listener);
  });
}

describe('fake Discord with the real discord.js client (no MessageContent intent)', () => {
  let discord: FakeDiscord;
  let client: Client;
  let errors: unknown[];

  beforeAll(async () => {
    discord = await startFakeDiscord({ token: TOKEN, applicationId: '1000', botUserId: '1000', guilds });
    ({ client, errors } = await loginClient(discord, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]));
  });

  afterAll(async () => {
    await client?.destroy();
    await discord?.close();
    expect(errors).toEqual([]);
  });

  it('becomes ready with the bot user, guilds and channels cached', async () => {
    expect(client.user?.id).toBe('1000');
    expect(client.guilds.cache.map((g) => g.name).sort()).toEqual(['Guild A', 'Guild B']);
    const general = client.channels.cache.get(GENERAL);
    expect(general?.isTextBased() && 'name' in general ? general.name : undefined).toBe('general');
    expect(client.guilds.cache.get(GUILD_A)?.members.me?.id).toBe('1000');
    const identify = await discord.identified;
    expect(identify.intents).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages);
    expect(discord.calls.find((c) => c.path === '/gateway/bot')?.headers.authorization).toBe(`Bot ${TOKEN}`);
  });

  it('sees deferReply then editReply with an embed, in order', async () => {
    const handled = onNextInteraction(client, async (i) => {
      expect(i.commandName).toBe('ask');
      expect(i.options.getString('question')).toBe('What happened?');
      await i.deferReply();
      await i.editReply({ embeds: [new EmbedBuilder().setTitle('Answer').setDescription('Things [1]')] });
    });
    const { id } = discord.sendInteraction({
      guildId: GUILD_A,
      channelId: GENERAL,
      user: USER,
      command: 'ask',
      options: [{ name: 'question', type: 3, value: 'What happened?' }],
    });
    expect(await handled).toBeUndefined();
    const [callback, edit, ...rest] = discord.interactionResponses(id);
    expect(rest).toEqual([]);
    expect(callback).toMatchObject({ method: 'POST', body: { type: 5 }, status: 204 });
    expect(callback?.headers.authorization).toBeUndefined();
    expect(edit).toMatchObject({ method: 'PATCH', body: { embeds: [{ title: 'Answer', description: 'Things [1]' }] }, status: 200 });
    expect(edit?.path).toMatch(/\/messages\/@original$/);
    expect(edit?.rawPath).toMatch(/\/messages\/%40original$/);
    const reply = await discord.waitForReply(id);
    expect(reply.embeds[0]?.title).toBe('Answer');
  });

  it('records an ephemeral reply as callback type 4 with flags 64', async () => {
    const handled = onNextInteraction(client, (i) => i.reply({ content: 'only you', flags: MessageFlags.Ephemeral }));
    const { id } = discord.sendInteraction({ guildId: GUILD_A, channelId: GENERAL, user: USER, command: 'sources', subcommand: 'list' });
    expect(await handled).toBeUndefined();
    expect(discord.interactionResponses(id)[0]?.body).toEqual({ type: 4, data: expect.objectContaining({ content: 'only you', flags: 64 }) });
    expect(discord.channelMessages(GENERAL).some((m) => m.content === 'only you')).toBe(false);
  });

  it('delivers subcommands, member permissions and follow-ups', async () => {
    const handled = onNextInteraction(client, async (i) => {
      expect(i.options.getSubcommand()).toBe('add');
      expect(i.options.getString('url')).toBe('https://example.com/feed.xml');
      expect(i.memberPermissions?.has('ManageGuild')).toBe(true);
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      await i.followUp({ content: 'first' }); // replaces the "thinking…" message
      await i.followUp({ content: 'second' });
    });
    const { id } = discord.sendInteraction({
      guildId: GUILD_A,
      channelId: GENERAL,
      user: USER,
      permissions: '32',
      command: 'sources',
      subcommand: 'add',
      options: [{ name: 'url', type: 3, value: 'https://example.com/feed.xml' }],
    });
    expect(await handled).toBeUndefined();
    const view = discord.interaction(id);
    expect(view.original).toMatchObject({ content: 'first', flags: 64 });
    expect(view.followups.map((m) => m.content)).toEqual(['second']);
    expect(discord.interactionResponses(id).map((c) => `${c.method} ${c.query.wait ?? ''}`)).toEqual(['POST ', 'POST true', 'POST true']);
  });

  it('sends button clicks on the bot message and applies update()', async () => {
    let messageId = '';
    const replied = onNextInteraction(client, async (i) => {
      const response = await i.reply({
        content: 'page 1',
        components: [
          new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId('page:2').setLabel('Next').setStyle(ButtonStyle.Primary)),
        ],
        withResponse: true, // callback ?with_response=true answers with the created message
      });
      messageId = response.resource?.message?.id ?? '';
    });
    const cmd = discord.sendInteraction({ guildId: GUILD_A, channelId: GENERAL, user: USER, command: 'ask', options: [] });
    expect(await replied).toBeUndefined();
    expect(messageId).toBe(discord.interaction(cmd.id).original?.id);

    const clicked = new Promise<unknown>((resolve) => {
      client.once(Events.InteractionCreate, (i) => {
        if (!i.isButton()) return resolve(new Error('not a button'));
        expect(i.customId).toBe('page:2');
        expect(i.message.id).toBe(messageId);
        i.update({ content: 'page 2' }).then(() => resolve(undefined), resolve);
      });
    });
    const click = discord.sendComponentInteraction({ messageId, customId: 'page:2', user: USER });
    expect(await clicked).toBeUndefined();
    expect(discord.interactionResponses(click.id)[0]?.body).toMatchObject({ type: 7, data: { content: 'page 2' } });
    expect(discord.message(messageId)?.content).toBe('page 2');
    expect(() => discord.sendComponentInteraction({ messageId, customId: 'nope', user: USER })).toThrow(/no component/);
  });

  it('answers like Discord when the bot breaks the rules', async () => {
    const handled = onNextInteraction(client, async (i) => {
      await i.deferReply();
      const tooLong = await i.editReply({ content: 'x'.repeat(2001) }).catch((e: unknown) => e);
      expect(tooLong).toBeInstanceOf(DiscordAPIError);
      expect((tooLong as DiscordAPIError).code).toBe(50035);
      const twice = await i.reply({ content: 'again' }).catch((e: unknown) => e);
      expect(twice).toBeInstanceOf(Error); // discord.js refuses locally: already deferred
    });
    discord.sendInteraction({ guildId: GUILD_A, channelId: GENERAL, user: USER, command: 'ask' });
    expect(await handled).toBeUndefined();

    const raw = await fetch(`${discord.restUrl}/v10/channels/${GENERAL}/messages`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(raw.status).toBe(401);
    const unknown = await fetch(`${discord.restUrl}/v10/nope`, { headers: { authorization: `Bot ${TOKEN}` } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: '404: Not Found', code: 0 });
    expect(discord.calls.at(-1)?.path).toBe('/nope');
  });

  it('blanks content of non-mention messages without the MessageContent intent', async () => {
    const plain = nextMessage(client);
    discord.sendMessage({ guildId: GUILD_A, channelId: GENERAL, author: USER, content: 'hello there' });
    expect((await plain).content).toBe('');

    const mentioned = nextMessage(client);
    discord.sendMessage({ guildId: GUILD_A, channelId: GENERAL, author: USER, content: '<@1000> what is new?' });
    const message = await mentioned;
    expect(message.content).toBe('<@1000> what is new?');
    expect(message.mentions.users.has('1000')).toBe(true);
  });

  it('records message.reply() with message_reference and echoes the bot message back', async () => {
    const incoming = nextMessage(client);
    const userMessageId = discord.sendMessage({ guildId: GUILD_A, channelId: GENERAL, author: USER, content: 'hi', mentions: [discord.botUser] });
    const own = nextMessage(client, (m) => m.author.id === '1000' && m.content === 'hello back');
    const sent = await (await incoming).reply({ content: 'hello back', allowedMentions: { repliedUser: false } });
    expect(sent.reference?.messageId).toBe(userMessageId);
    await own; // Discord sends the bot its own messages too: handlers must ignore author.bot
    const call = await discord.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${GENERAL}/messages` && c.status === 200);
    expect(call.body).toMatchObject({ content: 'hello back', message_reference: { message_id: userMessageId } });
    expect(sent.mentions.users.size).toBe(0);
    await sent.channel.sendTyping();
    expect((await discord.waitForCall((c) => c.path === `/channels/${GENERAL}/typing`)).status).toBe(204);
  });

  it('registers guild and global commands through PUT and echoes them with ids', async () => {
    const commands = [
      { name: 'ask', description: 'Ask about the news', options: [{ type: 3, name: 'question', description: 'Your question', required: true }] },
    ];
    const set = await client.application?.commands.set(commands, GUILD_A);
    const put = await discord.waitForCall((c) => c.method === 'PUT' && c.path === `/applications/1000/guilds/${GUILD_A}/commands`);
    expect(put.status).toBe(200);
    expect(set?.first()?.name).toBe('ask');
    const fetched = await client.application?.commands.fetch({ guildId: GUILD_A });
    expect(fetched?.first()?.id).toBe(set?.first()?.id);
    await client.application?.commands.set(commands);
    expect(discord.commands().map((c) => c.name)).toEqual(['ask']);
    // An interaction for a registered command carries its id.
    const handled = onNextInteraction(client, async (i) => expect(i.commandId).toBe(set?.first()?.id));
    discord.sendInteraction({ guildId: GUILD_A, channelId: GENERAL, user: USER, command: 'ask' });
    expect(await handled).toBeUndefined();
    const bad = await client.application?.commands.set([{ name: 'Bad Name', description: 'x' }]).catch((e: unknown) => e);
    expect((bad as DiscordAPIError).code).toBe(50035);
  });

  it('parses multipart uploads (payload_json + files)', async () => {
    const handled = onNextInteraction(client, async (i) => {
      await i.deferReply();
      await i.editReply({ content: 'see file', files: [{ attachment: Buffer.from('a,b\n1,2\n'), name: 'data.csv' }] });
    });
    const { id } = discord.sendInteraction({ guildId: GUILD_A, channelId: GENERAL, user: USER, command: 'export' });
    expect(await handled).toBeUndefined();
    const edit = discord.interactionResponses(id)[1];
    expect(edit?.body).toMatchObject({ content: 'see file' });
    expect(edit?.files).toMatchObject([{ field: 'files[0]', filename: 'data.csv', size: 8 }]);
    const url = (await discord.waitForReply(id)).attachments[0]?.url ?? '';
    expect(await (await fetch(url)).text()).toBe('a,b\n1,2\n');
  });
});

describe('fake Discord details', () => {
  it('delivers content to a client with the MessageContent intent', async () => {
    const discord = await startFakeDiscord({ token: TOKEN, applicationId: '1000', botUserId: '1000', guilds });
    const { client, errors } = await loginClient(discord, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent]);
    try {
      const got = nextMessage(client);
      discord.sendMessage({ guildId: GUILD_A, channelId: GENERAL, author: USER, content: 'plain text' });
      expect((await got).content).toBe('plain text');
      expect(errors).toEqual([]);
    } finally {
      await client.destroy();
      await discord.close();
    }
  });

  it('delivers DMs with content (no MessageContent needed) and DM interactions', async () => {
    const discord = await startFakeDiscord({ token: TOKEN, applicationId: '1000', botUserId: '1000', guilds });
    const client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages],
      partials: [Partials.Channel],
      rest: { api: discord.restUrl },
    });
    const errors: unknown[] = [];
    client.on(Events.Error, (error) => errors.push(error));
    try {
      const ready = once(client, Events.ClientReady);
      await client.login(TOKEN);
      await ready;
      const got = nextMessage(client);
      discord.sendMessage({ channelId: '5001', author: USER, content: 'psst' });
      const dm = await got;
      expect([dm.content, dm.guildId, dm.channel.isDMBased()]).toEqual(['psst', null, true]);
      const handled = onNextInteraction(client, async (i) => {
        expect(i.inGuild()).toBe(false);
        await i.reply('hi');
      });
      const { id } = discord.sendInteraction({ channelId: '5001', user: USER, command: 'help' });
      expect(await handled).toBeUndefined();
      expect((await discord.waitForReply(id)).content).toBe('hi');
      expect(errors).toEqual([]);
    } finally {
      await client.destroy();
      await discord.close();
    }
  });

  it('speaks the gateway protocol: wrong token → 4004, heartbeat ACK, RESUME → op 9, increasing s', async () => {
    const discord = await startFakeDiscord({ token: TOKEN, applicationId: '1000', botUserId: '1000', guilds, heartbeatIntervalMs: 1000 });
    try {
      const bad = new WebSocket(`${discord.gatewayUrl}?v=10&encoding=json`);
      bad.on('open', () => bad.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: {} } })));
      const [code] = (await once(bad, 'close')) as [number];
      expect(code).toBe(4004);

      const ws = new WebSocket(`${discord.gatewayUrl}?v=10&encoding=json`);
      const frames: { op: number; s: number | null; t: string | null; d: unknown }[] = [];
      ws.on('message', (data) => frames.push(JSON.parse(String(data))));
      await once(ws, 'open');
      const until = async (pred: () => boolean) => {
        while (!pred()) await new Promise((r) => setTimeout(r, 5));
      };
      await until(() => frames.length > 0);
      expect(frames[0]).toMatchObject({ op: 10, d: { heartbeat_interval: 1000 } });
      ws.send(JSON.stringify({ op: 1, d: null }));
      await until(() => frames.some((f) => f.op === 11));
      ws.send(JSON.stringify({ op: 2, d: { token: TOKEN, intents: 513, properties: { os: 'linux', browser: 'test', device: 'test' } } }));
      await until(() => frames.filter((f) => f.t === 'GUILD_CREATE').length === 2);
      const dispatches = frames.filter((f) => f.op === 0);
      expect(dispatches.map((f) => f.t)).toEqual(['READY', 'GUILD_CREATE', 'GUILD_CREATE']);
      expect(dispatches.map((f) => f.s)).toEqual([1, 2, 3]);
      expect(dispatches[0]?.d).toMatchObject({
        resume_gateway_url: discord.gatewayUrl,
        application: { id: '1000' },
        guilds: [
          { id: GUILD_A, unavailable: true },
          { id: '2002', unavailable: true },
        ],
      });
      ws.send(JSON.stringify({ op: 6, d: { token: TOKEN, session_id: 'x', seq: 3 } }));
      await until(() => frames.some((f) => f.op === 9));
      expect(frames.find((f) => f.op === 9)?.d).toBe(false);
      ws.close();
      await once(ws, 'close');
    } finally {
      await discord.close();
    }
  });

  it('enforces the 3 s window for the first interaction response', async () => {
    const discord = await startFakeDiscord({ token: TOKEN, applicationId: '1000', botUserId: '1000', guilds, interactionWindowMs: 50 });
    const { client, errors } = await loginClient(discord, [GatewayIntentBits.Guilds]);
    try {
      const handled = onNextInteraction(client, async (i) => {
        await new Promise((r) => setTimeout(r, 100));
        await i.deferReply();
      });
      discord.sendInteraction({ guildId: GUILD_A, channelId: GENERAL, user: USER, command: 'slow' });
      expect(((await handled) as DiscordAPIError).code).toBe(10062);
      expect(errors).toEqual([]);
    } finally {
      await client.destroy();
      await discord.close();
    }
  });
});
