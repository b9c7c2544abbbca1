import { describe, expect, it } from 'vitest';
import { PermissionFlagsBits, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { commands } from '../../commands/index.ts';
import { commandPayloads } from '../../src/discord/register-commands.ts';

describe('command definitions', () => {
  const payloads = commandPayloads(commands) as RESTPostAPIChatInputApplicationCommandsJSONBody[];

  it('declares the seven commands with the option names users see', () => {
    expect(payloads.map((p) => p.name)).toEqual(['ask', 'search', 'latest', 'sources', 'watch', 'digest', 'help']);
    const ask = payloads.find((p) => p.name === 'ask')!;
    expect(ask.options!.map((o) => o.name)).toEqual(['question', 'source', 'since', 'private']);
    const sources = payloads.find((p) => p.name === 'sources')!;
    expect(sources.options!.map((o) => o.name)).toEqual(['add', 'list', 'remove', 'refresh']);
    expect(sources.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
    const watch = payloads.find((p) => p.name === 'watch')!;
    expect(watch.options!.map((o) => o.name)).toEqual(['add', 'list', 'remove']);
    expect(watch.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
    const add = watch.options!.find((o) => o.name === 'add') as { options: Array<{ name: string }> };
    expect(add.options.map((o) => o.name)).toEqual(['topic', 'channel']);
    const digest = payloads.find((p) => p.name === 'digest')!;
    expect(digest.options!.map((o) => o.name)).toEqual(['now', 'schedule', 'off']);
    const schedule = digest.options!.find((o) => o.name === 'schedule') as { options: Array<{ name: string }> };
    expect(schedule.options.map((o) => o.name)).toEqual(['channel', 'time', 'timezone', 'frequency']);
    // /digest now is for everyone; schedule and off check Manage Server when they run.
    expect(digest.default_member_permissions ?? null).toBeNull();
  });

  it('keeps the per-server commands (/sources, /watch, /digest) out of DMs and the others available there', () => {
    for (const p of payloads) expect(p.contexts).toEqual(['sources', 'watch', 'digest'].includes(p.name) ? [0] : [0, 1]);
  });
});
