import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import type { ArticleInput } from '../types.ts';
import { canonicalizeUrl } from './canonical-url.ts';

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
  minWords: 60,
  /** Below this many words, paywall or consent-wall wording on the page means we saw the wall. */
  wallMaxWords: 150,
};

export type SkipCode = 'too-large' | 'too-deep' | 'too-short' | 'listing' | 'paywall' | 'cookie-wall';

export type ExtractedArticle = ArticleInput & {
  /** Last modification date (YYYY-MM-DD) when the page states one. */
  updated: string | null;
};

export type ExtractResult =
  | { kind: 'article'; article: ExtractedArticle }
  | { kind: 'skipped'; code: SkipCode; reason: string };

type Doc = Document;

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
  if (words < EXTRACT_LIMITS.minWords) {
    return skip('too-short', `extracted text has ${words} words (need ${EXTRACT_LIMITS.minWords})`);
  }

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
const OPTIONAL_CLOSE_TAGS = new Set(['p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'option', 'optgroup', 'colgroup', 'caption', 'rb', 'rt', 'rp', 'html', 'head', 'body']);

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
function escapeStrayLessThan(html: string): string {
  return html.replace(/<(?![a-zA-Z/!?][^<>]*>)/g, '&lt;');
}

function parseDocument(raw: string): Doc {
  const html = escapeStrayLessThan(raw);
  const doc = parseHTML(html).document as unknown as Doc;
  // linkedom makes a bare fragment's first element the document element, leaving no <body>.
  if (doc.documentElement?.nodeName === 'HTML') return doc;
  return parseHTML(`<!doctype html><html><head></head><body>${html}</body></html>`).document as unknown as Doc;
}

// ---------------------------------------------------------------------------------------------
// DOM clean-up and text.

const BOILERPLATE_CLASS = /(?:^|[\s_-])(?:cookie|consent|gdpr|share|sharing|social|newsletter|subscribe|paywall|promo|related|recommended|comments?|advert|ad-slot|ad-container|sponsored|breadcrumbs?|outbrain|taboola|most-read)(?:$|[\s_-])/i;

function removeBoilerplateElements(doc: Doc): void {
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

const BLOCK_TAGS = new Set(['ADDRESS', 'ARTICLE', 'BLOCKQUOTE', 'BR', 'DD', 'DETAILS', 'DIV', 'DL', 'DT', 'FIELDSET', 'FIGURE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'OL', 'P', 'PRE', 'SECTION', 'SUMMARY', 'TABLE', 'TD', 'TH', 'TR', 'UL']);
const SKIPPED_TAGS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'IFRAME', 'BUTTON', 'FORM', 'SELECT', 'TEXTAREA', 'FIGCAPTION', 'NAV', 'ASIDE', 'FOOTER', 'OBJECT', 'CANVAS', 'VIDEO', 'AUDIO']);

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
function looksLikeListing(content: Element, paragraphCount: number, words: number): boolean {
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

export function normalizeSpace(s: string): string {
  return s.replace(/[\s\u00a0\u200b\u2028\u2029]+/g, ' ').trim();
}

/** Whitespace-separated tokens that contain a letter or digit (a lone "—" is not a word). */
export function countWords(text: string): number {
  let n = 0;
  for (const token of text.split(/\s+/)) if (/[\p{L}\p{N}]/u.test(token)) n++;
  return n;
}

function sameText(a: string, b: string): boolean {
  const n = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  return n(a) === n(b);
}

function firstWords(text: string, n: number): string {
  const words = text.split(' ');
  return words.length <= n ? text : `${words.slice(0, n).join(' ')}…`;
}

// ---------------------------------------------------------------------------------------------
// Metadata.

interface PageMetadata {
  title: string | null;
  h1: string | null;
  docTitle: string | null;
  outlet: string | null;
  author: string | null;
  published: string | null;
  updated: string | null;
  canonical: string | null;
  listing: boolean;
}

const PUBLISHED_META = ['article:published_time', 'og:published_time', 'datepublished', 'date', 'pubdate', 'publishdate', 'publish-date', 'publication_date', 'dc.date', 'dc.date.issued', 'dcterms.date', 'dcterms.issued', 'dcterms.created', 'sailthru.date', 'parsely-pub-date', 'article.published'];
const UPDATED_META = ['article:modified_time', 'og:updated_time', 'datemodified', 'dcterms.modified', 'last-modified', 'article.updated'];
const ARTICLE_TYPES = /^(?:\w*NewsArticle|Article|ReportageNews|BlogPosting|LiveBlogPosting|Report|TechArticle|ScholarlyArticle|SocialMediaPosting)$/;
const LISTING_TYPES = /^(?:CollectionPage|ItemList|SearchResultsPage)$/;

function readPageMetadata(doc: Doc, jsonLdBlocks: string[], pageUrl: string): PageMetadata {
  const meta = new Map<string, string>();
  for (const el of Array.from(doc.querySelectorAll('meta'))) {
    const key = (el.getAttribute('property') ?? el.getAttribute('name') ?? el.getAttribute('itemprop') ?? el.getAttribute('http-equiv'))?.toLowerCase().trim();
    const value = normalizeSpace(el.getAttribute('content') ?? '');
    if (key && value && !meta.has(key)) meta.set(key, value);
  }
  const ld = readJsonLd(jsonLdBlocks);
  const pick = (keys: string[]) => keys.map((k) => meta.get(k)).find((v) => v) ?? null;
  const timeAttr = (sel: string) => doc.querySelector(sel)?.getAttribute('datetime') ?? doc.querySelector(sel)?.getAttribute('content') ?? null;

  const published = [meta.get('article:published_time'), ld.published, timeAttr('[itemprop="datePublished"]'), timeAttr('time[pubdate]'), timeAttr('article time[datetime]'), timeAttr('time[datetime]'), pick(PUBLISHED_META)]
    .map((v) => (v ? toIsoDate(v) : null))
    .find((v) => v) ?? null;
  const updated = [pick(UPDATED_META), ld.updated, timeAttr('[itemprop="dateModified"]')]
    .map((v) => (v ? toIsoDate(v) : null))
    .find((v) => v) ?? null;

  let canonical: string | null = null;
  for (const link of Array.from(doc.querySelectorAll('link[rel]'))) {
    if ((link.getAttribute('rel') ?? '').toLowerCase().split(/\s+/).includes('canonical')) {
      canonical = trustedCanonical(link.getAttribute('href'), pageUrl);
      if (canonical) break;
    }
  }
  canonical ??= trustedCanonical(meta.get('og:url') ?? null, pageUrl) ?? trustedCanonical(ld.url, pageUrl);

  const authorMeta = [meta.get('author'), meta.get('article:author'), meta.get('dc.creator'), meta.get('parsely-author')].map((a) => cleanAuthor(a ?? null)).find((a) => a);
  const h1 = doc.querySelector('article h1, main h1, h1')?.textContent;
  return {
    title: ld.headline ?? meta.get('og:title') ?? meta.get('twitter:title') ?? null,
    h1: h1 ? normalizeSpace(h1) || null : null,
    docTitle: normalizeSpace(doc.querySelector('title')?.textContent ?? '') || null,
    outlet: meta.get('og:site_name') ?? ld.publisher ?? null,
    author: authorMeta ?? ld.author,
    published,
    updated,
    canonical,
    listing: ld.listing,
  };
}

interface JsonLdFacts {
  headline: string | null;
  published: string | null;
  updated: string | null;
  author: string | null;
  publisher: string | null;
  url: string | null;
  listing: boolean;
}

type LdNode = Record<string, unknown>;

function readJsonLd(blocks: string[]): JsonLdFacts {
  const nodes: LdNode[] = [];
  const queue: Array<{ value: unknown; depth: number }> = [];
  for (const block of blocks) {
    try {
      queue.push({ value: JSON.parse(block) as unknown, depth: 0 });
    } catch {
      // Broken JSON-LD is common; the page's meta tags still apply.
    }
  }
  while (queue.length && nodes.length < 200) {
    const { value, depth } = queue.shift()!;
    if (depth > 4 || !value || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (const v of value.slice(0, 100)) queue.push({ value: v, depth: depth + 1 });
      continue;
    }
    const node = value as LdNode;
    nodes.push(node);
    if (node['@graph']) queue.push({ value: node['@graph'], depth: depth + 1 });
  }
  const byId = new Map<string, LdNode>();
  for (const n of nodes) if (typeof n['@id'] === 'string') byId.set(n['@id'], n);
  const types = (n: LdNode) => [n['@type']].flat().filter((t): t is string => typeof t === 'string');
  const resolve = (v: unknown): unknown => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const id = (v as LdNode)['@id'];
      if (typeof id === 'string' && !('name' in (v as LdNode)) && byId.has(id)) return byId.get(id);
    }
    return v;
  };
  const nameOf = (v: unknown): string | null => {
    const r = resolve(v);
    if (typeof r === 'string') return normalizeSpace(r) || null;
    if (r && typeof r === 'object' && !Array.isArray(r) && typeof (r as LdNode).name === 'string') return normalizeSpace((r as LdNode).name as string) || null;
    return null;
  };
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

  const article = nodes.find((n) => types(n).some((t) => ARTICLE_TYPES.test(t)));
  const listing = !article && nodes.some((n) => types(n).some((t) => LISTING_TYPES.test(t)));
  if (!article) return { headline: null, published: null, updated: null, author: null, publisher: null, url: null, listing };

  const authors = [article.author].flat().slice(0, 10).map(nameOf).map(cleanAuthor).filter((a): a is string => !!a);
  const mainEntity = resolve(article.mainEntityOfPage);
  return {
    headline: str(article.headline) ?? str(article.name),
    published: str(article.datePublished) ?? str(article.dateCreated),
    updated: str(article.dateModified),
    author: authors.length ? [...new Set(authors)].join(', ') : null,
    publisher: nameOf(article.publisher) ?? nameOf(article.sourceOrganization),
    url: str(article.url) ?? str(mainEntity) ?? (mainEntity && typeof mainEntity === 'object' ? str((mainEntity as LdNode)['@id']) : null),
    listing,
  };
}

/**
 * A canonical URL from the page, resolved against where it was fetched. One pointing at another site
 * is ignored: a page must not be able to claim another outlet's identity (and overwrite its article).
 * For local files every http(s) canonical is accepted, since there is no origin to compare.
 */
function trustedCanonical(href: string | null, pageUrl: string): string | null {
  if (!href) return null;
  let resolved: URL;
  let base: URL;
  try {
    base = new URL(pageUrl);
    resolved = new URL(href.trim(), base);
  } catch {
    return null;
  }
  if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') return null;
  if (base.protocol === 'http:' || base.protocol === 'https:') {
    const site = (h: string) => h.replace(/^(?:www\d{0,3}|amp|m)\./, '');
    const a = site(base.hostname);
    const b = site(resolved.hostname);
    if (a !== b && !a.endsWith(`.${b}`) && !b.endsWith(`.${a}`)) return null;
  }
  return canonicalizeUrl(resolved.href);
}

function safeCanonical(pageUrl: string): string | null {
  try {
    const u = new URL(pageUrl);
    return u.protocol === 'http:' || u.protocol === 'https:' ? canonicalizeUrl(u.href) : null;
  } catch {
    return null;
  }
}

function hostOutlet(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.replace(/^www\./, '') || null;
  } catch {
    return null;
  }
}

/** "By Jane Doe, Wire" → "Jane Doe, Wire"; profile URLs and e-mail addresses are not names. */
function cleanAuthor(raw: string | null): string | null {
  if (!raw) return null;
  const a = normalizeSpace(raw).replace(/^by\s+/i, '');
  if (!a || a.length > 120 || /^https?:\/\//i.test(a) || /^[^\s@]+@[^\s@]+$/.test(a)) return null;
  return a;
}

/** Drops an outlet suffix such as " | The Coastal Ledger" or " - Valley Daily Press". */
function cleanTitle(raw: string | null, outlet: string | null): string | null {
  if (!raw) return null;
  let t = normalizeSpace(raw);
  const m = t.match(/^(.{10,}?)\s+[|\-–—:·•]\s+([^|\-–—:·•]{2,60})$/);
  if (m && (!outlet || sameText(m[2]!, outlet) || m[2]!.split(' ').length <= 5)) t = m[1]!;
  return t || null;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * A date as YYYY-MM-DD. The calendar date written in the string wins over its UTC conversion:
 * "2024-11-07T23:30-05:00" was published on the 7th where it was written, so we say the 7th.
 */
export function toIsoDate(raw: string): string | null {
  const s = raw.trim();
  const ymd = (y: number, mo: number, d: number) => {
    if (y < 1900 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31) return null;
    const dt = new Date(Date.UTC(y, mo - 1, d));
    if (dt.getUTCMonth() !== mo - 1) return null;
    return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  };
  let m = s.match(/^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s])/) ?? s.match(/^(\d{4})(\d{2})(\d{2})(?:$|T)/);
  if (m) return ymd(+m[1]!, +m[2]!, +m[3]!);
  m = s.match(/\b(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3})[a-z]*\.?,?\s+(\d{4})\b/i);
  if (m && MONTHS.includes(m[2]!.toLowerCase())) return ymd(+m[3]!, MONTHS.indexOf(m[2]!.toLowerCase()) + 1, +m[1]!);
  m = s.match(/\b([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/i);
  if (m && MONTHS.includes(m[1]!.toLowerCase())) return ymd(+m[3]!, MONTHS.indexOf(m[1]!.toLowerCase()) + 1, +m[2]!);
  const t = Date.parse(s);
  if (!Number.isFinite(t)) return null;
  const d = new Date(t);
  return ymd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}
