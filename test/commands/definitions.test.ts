import { describe, expect, it } from 'vitest';
import { PermissionFlagsBits, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { commands } from '../../commands/index.ts';
import { commandPayloads } from '../../src/discord/register-commands.ts';

describe('command definitions', () => {
  const payloads = commandPayloads(commands) as RESTPostAPIChatInputApplicationCommandsJSONBody[];

  it('declares the five commands with the option names users see', () => {
    expect(payloads.map((p) => p.name)).toEqual(['ask', 'search', 'latest', 'sources', 'help']);
    const ask = payloads.find((p) => p.name === 'ask')!;
    expect(ask.options!.map((o) => o.name)).toEqual(['question', 'source', 'since', 'private']);
    const sources = payloads.find((p) => p.name === 'sources')!;
    expect(sources.options!.map((o) => o.name)).toEqual(['add', 'list', 'remove', 'refresh']);
    expect(sources.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
  });

  it('keeps /sources out of DMs and the other commands available there', () => {
    for (const p of payloads) expect(p.contexts).toEqual(p.name === 'sources' ? [0] : [0, 1]);
  });
});
