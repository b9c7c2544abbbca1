import fs from 'node:fs';
import { ButtonStyle, ComponentType, PermissionFlagsBits, SlashCommandBuilder, TextInputStyle, type APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { UserError } from '../../src/errors.ts';
import { createLogger } from '../../src/logger.ts';
import { openApp } from '../../src/app.ts';
import { startBot, type RunningBot } from '../../src/discord/bot.ts';
import type { Command } from '../../src/discord/command.ts';
import { customId, type ComponentHandler } from '../../src/discord/component-handler.ts';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.ts';
import { tempDir } from '../helpers/test-core.ts';
import { ADMIN_PERMISSIONS, ALICE, APP_ID, BOB, CHANNEL_A, GUILD_A, TOKEN } from './bot-harness.ts';

/** A gate the test opens: lets a handler stay busy for as long as the test wants, without timers. */
function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const slow = gate();
const handled: string[] = [];

/** Handlers exercising each path of the router (stand-ins for feedback, watches, …). */
const handlers: ComponentHandler[] = [
  {
    prefix: 'count',
    async handle(i, _ctx, [n]) {
      handled.push(`count ${n} by ${i.user.id}`);
      return { update: { content: `panel · clicked by ${i.user.username}` }, followUp: { content: `You clicked ${n}.` } };
    },
  },
  {
    prefix: 'slow',
    async handle() {
      await slow.opened;
      return { followUp: { content: 'finally' } };
    },
  },
  {
    prefix: 'fail',
    async handle(_i, _ctx, [how]) {
      if (how === 'user') throw new UserError('bad-input', 'That vote is for another server.');
      throw new Error('disk on fire');
    },
  },
  {
    prefix: 'admin',
    requiredPermissions: PermissionFlagsBits.ManageGuild,
    async handle() {
      return { followUp: { content: 'admin ok' } };
    },
  },
  {
    prefix: 'why',
    modal: (_i, _ctx, [id]) => ({
      custom_id: customId('why', 'submit', id ?? ''),
      title: 'What was wrong?',
      components: [
        {
          type: ComponentType.Label,
          label: 'Tell us',
          component: { type: ComponentType.TextInput, custom_id: 'text', style: TextInputStyle.Paragraph, max_length: 500 },
        },
      ],
    }),
    async handle(i, _ctx, args) {
      if (!i.isModalSubmit()) throw new Error('expected a modal submission');
      return { update: { content: `noted (${args.join(',')}): ${i.fields.getTextInputValue('text')}` } };
    },
  },
];

/** `/panel`: posts one message carrying a button of each handler. */
const panel: Command = {
  data: new SlashCommandBuilder().setName('panel').setDescription('Buttons for the router test'),
  async execute() {
    return {
      content: 'panel',
      components: [
        {
          type: ComponentType.ActionRow,
          components: [
            { type: ComponentType.Button, style: ButtonStyle.Primary, custom_id: customId('count', 0), label: 'Count' },
            { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: 'slow', label: 'Slow' },
            { type: ComponentType.Button, style: ButtonStyle.Danger, custom_id: customId('fail', 'bug'), label: 'Bug' },
            { type: ComponentType.Button, style: ButtonStyle.Danger, custom_id: customId('fail', 'user'), label: 'User error' },
            { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: 'admin', label: 'Admin' },
          ],
        },
        {
          type: ComponentType.ActionRow,
          components: [
            { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: customId('why', 42), label: 'Why' },
            { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: 'gone:1', label: 'Gone' },
          ],
        },
      ],
    };
  },
};

let fake: FakeDiscord;
let bot: RunningBot;
let dataDir: string;
const logs: string[] = [];
let panelMessage: APIMessage;

beforeAll(async () => {
  fake = await startFakeDiscord({
    token: TOKEN,
    applicationId: APP_ID,
    botUserId: APP_ID,
    guilds: [{ id: GUILD_A, name: 'A', channels: [{ id: CHANNEL_A, name: 'news' }], members: [ALICE, BOB] }],
  });
  dataDir = tempDir('newsdesk-router-');
  const config = loadConfig({ NEWSDESK_DATA_DIR: dataDir, DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.restUrl });
  bot = await startBot(config, createLogger({ level: 'debug', write: (l) => logs.push(l) }), {
    core: () => openApp(config),
    commands: [panel],
    components: handlers,
    shutdownGraceMs: 300,
  });
  const { id } = fake.sendInteraction({ guildId: GUILD_A, channelId: CHANNEL_A, user: ALICE, command: 'panel' });
  panelMessage = await fake.waitForReply(id);
}, 30_000);
afterAll(async () => {
  slow.open();
  await bot?.stop();
  await fake?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Waits until the bot has done everything it will do for a click: the callback, then edits/follow-ups. */
async function settled(interactionId: string, calls: number) {
  await fake.waitForCall(() => fake.interactionResponses(interactionId).length >= calls && fake.interactionResponses(interactionId).every((c) => c.status > 0));
  return fake.interactionResponses(interactionId);
}

describe('component routing by custom id prefix', () => {
  it('acknowledges with a deferred update (6), edits only the fields given, and follows up privately', async () => {
    const click = fake.sendComponentInteraction({ messageId: panelMessage.id, customId: 'count:0', user: BOB });
    const [ack, edit, follow] = await settled(click.id, 3);
    expect(ack!.body).toEqual({ type: 6 });
    expect(edit!.method).toBe('PATCH');
    expect(Object.keys(edit!.body as object)).not.toContain('components');
    expect(fake.message(panelMessage.id)!.content).toBe('panel · clicked by bob');
    expect(fake.message(panelMessage.id)!.components).toEqual(panelMessage.components); // untouched
    expect(follow!.body).toMatchObject({ content: 'You clicked 0.', flags: 64 });
    expect(handled).toContain(`count 0 by ${BOB.id}`);
  });

  it('acknowledges before a slow handler finishes, then ends it', async () => {
    const click = fake.sendComponentInteraction({ messageId: panelMessage.id, customId: 'slow', user: ALICE });
    await fake.waitForCall((c) => c.path.startsWith(`/interactions/${click.id}/`) && c.status === 204);
    expect(fake.interaction(click.id).callbackType).toBe(6);
    expect(fake.interaction(click.id).followups).toHaveLength(0); // the handler is still waiting
    slow.open();
    await settled(click.id, 2);
    expect(fake.interaction(click.id).followups.map((m) => m.content)).toEqual(['finally']);
  });

  it('ends a failing handler with a private message and leaves the clicked message alone', async () => {
    const before = JSON.stringify(fake.message(panelMessage.id));
    const bug = fake.sendComponentInteraction({ messageId: panelMessage.id, customId: 'fail:bug', user: ALICE });
    await settled(bug.id, 2);
    expect(fake.interaction(bug.id).followups[0]).toMatchObject({ flags: 64 });
    expect(fake.interaction(bug.id).followups[0]!.content).toMatch(/^⚠️ Something went wrong/);
    const user = fake.sendComponentInteraction({ messageId: panelMessage.id, customId: 'fail:user', user: ALICE });
    await settled(user.id, 2);
    expect(fake.interaction(user.id).followups[0]!.content).toBe('⚠️ That vote is for another server.');
    expect(JSON.stringify(fake.message(panelMessage.id))).toBe(before);
    expect(logs.some((l) => l.includes('"level":"error"') && l.includes('disk on fire'))).toBe(true);
    expect(logs.some((l) => l.includes('"level":"info"') && l.includes('"msg":"user error"') && l.includes('bad-input'))).toBe(true);
  });

  it('refuses a component that needs Manage Server to a member without it', async () => {
    const refused = fake.sendComponentInteraction({ messageId: panelMessage.id, customId: 'admin', user: BOB });
    await settled(refused.id, 1);
    expect(fake.interaction(refused.id).original).toMatchObject({ flags: 64 });
    expect(fake.interaction(refused.id).original!.content).toMatch(/Manage Server/);
    const allowed = fake.sendComponentInteraction({ messageId: panelMessage.id, customId: 'admin', user: ALICE, permissions: ADMIN_PERMISSIONS });
    await settled(allowed.id, 2);
    expect(fake.interaction(allowed.id).followups[0]!.content).toBe('admin ok');
  });

  it('answers an unknown prefix with a private note instead of leaving the click hanging', async () => {
    const click = fake.sendComponentInteraction({ messageId: panelMessage.id, customId: 'gone:1', user: ALICE });
    await settled(click.id, 1);
    expect(fake.interaction(click.id).callbackType).toBe(4);
    expect(fake.interaction(click.id).original!.content).toMatch(/no longer works/);
  });

  it('opens a modal as the first response and routes its submission back by prefix', async () => {
    const click = fake.sendComponentInteraction({ messageId: panelMessage.id, customId: 'why:42', user: ALICE });
    expect(await fake.waitForModal(click.id)).toMatchObject({ custom_id: 'why:submit:42', title: 'What was wrong?' });
    const submit = fake.submitModal({ interactionId: click.id, values: { text: 'old news' } });
    await settled(submit.id, 2);
    expect(fake.interaction(submit.id).callbackType).toBe(6);
    expect(fake.message(panelMessage.id)!.content).toBe('noted (submit,42): old news');
  });

  it('logs one line per component interaction with its prefix and outcome', async () => {
    const outcomes = () =>
      logs
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((e) => e.msg === 'interaction' && String(e.command).includes('('))
        .map((e) => `${e.command} ${e.outcome}`);
    // The line is written once the interaction has ended, just after its last request.
    await vi.waitFor(() => expect(outcomes()).toContain('why (modal) ok'));
    expect(outcomes()).toEqual(
      expect.arrayContaining([
        'count (button) ok',
        'fail (button) error',
        'fail (button) user-error:bad-input',
        'admin (button) refused',
        'gone (button) unknown-component',
        'why (button) modal',
      ]),
    );
  });

  it('refuses two handlers for one prefix at start-up', async () => {
    const config = loadConfig({ NEWSDESK_DATA_DIR: dataDir, DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.restUrl });
    await expect(
      startBot(config, createLogger({ level: 'silent' }), { core: bot.core, commands: [panel], components: [handlers[0]!, handlers[0]!] }),
    ).rejects.toThrow(/two component handlers/);
  });
});
