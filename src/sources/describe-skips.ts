/** "3 items skipped: A (too little text …); B (…); …" — the first few reasons, for a person. */
export function describeSkips(skipped: Array<{ title: string; reason: string }>, max = 3): string {
  const shown = skipped.slice(0, max).map((s) => `${s.title} (${s.reason})`);
  const more = skipped.length > max ? `; and ${skipped.length - max} more` : '';
  return `${skipped.length} ${skipped.length === 1 ? 'item' : 'items'} skipped: ${shown.join('; ')}${more}.`;
}
