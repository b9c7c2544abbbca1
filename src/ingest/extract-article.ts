import { Readability } from '@mozilla/readability';
import type { ArticleInput } from '../types.ts';
import { countWords, normalizeSpace } from '../text/plain-text.ts';
import { tooShortReason } from '../text/word-count.ts';
import { EXTRACT_LIMITS, parseDocument, scanMarkup, stripRawTextElements } from './html-markup.ts';
import { elementToParagraphs, firstWords, looksLikeListing, removeBoilerplateElements, sameText } from './html-text.ts';
import { cleanTitle, hostOutlet, readPageMetadata, safeCanonical } from './page-metadata.ts';

export { EXTRACT_LIMITS } from './html-markup.ts';

export type SkipCode = 'too-large' | 'too-deep' | 'too-short' | 'listing' | 'paywall' | 'cookie-wall';

export type ExtractedArticle = ArticleInput & {
  /** Last modification date (YYYY-MM-DD) when the page states one. */
  updated: string | null;
};

export type ExtractResult = { kind: 'article'; article: ExtractedArticle } | { kind: 'skipped'; code: SkipCode; reason: string };

const PAYWALL_PHRASES = [
  /subscribe (?:now )?to (?:continue|keep) reading/,
  /subscribe to (?:read|unlock|continue)/,
  /(?:already|are you) a (?:subscriber|member)\b/,
  /(?:reserved|available) (?:only )?(?:to|for) (?:paying |paid |our )?(?:subscribers|members)/,
  /\bsubscribers? only\b/,
  /to continue reading,? (?:please )?(?:subscribe|sign in|log in|register)/,
  /(?:sign|log) in to (?:continue|read)/,
  /create a free account to (?:continue|read)/,
  /you(?:'ve| have) reached your (?:free )?(?:article|story) limit/,
];
const COOKIE_PHRASES = [
  /\baccept (?:all )?cookies\b/,
  /\bwe (?:and our partners )?use cookies\b/,
  /\bcookie (?:settings|preferences|policy)\b/,
  /\bmanage (?:your )?(?:consent|cookies|choices|privacy)\b/,
  /\bbefore you continue\b/,
  /\b(?:accept|reject) all\b/,
  /\bconsent to (?:the use of )?cookies\b/,
];

/**
 * Main text and metadata of a news page, or the reason it is not one. Pure: no network. Runs
 * Readability over linkedom after stripping scripts, and refuses input that would make either slow.
 */
export function extractArticle(html: string, pageUrl: string): ExtractResult {
  const jsonLd: string[] = [];
  const cleaned = stripRawTextElements(html.slice(0, EXTRACT_LIMITS.maxInputChars), jsonLd);
  const shape = scanMarkup(cleaned);
  if (shape.elements > EXTRACT_LIMITS.maxElements || shape.fragments > EXTRACT_LIMITS.maxTextFragments) {
    return skip('too-large', `page has more than ${EXTRACT_LIMITS.maxElements} elements or ${EXTRACT_LIMITS.maxTextFragments} character references`);
  }
  if (shape.depth > EXTRACT_LIMITS.maxDepth) {
    return skip('too-deep', `markup is nested more than ${EXTRACT_LIMITS.maxDepth} levels deep`);
  }

  const doc = parseDocument(cleaned);
  const meta = readPageMetadata(doc, jsonLd, pageUrl);
  // Read before clean-up removes the banners that carry the wall wording.
  const pageText = normalizeSpace(doc.body?.textContent ?? '').toLowerCase();
  removeBoilerplateElements(doc);

  let content: Element | null = null;
  let readabilityTitle: string | null = null;
  try {
    const parsed = new Readability<Element>(doc, { serializer: (n) => n as Element, disableJSONLD: true }).parse();
    content = parsed?.content ?? null;
    readabilityTitle = parsed?.title?.trim() || null;
  } catch {
    content = null; // Readability gives up on some odd trees; that is "no article", not a bug of ours.
  }

  const title = cleanTitle(meta.title ?? readabilityTitle ?? meta.h1 ?? meta.docTitle, meta.outlet);
  const paragraphs = content ? elementToParagraphs(content) : [];
  if (title && paragraphs[0] && sameText(paragraphs[0], title)) paragraphs.shift();
  const text = paragraphs.join('\n\n');
  const words = countWords(text);

  if (words < EXTRACT_LIMITS.wallMaxWords) {
    if (PAYWALL_PHRASES.some((re) => re.test(pageText))) {
      return skip('paywall', `only ${words} words visible behind subscription wording`);
    }
    if (COOKIE_PHRASES.filter((re) => re.test(pageText)).length >= 2) {
      return skip('cookie-wall', `only ${words} words visible behind a cookie consent page`);
    }
  }
  if (meta.listing || (content && looksLikeListing(content, paragraphs.length, words))) {
    return skip('listing', 'page is an index of links to other articles, not an article');
  }
  const short = tooShortReason(text);
  if (short) return skip('too-short', `extracted ${short}`);

  const fetched = safeCanonical(pageUrl);
  const url = meta.canonical ?? fetched;
  const aliases = fetched && url && fetched !== url ? [fetched] : [];
  return {
    kind: 'article',
    article: {
      url,
      title: title ?? firstWords(paragraphs[0] ?? '', 14),
      text,
      outlet: meta.outlet ?? hostOutlet(url),
      published: meta.published,
      updated: meta.updated,
      author: meta.author,
      aliases,
    },
  };
}

function skip(code: SkipCode, reason: string): ExtractResult {
  return { kind: 'skipped', code, reason };
}
