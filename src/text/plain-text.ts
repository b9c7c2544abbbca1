// Plain-text helpers shared by the format readers.

/** Collapses every run of whitespace (including no-break and zero-width spaces) to one space. */
export function normalizeSpace(s: string): string {
  return s.replace(/[\s\u00a0\u200b\u2028\u2029]+/g, ' ').trim();
}

/** Whitespace-separated tokens that contain a letter or digit (a lone "—" is not a word). */
export function countWords(text: string): number {
  let n = 0;
  for (const token of text.split(/\s+/)) if (/[\p{L}\p{N}]/u.test(token)) n++;
  return n;
}
