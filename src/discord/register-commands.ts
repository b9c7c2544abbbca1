import { Routes, type REST, type RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import type { Logger } from '../logger.ts';
import type { AppCommand } from './command.ts';

export type CommandPayload = RESTPostAPIApplicationCommandsJSONBody;

/** The JSON Discord receives for our commands. */
export function commandPayloads(commands: readonly AppCommand[]): CommandPayload[] {
  return commands.map((c) => c.data.toJSON());
}

/** Guild commands when a guild id is given (instant, for testing), else global commands. */
export function commandsRoute(applicationId: string, guildId?: string): `/${string}` {
  return guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
}

/** Overwrites the registered commands with ours (the deploy script). */
export async function putCommands(rest: REST, applicationId: string, guildId: string | undefined, payloads: CommandPayload[]): Promise<void> {
  await rest.put(commandsRoute(applicationId, guildId), { body: payloads });
}

/**
 * Registers our commands at start-up only if they differ from what Discord has: one GET, and a PUT
 * only on a change (Discord rate-limits command updates, and a PUT on every restart is wasteful).
 */
export async function syncCommands(
  rest: REST,
  opts: { applicationId: string; guildId?: string; payloads: CommandPayload[]; logger: Logger },
): Promise<'unchanged' | 'updated'> {
  const existing = (await rest.get(commandsRoute(opts.applicationId, opts.guildId))) as unknown[];
  const scope = opts.guildId ? { guildId: opts.guildId } : { global: true };
  if (sameCommands(existing, opts.payloads)) {
    opts.logger.info('slash commands up to date', { ...scope, count: opts.payloads.length });
    return 'unchanged';
  }
  await putCommands(rest, opts.applicationId, opts.guildId, opts.payloads);
  opts.logger.info('slash commands registered', { ...scope, count: opts.payloads.length });
  return 'updated';
}

/**
 * Whether the registered commands (as Discord returns them, with ids, versions and defaults filled in)
 * say the same as ours. Only fields we set are compared, with Discord's defaults made explicit.
 */
export function sameCommands(existing: unknown[], wanted: CommandPayload[]): boolean {
  if (existing.length !== wanted.length) return false;
  const key = (list: unknown[]) =>
    list
      .map((c) => normalizeCommand(c as Record<string, unknown>))
      .sort((a, b) => String(a.name).localeCompare(String(b.name)))
      .map((c) => stableJson(c))
      .join('\n');
  return key(existing) === key(wanted);
}

function normalizeCommand(c: Record<string, unknown>): Record<string, unknown> {
  return {
    name: c.name,
    description: c.description ?? '',
    type: c.type ?? 1,
    default_member_permissions: c.default_member_permissions ?? null,
    contexts: Array.isArray(c.contexts) ? [...(c.contexts as number[])].sort() : null,
    nsfw: c.nsfw ?? false,
    options: normalizeOptions(c.options),
  };
}

function normalizeOptions(options: unknown): unknown[] {
  if (!Array.isArray(options)) return [];
  return options.map((o: Record<string, unknown>) => {
    const out: Record<string, unknown> = {
      type: o.type,
      name: o.name,
      description: o.description ?? '',
      required: o.required ?? false,
      autocomplete: o.autocomplete ?? false,
      options: normalizeOptions(o.options),
    };
    for (const k of ['min_length', 'max_length', 'min_value', 'max_value', 'channel_types']) {
      if (o[k] !== undefined && o[k] !== null) out[k] = o[k];
    }
    // Choices as name and value only: the builder leaves `name_localizations: undefined`, which Discord drops.
    if (Array.isArray(o.choices)) out.choices = (o.choices as Array<{ name: unknown; value: unknown }>).map((c) => ({ name: c.name, value: c.value }));
    return out;
  });
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    // Keys holding undefined are absent on the wire (builders leave e.g. name_localizations undefined).
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}
