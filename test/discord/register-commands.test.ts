import { describe, expect, it } from 'vitest';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { commands } from '../../commands/index.ts';
import { commandPayloads, sameCommands } from '../../src/discord/register-commands.ts';

describe('sameCommands', () => {
  // Context-menu commands have no description or options; the casts keep the test's edits simple.
  const payloads = commandPayloads(commands) as RESTPostAPIChatInputApplicationCommandsJSONBody[];

  it('treats what Discord returns for the same commands as unchanged', () => {
    // Discord adds ids, versions and defaults; localisations come back null.
    const returned = payloads.map((p, i) => ({
      ...p,
      id: String(100 + i),
      application_id: '1',
      version: '1',
      type: p.type ?? 1,
      nsfw: false,
      dm_permission: true,
      name_localizations: null,
      description_localizations: null,
      integration_types: [0],
      default_member_permissions: p.default_member_permissions ?? null,
      options: p.options?.map((o) => ({ ...o, name_localizations: null })),
    }));
    expect(sameCommands(returned.reverse(), payloads)).toBe(true);
  });

  it('notices a changed description, option or permission', () => {
    const changed = structuredClone(payloads);
    changed[0]!.description = 'something else';
    expect(sameCommands(changed, payloads)).toBe(false);
    expect(sameCommands(payloads.slice(1), payloads)).toBe(false);
    const perms = structuredClone(payloads);
    perms[3]!.default_member_permissions = null;
    expect(sameCommands(perms, payloads)).toBe(false);
  });
});
