import { countWords } from './plain-text.ts';
import { hasSpacelessScript } from './scripts.ts';
import { splitSentences } from './sentences.ts';

/** The one rule for "is this enough text to be an article", applied to files, pages and feed items. */

/**
 * The one minimum for an article, whatever path it came by (file, page, feed item, JSONL): at least
 * 15 words, and below 60 words at least two sentences. A two-sentence news brief passes; a headline,
 * a caption, a one-line teaser or an error line ("Please enable JavaScript…") does not.
 */
export const MIN_ARTICLE_WORDS = 15;
export const MIN_BRIEF_SENTENCES = 2;
/** From this many words on, sentences are not counted (unpunctuated long text is still an article). */
const SENTENCES_CHECKED_BELOW = 60;

export const ARTICLE_RULE = `at least ${MIN_ARTICLE_WORDS} words in at least ${MIN_BRIEF_SENTENCES} sentences`;

/** Null when the text is long enough to be an article, else the reason it is not. */
export function tooShortReason(text: string): string | null {
  // Every ingested article passes through here: look at no more than the words the rule needs.
  const words = countWordsUpTo(text, SENTENCES_CHECKED_BELOW);
  if (words < MIN_ARTICLE_WORDS) return `too little text (${words} ${words === 1 ? 'word' : 'words'}; an article needs ${ARTICLE_RULE})`;
  if (words >= SENTENCES_CHECKED_BELOW) return null;
  // Only short texts get here, so the splitter's cost does not matter.
  if (splitSentences(text).length < MIN_BRIEF_SENTENCES) return `too little text (one sentence of ${words} words; an article needs ${ARTICLE_RULE})`;
  return null;
}

/** `countWords`, stopping at `limit` (a long article is not split whole just to compare with 60). */
function countWordsUpTo(text: string, limit: number): number {
  // About ten characters a word: a prefix of this length holds `limit` words if the text has them.
  const head = text.length > limit * 40 ? text.slice(0, limit * 40) : text;
  let n = 0;
  if (hasSpacelessScript(head)) n = Math.min(countWords(head), limit);
  else for (const m of head.matchAll(/\S+/g)) if (/[\p{L}\p{N}]/u.test(m[0]) && ++n >= limit) return n;
  // A prefix without enough words (a long URL, a table): count the whole text after all.
  return n < limit && head !== text ? Math.min(countWords(text), limit) : n;
}
