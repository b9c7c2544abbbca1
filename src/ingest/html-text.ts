import { parseHTML } from 'linkedom';
import { countWords, normalizeSpace } from '../text/plain-text.ts';
import { EXTRACT_LIMITS, escapeStrayLessThan, scanMarkup, stripRawTextElements, type Doc } from './html-markup.ts';

// ---------------------------------------------------------------------------------------------
// DOM clean-up and text.

const BOILERPLATE_CLASS =
  /(?:^|[\s_-])(?:cookie|consent|gdpr|share|sharing|social|newsletter|subscribe|paywall|promo|related|recommended|comments?|advert|ad-slot|ad-container|sponsored|breadcrumbs?|outbrain|taboola|most-read)(?:$|[\s_-])/i;

export function removeBoilerplateElements(doc: Doc): void {
  const body = doc.body;
  if (!body) return;
  for (const el of Array.from(body.querySelectorAll('nav, footer, aside, form, button, select, [role="navigation"], [role="dialog"], [aria-modal="true"]'))) {
    el.remove();
  }
  for (const el of Array.from(body.querySelectorAll('[class], [id]'))) {
    const label = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
    // The length check keeps a mislabelled wrapper that actually holds the story.
    if (BOILERPLATE_CLASS.test(label) && (el.textContent ?? '').length < 600) el.remove();
  }
}

const BLOCK_TAGS = new Set([
  'ADDRESS',
  'ARTICLE',
  'BLOCKQUOTE',
  'BR',
  'DD',
  'DETAILS',
  'DIV',
  'DL',
  'DT',
  'FIELDSET',
  'FIGURE',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'HR',
  'LI',
  'MAIN',
  'OL',
  'P',
  'PRE',
  'SECTION',
  'SUMMARY',
  'TABLE',
  'TD',
  'TH',
  'TR',
  'UL',
]);
const SKIPPED_TAGS = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'SVG',
  'IFRAME',
  'BUTTON',
  'FORM',
  'SELECT',
  'TEXTAREA',
  'FIGCAPTION',
  'NAV',
  'ASIDE',
  'FOOTER',
  'OBJECT',
  'CANVAS',
  'VIDEO',
  'AUDIO',
]);

/**
 * Block-level text of an element, one entry per paragraph, whitespace collapsed and boilerplate
 * lines dropped. Walks siblings and parents instead of recursing, so depth cannot exhaust the stack.
 */
export function elementToParagraphs(root: Node): string[] {
  const paragraphs: string[] = [];
  let buffer = '';
  const flush = () => {
    const p = normalizeSpace(buffer);
    buffer = '';
    if (p && !isBoilerplateParagraph(p) && paragraphs[paragraphs.length - 1] !== p) paragraphs.push(p);
  };
  let node: Node | null = root.firstChild;
  while (node) {
    const name = node.nodeName.toUpperCase();
    let descend = false;
    if (node.nodeType === 3 || node.nodeType === 4) buffer += node.nodeValue ?? '';
    else if (node.nodeType === 1 && !SKIPPED_TAGS.has(name)) {
      if (BLOCK_TAGS.has(name)) flush();
      descend = node.firstChild !== null;
    }
    if (descend) {
      node = node.firstChild;
      continue;
    }
    // Leave finished nodes, closing every block we climb out of.
    while (node && node !== root) {
      if (node.nodeType === 1 && BLOCK_TAGS.has(node.nodeName.toUpperCase())) flush();
      if (node.nextSibling) {
        node = node.nextSibling;
        break;
      }
      node = node.parentNode;
    }
    if (node === root) break;
  }
  flush();
  return paragraphs;
}

/** Plain-text paragraphs (joined by a blank line) from an HTML fragment such as a feed item's body. */
export function htmlToText(html: string): string {
  const cleaned = stripRawTextElements(html.slice(0, EXTRACT_LIMITS.maxInputChars));
  const shape = scanMarkup(cleaned);
  if (shape.depth > EXTRACT_LIMITS.maxDepth || shape.elements > EXTRACT_LIMITS.maxElements || shape.fragments > EXTRACT_LIMITS.maxTextFragments) {
    return crudeHtmlToText(cleaned);
  }
  const body = escapeStrayLessThan(cleaned);
  const doc = parseHTML(`<!doctype html><html><head></head><body>${body}</body></html>`).document as unknown as Doc;
  return elementToParagraphs(doc.body).join('\n\n');
}

function crudeHtmlToText(html: string): string {
  return html
    .replace(/<\/?(?:p|div|br|li|h[1-6]|blockquote|section|article|tr)\b[^<>]*>/gi, '\n\n')
    .replace(/<[^<>]*>/g, ' ')
    .replace(/&(?:nbsp|#160);/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .split(/\n\s*\n/)
    .map(normalizeSpace)
    .filter((p) => p && !isBoilerplateParagraph(p))
    .join('\n\n');
}

const BOILERPLATE_PARAGRAPHS = [
  /^(?:share|share (?:this|on|via)\b.*|tweet|email|print|copy link|comments?|save|listen)$/i,
  /^(?:advertisement|advert|sponsored(?: content)?|ad)$/i,
  /\b(?:sign up|subscribe)\b.*\bnewsletters?\b/i,
  /^follow (?:us|[\w.]+(?: [\w.]+)?) on\b/i,
  /\b(?:accept|reject|manage)(?: all)? cookies\b|\bwe use cookies\b/i,
  /^(?:read more|related(?: articles| stories)?|see also|recommended|more from|most read|trending)\b:?/i,
  /^the post .+ appeared first on .+$/i,
  /^(?:©|\(c\)|copyright\b|all rights reserved)/i,
  /^(?:photo|image|picture|video)(?: credit)?s?:/i,
];

/** Short lines that are page furniture (share buttons, newsletter pitches, feed footers), not news. */
export function isBoilerplateParagraph(p: string): boolean {
  return p.length < 400 && countWords(p) <= 25 && BOILERPLATE_PARAGRAPHS.some((re) => re.test(p));
}

/** Index pages: most of the extracted text is link text, or it is a run of short linked teasers. */
export function looksLikeListing(content: Element, paragraphCount: number, words: number): boolean {
  const total = normalizeSpace(content.textContent ?? '').length;
  if (total === 0) return false;
  let linkChars = 0;
  const anchors = Array.from(content.querySelectorAll('a'));
  for (const a of anchors) linkChars += normalizeSpace(a.textContent ?? '').length;
  const density = linkChars / total;
  const linkedHeadings = content.querySelectorAll('h2 a, h3 a, h4 a').length;
  const avgWords = paragraphCount ? words / paragraphCount : 0;
  return density > 0.45 || (density > 0.2 && anchors.length >= 8) || (linkedHeadings >= 5 && avgWords < 30);
}

export function sameText(a: string, b: string): boolean {
  const n = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  return n(a) === n(b);
}

export function firstWords(text: string, n: number): string {
  const words = text.split(' ');
  return words.length <= n ? text : `${words.slice(0, n).join(' ')}…`;
}
