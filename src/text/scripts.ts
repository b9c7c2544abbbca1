/** Which texts are written without spaces between words (Japanese, Chinese, Thai…). */

// Scripts whose words are not separated by spaces. Intl.Segmenter is only used when one of these
// appears: it is ~20x slower than a split on whitespace, and ingestion speed matters.
export const SPACELESS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/** True when the text contains a script written without spaces between words. */
export function hasSpacelessScript(text: string): boolean {
  return SPACELESS.test(text);
}

const SPACELESS_ALL = new RegExp(SPACELESS.source, 'gu');

/**
 * True when most of the text is in a spaceless script (a Japanese article, not an English one
 * quoting a Chinese name): the rule-based sentence splitter, which needs a space after a full stop,
 * cannot split it.
 */
export function isMostlySpaceless(text: string): boolean {
  if (!SPACELESS.test(text)) return false;
  const spaceless = text.match(SPACELESS_ALL)?.length ?? 0;
  return spaceless > text.length * 0.3;
}

