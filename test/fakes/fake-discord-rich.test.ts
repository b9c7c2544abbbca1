import { once } from 'node:events';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  ComponentType,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
  type Interaction,
  type Message,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from './fake-discord.ts';

const TOKEN = 'test-token';
const GUILD = '2001';
const GENERAL = '3001';
const USER = { id: '4001', username: 'alice' };
const STRING = 3;

/** Runs `handler` on the next interaction; resolves undefined, or with what it threw. */
function onNext(client: Client, handler: (i: Interaction) => Promise<unknown>): Promise<unknown> {
  return new Promise((resolve) => client.once(Events.InteractionCreate, (i) => handler(i).then(() => resolve(undefined), resolve)));
}

describe('fake Discord: autocomplete, context menus, selects, modals and threads with the real discord.js client', () => {
  let discord: FakeDiscord;
  let client: Client;
  const errors: unknown[] = [];

  beforeAll(async () => {
    discord = await startFakeDiscord({
      token: TOKEN,
      applicationId: '1000',
      botUserId: '1000',
      guilds: [{ id: GUILD, name: 'A', channels: [{ id: GENERAL, name: 'general' }] }],
    });
    client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages], rest: { api: discord.restUrl } });
    client.on(Events.Error, (e) => errors.push(e));
    const ready = once(client, Events.ClientReady);
    await client.login(TOKEN);
    await ready;
  });
  afterAll(async () => {
    await client?.destroy();
    await discord?.close();
    expect(errors).toEqual([]);
  });

  it('delivers autocomplete with the focused option and records the choices (callback 8)', async () => {
    const handled = onNext(client, async (i) => {
      if (!i.isAutocomplete()) throw new Error(`not autocomplete: ${i.type}`);
      expect(i.commandName).toBe('ask');
      expect(i.options.getFocused(true)).toMatchObject({ name: 'source', value: 'gaz' });
      expect(i.options.getString('question')).toBe('what?');
      await i.respond([{ name: '#1 Gazette', value: '1' }]);
    });
    const { id } = discord.sendAutocomplete({
      guildId: GUILD,
      channelId: GENERAL,
      user: USER,
      command: 'ask',
      options: [
        { name: 'question', type: STRING, value: 'what?' },
        { name: 'source', type: STRING, value: 'gaz', focused: true },
      ],
    });
    expect(await handled).toBeUndefined();
    expect(await discord.waitForChoices(id)).toEqual([{ name: '#1 Gazette', value: '1' }]);
    expect(discord.interactionResponses(id)[0]?.body).toEqual({ type: 8, data: { choices: [{ name: '#1 Gazette', value: '1' }] } });
  });

  it('refuses more than 25 autocomplete choices like Discord (50035)', async () => {
    const handled = onNext(client, async (i) => {
      if (!i.isAutocomplete()) throw new Error('not autocomplete');
      const tooMany = Array.from({ length: 26 }, (_, n) => ({ name: `s${n}`, value: String(n) }));
      const err = await i.respond(tooMany).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DiscordAPIError);
      expect((err as DiscordAPIError).code).toBe(50035);
    });
    discord.sendAutocomplete({
      guildId: GUILD,
      channelId: GENERAL,
      user: USER,
      command: 'ask',
      options: [{ name: 'source', type: STRING, value: '', focused: true }],
    });
    expect(await handled).toBeUndefined();
  });

  it('sends a message context-menu command with the target message resolved, content included without MessageContent', async () => {
    const targetId = discord.sendMessage({ guildId: GUILD, channelId: GENERAL, author: USER, content: 'Did the council pass the budget?' });
    const handled = onNext(client, async (i) => {
      if (!i.isMessageContextMenuCommand()) throw new Error('not a message command');
      expect(i.commandName).toBe('Ask Newsdesk');
      expect(i.targetId).toBe(targetId);
      expect(i.targetMessage.content).toBe('Did the council pass the budget?');
      expect(i.targetMessage.author.id).toBe(USER.id);
      await i.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
    });
    const { id } = discord.sendMessageCommand({ guildId: GUILD, channelId: GENERAL, user: USER, command: 'Ask Newsdesk', targetMessageId: targetId });
    expect(discord.interaction(id).payload).toMatchObject({ type: 2, data: { type: 3, target_id: targetId } });
    expect(await handled).toBeUndefined();
    expect(() => discord.sendMessageCommand({ guildId: GUILD, channelId: GENERAL, user: USER, command: 'x', targetMessageId: '1' })).toThrow(/no message/);
  });

  it('carries attachments of an image-only message to the context-menu target', async () => {
    const targetId = discord.sendMessage({
      guildId: GUILD,
      channelId: GENERAL,
      author: USER,
      content: '',
      attachments: [{ filename: 'chart.png', contentType: 'image/png' }],
    });
    const handled = onNext(client, async (i) => {
      if (!i.isMessageContextMenuCommand()) throw new Error('not a message command');
      expect(i.targetMessage.content).toBe('');
      expect(i.targetMessage.attachments.first()?.name).toBe('chart.png');
      await i.reply({ content: 'ok' });
    });
    discord.sendMessageCommand({ guildId: GUILD, channelId: GENERAL, user: USER, command: 'Ask Newsdesk', targetMessageId: targetId });
    expect(await handled).toBeUndefined();
  });

  it('delivers string-select values, deferUpdate (6) then editReply on the message, and an ephemeral follow-up', async () => {
    let messageId = '';
    const sent = onNext(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('not a command');
      const select = new StringSelectMenuBuilder().setCustomId('pick:1').addOptions({ label: 'A', value: 'a' }, { label: 'B', value: 'b' });
      const r = await i.reply({ content: 'choose', components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(select)], withResponse: true });
      messageId = r.resource?.message?.id ?? '';
    });
    discord.sendInteraction({ guildId: GUILD, channelId: GENERAL, user: USER, command: 'pick' });
    expect(await sent).toBeUndefined();
    const picked = onNext(client, async (i) => {
      if (!i.isStringSelectMenu()) throw new Error('not a select');
      expect(i.values).toEqual(['b']);
      await i.deferUpdate();
      await i.editReply({ content: 'picked b', components: [] });
      await i.followUp({ content: 'only you see this', flags: MessageFlags.Ephemeral });
    });
    const click = discord.sendComponentInteraction({ messageId, customId: 'pick:1', user: USER, componentType: ComponentType.StringSelect, values: ['b'] });
    expect(await picked).toBeUndefined();
    expect(discord.interaction(click.id).callbackType).toBe(6);
    expect(discord.message(messageId)).toMatchObject({ content: 'picked b', components: [] });
    expect(discord.interaction(click.id).followups.map((m) => [m.content, m.flags])).toEqual([['only you see this', 64]]);
  });

  it('records a modal (callback 9) and delivers its submission (type 5) with the text input values', async () => {
    let messageId = '';
    const sent = onNext(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('not a command');
      const button = new ButtonBuilder().setCustomId('why').setLabel('Why?').setStyle(ButtonStyle.Secondary);
      const r = await i.reply({ content: 'answer', components: [new ActionRowBuilder<ButtonBuilder>().addComponents(button)], withResponse: true });
      messageId = r.resource?.message?.id ?? '';
    });
    discord.sendInteraction({ guildId: GUILD, channelId: GENERAL, user: USER, command: 'x' });
    expect(await sent).toBeUndefined();
    const shown = onNext(client, async (i) => {
      if (!i.isButton()) throw new Error('not a button');
      const input = new TextInputBuilder().setCustomId('reason').setStyle(TextInputStyle.Paragraph).setMaxLength(500);
      await i.showModal(
        new ModalBuilder()
          .setCustomId('why:modal')
          .setTitle('Tell us more')
          .addLabelComponents(new LabelBuilder().setLabel('What was wrong?').setTextInputComponent(input)),
      );
    });
    const click = discord.sendComponentInteraction({ messageId, customId: 'why', user: USER });
    expect(await shown).toBeUndefined();
    expect(await discord.waitForModal(click.id)).toMatchObject({ custom_id: 'why:modal', title: 'Tell us more' });
    expect(() => discord.submitModal({ interactionId: click.id, values: { nope: 'x' } })).toThrow(/no input/);

    const submitted = onNext(client, async (i) => {
      if (!i.isModalSubmit()) throw new Error('not a modal submit');
      expect(i.customId).toBe('why:modal');
      expect(i.fields.getTextInputValue('reason')).toBe('It cited an old article');
      expect(i.message?.id).toBe(messageId);
      await i.deferUpdate();
      await i.editReply({ content: 'answer (thanks)' });
    });
    const submit = discord.submitModal({ interactionId: click.id, values: { reason: 'It cited an old article' } });
    expect(await submitted).toBeUndefined();
    expect(discord.interaction(submit.id).callbackType).toBe(6);
    expect(discord.message(messageId)?.content).toBe('answer (thanks)');
  });

  it('starts a thread from a bot message (THREAD_CREATE caches it) and delivers user messages in threads', async () => {
    let threadId = '';
    const sent = onNext(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('not a command');
      await i.deferReply();
      await i.editReply({ content: 'Question: tolls?' });
      const reply = await i.fetchReply();
      const thread = await reply.startThread({ name: 'tolls?' });
      threadId = thread.id;
      expect(thread.id).toBe(reply.id); // a thread started from a message has the message's id
      await thread.send({ content: 'The answer [1]' });
    });
    const { id } = discord.sendInteraction({ guildId: GUILD, channelId: GENERAL, user: USER, command: 'ask' });
    expect(await sent).toBeUndefined();
    expect(client.channels.cache.get(threadId)?.isThread()).toBe(true);
    expect(discord.channelMessages(threadId).map((m) => m.content)).toEqual(['The answer [1]']);
    expect(discord.message(discord.interaction(id).original!.id)?.thread?.id).toBe(threadId);

    const userThread = discord.startThread({ guildId: GUILD, parentId: GENERAL, name: 'chat', owner: USER });
    const received = new Promise<Message>((resolve) => client.once(Events.MessageCreate, resolve));
    discord.sendMessage({ guildId: GUILD, channelId: userThread, author: USER, content: '<@1000> hi' });
    const m = await received;
    expect(m.channel.isThread()).toBe(true);
    expect(m.channel.isThread() && m.channel.parentId).toBe(GENERAL);
    expect(m.content).toBe('<@1000> hi');
  });
});
