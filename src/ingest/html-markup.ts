import { parseHTML } from 'linkedom';
import { MIN_ARTICLE_WORDS } from '../text/word-count.ts';

/** Limits that keep hostile or freakish pages to about a second of work at worst (most pages: tens of ms). */
export const EXTRACT_LIMITS = {
  maxInputChars: 3_000_000, // 3 MB: beyond this a page is an archive or an attack, not an article
  // Readability's cost grows roughly with depth³ (500 nested divs took 2 s, 1,000 took 8 s), and
  // linkedom's own parse turns quadratic on deep trees. Real article pages rarely pass 60.
  maxDepth: 120,
  maxElements: 10_000, // after scripts and SVG are stripped; busy real pages have 2–6k
  // Every character reference and stray `<` becomes its own text node in linkedom, and each node
  // costs parse and Readability time (20k of them took over a second); real articles have hundreds.
  maxTextFragments: 10_000,
  // The one article minimum shared with files and feeds (a two-sentence brief is an article).
  minWords: MIN_ARTICLE_WORDS,
  /** Below this many words, paywall or consent-wall wording on the page means we saw the wall. */
  wallMaxWords: 150,
};

export type Doc = Document;

// ---------------------------------------------------------------------------------------------
// Raw-markup guards: cheap, linear passes that run before any DOM exists.

const RAW_TEXT_OPENER = /<!--|<(script|style|noscript|template|svg|math|iframe|object|canvas)\b[^<>]*>/gi;

/**
 * Removes comments and elements whose content is never article text, collecting JSON-LD blocks on
 * the way. Closers are found with one forward search each, so unclosed tags cannot make this
 * quadratic (an unclosed `<script>` swallows the rest of the page, as it does in a browser).
 */
export function stripRawTextElements(html: string, jsonLd: string[] = []): string {
  const out: string[] = [];
  let pos = 0;
  RAW_TEXT_OPENER.lastIndex = 0;
  for (let m = RAW_TEXT_OPENER.exec(html); m; m = RAW_TEXT_OPENER.exec(html)) {
    out.push(html.slice(pos, m.index));
    const bodyStart = m.index + m[0].length;
    let end = html.length;
    if (m[0] === '<!--') {
      const c = html.indexOf('-->', bodyStart);
      if (c !== -1) end = c + 3;
    } else {
      const closer = new RegExp(`</${m[1]}\\s*>`, 'gi');
      closer.lastIndex = bodyStart;
      const c = closer.exec(html);
      if (c) end = c.index + c[0].length;
      const isJsonLd = /application\/ld\+json/i.test(m[0]);
      if (isJsonLd && jsonLd.length < 20) jsonLd.push(html.slice(bodyStart, c ? c.index : html.length));
    }
    pos = end;
    RAW_TEXT_OPENER.lastIndex = end;
  }
  out.push(html.slice(pos));
  return out.join('');
}

const VOID_TAGS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'keygen']);
// Closed implicitly by siblings, so counting them would over-estimate depth on ordinary pages.
const OPTIONAL_CLOSE_TAGS = new Set([
  'p',
  'li',
  'dt',
  'dd',
  'tr',
  'td',
  'th',
  'thead',
  'tbody',
  'tfoot',
  'option',
  'optgroup',
  'colgroup',
  'caption',
  'rb',
  'rt',
  'rp',
  'html',
  'head',
  'body',
]);

/**
 * Approximate element count, nesting depth and text-fragment count (character references plus stray
 * `<`), mimicking how an HTML parser pops its open-element stack. Linear: no DOM is built.
 */
export function scanMarkup(html: string): { elements: number; depth: number; fragments: number } {
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)[^<>]*>/g;
  const stack: string[] = [];
  let elements = 0;
  let depth = 0;
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    const name = m[2]!.toLowerCase();
    if (m[1]) {
      const at = stack.lastIndexOf(name);
      if (at !== -1) stack.length = at;
      continue;
    }
    elements++;
    if (elements > EXTRACT_LIMITS.maxElements) break;
    if (VOID_TAGS.has(name) || OPTIONAL_CLOSE_TAGS.has(name)) continue;
    stack.push(name);
    if (stack.length > depth) depth = stack.length;
    if (depth > EXTRACT_LIMITS.maxDepth) break;
  }
  const references = html.match(/&#?[a-zA-Z0-9]{1,32};?/g)?.length ?? 0;
  const strayLessThan = html.match(/<(?![a-zA-Z/!?][^<>]*>)/g)?.length ?? 0;
  return { elements, depth, fragments: references + strayLessThan };
}

/**
 * Escapes every `<` that does not open a well-formed tag. Same meaning for a browser (a stray `<` is
 * text, and `&lt;` decodes back inside attributes), but linkedom spent 90 s on 3 MB of stray `<` and
 * seconds on `<a<a<a…`, which tokenises as one enormous tag name.
 */
export function escapeStrayLessThan(html: string): string {
  return html.replace(/<(?![a-zA-Z/!?][^<>]*>)/g, '&lt;');
}

export function parseDocument(raw: string): Doc {
  const html = escapeStrayLessThan(raw);
  const doc = parseHTML(html).document as unknown as Doc;
  // linkedom makes a bare fragment's first element the document element, leaving no <body>.
  if (doc.documentElement?.nodeName === 'HTML') return doc;
  return parseHTML(`<!doctype html><html><head></head><body>${html}</body></html>`).document as unknown as Doc;
}
