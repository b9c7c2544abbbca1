import { UserError } from '../errors.ts';
import type { GuildScope, Source } from '../db/source-repo.ts';

/** Finds the source a user meant by id ("3", "#3") or by name/URL, among the sources the scope sees. */
export function resolveSource(sources: Source[], raw: string): Source {
  const s = raw.trim();
  const id = /^#?(\d+)$/.exec(s);
  const byId = id ? sources.find((x) => x.id === Number(id[1])) : undefined;
  if (byId) return byId;
  const lower = s.toLowerCase();
  const exact = sources.filter((x) => x.name?.toLowerCase() === lower || x.url.toLowerCase() === lower);
  if (exact.length === 1) return exact[0]!;
  const partial = sources.filter((x) => (x.name ?? x.url).toLowerCase().includes(lower));
  if (partial.length === 1) return partial[0]!;
  if (partial.length > 1) {
    throw new UserError('bad-input', `"${s}" matches ${partial.length} sources; pick one from the suggestions or use its id.`);
  }
  throw new UserError('not-found', `No source "${s}" in this server. /sources list shows the ids.`);
}

/**
 * Autocomplete choices for a source option: id as value, "#id name" as label, at most 25, matching what
 * was typed (id, name or URL). `sources` must already be the scope's (never another server's); the
 * server's own come first, the operator's global ones after them, marked as such. No match: an empty list.
 */
export function sourceChoices(sources: Source[], typed: string, guildId?: string | null): Array<{ name: string; value: string }> {
  const q = typed.trim().toLowerCase().replace(/^#/, '');
  const matches = sources.filter((s) => !q || String(s.id).startsWith(q) || (s.name ?? s.url).toLowerCase().includes(q) || s.url.toLowerCase().includes(q));
  const ordered = guildId ? [...matches.filter((s) => s.guildId === guildId), ...matches.filter((s) => s.guildId !== guildId)] : matches;
  return ordered.slice(0, 25).map((s) => {
    const suffix = guildId && s.guildId === null ? ' · all servers' : '';
    const label = `#${s.id} ${s.name ?? s.url}`.replace(/\s+/g, ' ');
    return { name: label.slice(0, 100 - suffix.length) + suffix, value: String(s.id) };
  });
}

/** The scope's own sources (not the global ones): what a guild admin may remove or refresh. */
export function ownSources(sources: Source[], scope: GuildScope): Source[] {
  return scope.kind === 'all' ? sources : sources.filter((s) => s.guildId === scope.guildId);
}
