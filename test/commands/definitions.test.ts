import { describe, expect, it } from 'vitest';
import { PermissionFlagsBits, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { commands } from '../../commands/index.ts';
import { commandPayloads } from '../../src/discord/register-commands.ts';

describe('command definitions', () => {
  const payloads = commandPayloads(commands);
  const chat = (name: string) => payloads.find((p) => p.name === name && (p.type ?? 1) === 1) as RESTPostAPIChatInputApplicationCommandsJSONBody;

  it('declares the slash commands and message context menus with the names users see', () => {
    expect(payloads.map((p) => `${p.type ?? 1}:${p.name}`)).toEqual([
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
    expect(chat('ask').options!.map((o) => o.name)).toEqual(['question', 'source', 'since', 'private']);
    expect(chat('search').options!.map((o) => o.name)).toEqual(['query', 'since', 'source']);
    expect(chat('sources').options!.map((o) => o.name)).toEqual(['add', 'list', 'remove', 'refresh']);
    expect(chat('insights').options!.map((o) => o.name)).toEqual(['report', 'purge']);
    for (const name of ['sources', 'insights', 'settings']) expect(chat(name).default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
    const watch = chat('watch');
    expect(watch.options!.map((o) => o.name)).toEqual(['add', 'list', 'remove']);
    expect(watch.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
    const add = watch.options!.find((o) => o.name === 'add') as { options: Array<{ name: string }> };
    expect(add.options.map((o) => o.name)).toEqual(['topic', 'channel']);
    const digest = chat('digest');
    expect(digest.options!.map((o) => o.name)).toEqual(['now', 'schedule', 'off']);
    const schedule = digest.options!.find((o) => o.name === 'schedule') as { options: Array<{ name: string }> };
    expect(schedule.options.map((o) => o.name)).toEqual(['channel', 'time', 'timezone', 'frequency']);
    // /digest now is for everyone; schedule and off check Manage Server when they run.
    expect(digest.default_member_permissions ?? null).toBeNull();
  });

  it('marks every source option of /ask, /search and /latest for autocomplete', () => {
    for (const name of ['ask', 'search', 'latest']) {
      const source = chat(name).options!.find((o) => o.name === 'source') as { autocomplete?: boolean } | undefined;
      expect(source?.autocomplete, name).toBe(true);
    }
  });

  it('registers the context menus as message commands (type 3) without a description', () => {
    for (const p of payloads.filter((x) => x.type === 3)) {
      expect('description' in p && p.description).toBeFalsy();
      expect(p.contexts).toEqual([0, 1]);
    }
  });

  it('keeps admin commands out of DMs and the other commands available there', () => {
    for (const p of payloads) expect(p.contexts, p.name).toEqual(['sources', 'watch', 'digest', 'insights', 'settings'].includes(p.name) ? [0] : [0, 1]);
  });
});
