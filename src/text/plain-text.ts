// Plain-text helpers shared by the format readers.
import { hasSpacelessScript } from './scripts.ts';

/** Collapses every run of whitespace (including no-break and zero-width spaces) to one space. */
export function normalizeSpace(s: string): string {
  return s.replace(/[\s\u00a0\u200b\u2028\u2029]+/g, ' ').trim();
}

let wordSegmenter: Intl.Segmenter | undefined;

/**
 * Words in `text`: whitespace-separated tokens that contain a letter or digit (a lone "—" is not a
 * word); for scripts written without spaces (Japanese, Chinese, Thai…) the words Intl.Segmenter
 * finds. The segmenter is used only then: it is much slower than a split on whitespace.
 */
export function countWords(text: string): number {
  let n = 0;
  if (!hasSpacelessScript(text)) {
    for (const token of text.split(/\s+/)) if (/[\p{L}\p{N}]/u.test(token)) n++;
    return n;
  }
  wordSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'word' });
  for (const s of wordSegmenter.segment(text)) if (s.isWordLike) n++;
  return n;
}
