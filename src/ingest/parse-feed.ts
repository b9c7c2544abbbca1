import Parser from 'rss-parser';
import { UserError } from '../errors.ts';
import type { ArticleInput } from '../types.ts';
import { canonicalizeUrl } from './canonical-url.ts';
import { toIsoDate } from '../text/dates.ts';
import { countWords, normalizeSpace } from '../text/plain-text.ts';
import { tooShortReason } from '../text/word-count.ts';
import { htmlToText } from './html-text.ts';

export interface FeedItem {
  guid: string | null;
  /** Absolute http(s) link to the article, resolved against the feed URL. */
  url: string | null;
  title: string;
  /** YYYY-MM-DD as written in the feed. */
  published: string | null;
  /** YYYY-MM-DD of the last revision, when the feed says (Atom `updated`, JSON Feed `date_modified`). */
  updated: string | null;
  author: string | null;
  /** The item's body when it looks like the whole article (≥ FULL_ARTICLE_MIN_WORDS), else null. */
  contentHtml: string | null;
  /** Plain-text teaser, at most ~500 characters. */
  summary: string | null;
}

export interface ParsedFeed {
  title: string | null;
  link: string | null;
  items: FeedItem[];
}

/** Below this, a description or summary is a teaser and the article page is fetched instead. */
export const FULL_ARTICLE_MIN_WORDS = 150;
/** More items than any real feed carries; bounds the work a hostile feed can cause. */
const MAX_ITEMS = 500;
const SUMMARY_CHARS = 500;

const FEED_CONTENT_TYPES = /^(?:application\/(?:rss|atom|rdf|feed)\+(?:xml|json)|application\/(?:x-)?rss\+xml|application\/json\+feed)$/;
const JSON_FEED_VERSION = /"version"\s*:\s*"https?:\/\/jsonfeed\.org\/version\//;

/**
 * Whether a response is a feed rather than a web page. The body decides when it is clear, since
 * servers often label feeds `text/html` or `text/xml`; the content type breaks ties.
 */
export function isProbablyFeed(contentType: string | null, body: string): boolean {
  const root = rootTag(body);
  if (root === 'json') return JSON_FEED_VERSION.test(body);
  if (root) return /^(?:rss|feed|[\w-]+:rdf|rdf)$/i.test(root);
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return FEED_CONTENT_TYPES.test(mime);
}

/** Name of the first element (or "json"), skipping BOM, XML declaration, comments and doctype. */
function rootTag(body: string): string | null {
  // A doctype may carry an internal subset (`<!DOCTYPE rss [ <!ENTITY …> ]>`) with `>` inside it:
  // skip the bracketed part too, or a feed with a DTD looks like no markup at all (a "web page").
  const head = body
    .slice(0, 65_536)
    .replace(/^\uFEFF/, '')
    .replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!doctype[^>[]*(?:\[[\s\S]*?\]\s*)?>/gi, '')
    .trimStart()
    .slice(0, 4096);
  if (head.startsWith('{')) return 'json';
  if (/^<!doctype\s+html/i.test(body.trimStart())) return 'html';
  return head.match(/^<([a-zA-Z][\w:.-]*)/)?.[1] ?? null;
}

/**
 * RSS 2.0, RSS 0.9x, RSS 1.0 (RDF), Atom or JSON Feed 1.0/1.1 into one shape. Throws
 * `UserError('malformed-feed')` for anything that is not a readable feed, including HTML pages.
 */
export async function parseFeed(body: string, feedUrl: string): Promise<ParsedFeed> {
  const root = rootTag(body);
  if (root === 'json') return parseJsonFeed(body, feedUrl);
  if (root === null || /^html$/i.test(root)) {
    throw new UserError('malformed-feed', `${feedUrl} returned a web page, not an RSS, Atom or JSON feed.`);
  }
  const isAtom = root.toLowerCase() === 'feed';
  const raw = await parseXml(isAtom ? dropUnparseableAtomDates(body) : body, feedUrl);
  const items = (raw.items ?? []).slice(0, MAX_ITEMS).map((it) => (isAtom ? atomItem(it, feedUrl) : rssItem(it, feedUrl)));
  return { title: plain(raw.title), link: resolveUrl(raw.link, feedUrl), items };
}

type RawItem = Record<string, unknown>;
const parser = new Parser<Record<string, unknown>, RawItem>({ customFields: { item: ['published', 'updated', 'id'] } });

async function parseXml(body: string, feedUrl: string) {
  try {
    return await parser.parseString(body);
  } catch (first) {
    // Sloppy feeds use HTML entities (&nbsp;) or bare ampersands that strict XML rejects; one lenient retry.
    const repaired = repairEntities(body);
    if (repaired !== body) {
      try {
        return await parser.parseString(repaired);
      } catch {
        // Report the original problem below.
      }
    }
    const why = first instanceof Error ? first.message.split('\n')[0] : String(first);
    throw new UserError('malformed-feed', `${feedUrl} is not a readable RSS or Atom feed (${why}).`, { cause: first });
  }
}

const HTML_ENTITIES: Record<string, string> = {
  nbsp: '&#160;',
  mdash: '&#8212;',
  ndash: '&#8211;',
  lsquo: '&#8216;',
  rsquo: '&#8217;',
  ldquo: '&#8220;',
  rdquo: '&#8221;',
  hellip: '&#8230;',
  copy: '&#169;',
  reg: '&#174;',
  trade: '&#8482;',
  eacute: '&#233;',
  euro: '&#8364;',
  pound: '&#163;',
  middot: '&#183;',
  bull: '&#8226;',
  laquo: '&#171;',
  raquo: '&#187;',
};

function repairEntities(body: string): string {
  return body.replace(/&(?!(?:amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});)([a-zA-Z][a-zA-Z0-9]{0,31};)?/g, (_m, named?: string) => {
    if (!named) return '&amp;';
    return HTML_ENTITIES[named.slice(0, -1).toLowerCase()] ?? `&amp;${named}`;
  });
}

/** rss-parser converts Atom dates with `toISOString()`, which throws on garbage and loses the whole feed. */
function dropUnparseableAtomDates(body: string): string {
  return body.replace(/<(published|updated)>([^<]{0,100})<\/\1>/g, (m, _tag, value: string) => (Number.isFinite(Date.parse(value.trim())) ? m : ''));
}

function rssItem(it: RawItem, feedUrl: string): FeedItem {
  const guid = str(it.guid) ?? str(it['rdf:about']);
  const link = str(it.link) ?? (guid && /^https?:\/\//i.test(guid) ? guid : null);
  const description = str(it.content);
  const url = resolveUrl(link, feedUrl);
  const contentHtml = firstFullBody([str(it['content:encoded'])], [description], url !== null);
  return finishItem({
    guid,
    url,
    title: plain(str(it.title)),
    published: date(str(it.pubDate) ?? str(it.date) ?? str(it.published)),
    updated: date(str(it.updated)),
    author: personName(str(it.creator) ?? str(it.author)),
    contentHtml,
    summary: summarize(description ?? str(it['content:encoded'])),
  });
}

function atomItem(it: RawItem, feedUrl: string): FeedItem {
  const content = str(it.content);
  const summary = str(it.summary);
  const url = resolveUrl(str(it.link), feedUrl);
  return finishItem({
    guid: str(it.id),
    url,
    title: plain(str(it.title)),
    published: date(str(it.published) ?? str(it.updated) ?? str(it.pubDate)),
    updated: date(str(it.updated)),
    author: personName(str(it.author)),
    contentHtml: firstFullBody([content], [summary], url !== null),
    summary: summarize(summary ?? content),
  });
}

function parseJsonFeed(body: string, feedUrl: string): ParsedFeed {
  let doc: unknown;
  try {
    doc = JSON.parse(body.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UserError('malformed-feed', `${feedUrl} returned JSON that does not parse.`, { cause: err });
  }
  const feed = doc as Record<string, unknown> | null;
  if (!feed || typeof feed !== 'object' || !JSON_FEED_VERSION.test(`"version":"${str(feed.version) ?? ''}"`) || !Array.isArray(feed.items)) {
    throw new UserError('malformed-feed', `${feedUrl} returned JSON that is not a JSON Feed (no jsonfeed.org version or items).`);
  }
  const feedAuthor = jsonAuthor(feed);
  const items = feed.items
    .slice(0, MAX_ITEMS)
    .filter((x): x is Record<string, unknown> => !!x && typeof x === 'object')
    .map((it) => {
      const html = str(it.content_html);
      const text = str(it.content_text);
      const textAsHtml = text
        ? text
            .split(/\n\s*\n/)
            .map((p) => `<p>${escapeHtml(p)}</p>`)
            .join('')
        : null;
      const url = resolveUrl(str(it.url) ?? str(it.external_url), feedUrl);
      return finishItem({
        guid: str(it.id) ?? (typeof it.id === 'number' ? String(it.id) : null),
        url,
        title: plain(str(it.title)),
        published: date(str(it.date_published) ?? str(it.date_modified)),
        updated: date(str(it.date_modified)),
        author: jsonAuthor(it) ?? feedAuthor,
        contentHtml: firstFullBody([html, textAsHtml], [], url !== null),
        summary: summarize(str(it.summary) ?? html ?? textAsHtml),
      });
    });
  return { title: plain(str(feed.title)), link: resolveUrl(str(feed.home_page_url), feedUrl), items };
}

/** JSON Feed 1.1 `authors` array, or 1.0 `author` object. */
function jsonAuthor(o: Record<string, unknown>): string | null {
  const list = Array.isArray(o.authors) ? o.authors : o.author ? [o.author] : [];
  const names = list.map((a) => (a && typeof a === 'object' ? str((a as Record<string, unknown>).name) : null)).filter((n): n is string => !!n);
  return names.length ? names.join(', ') : null;
}

type ItemDraft = Omit<FeedItem, 'title'> & { title: string | null };

/** An item always has some title: the first words of its summary, else its link. */
function finishItem(d: ItemDraft): FeedItem {
  const fallback = d.summary ? firstWords(d.summary, 12) : (d.url ?? 'Untitled');
  return { ...d, title: d.title ?? fallback };
}

/**
 * An article built straight from a feed item whose body is the whole story, so the page need not be
 * fetched. Null when the item only carries a teaser.
 */
export function feedItemToArticle(item: FeedItem, feedTitle: string | null): ArticleInput | null {
  if (!item.contentHtml) return null;
  const text = htmlToText(item.contentHtml);
  if (tooShortReason(text)) return null;
  const url = item.url ? canonicalizeUrl(item.url) : null;
  return {
    url,
    title: item.title,
    text,
    outlet: feedTitle ?? (url ? new URL(url).hostname : null),
    published: item.published,
    author: item.author,
    externalId: item.guid,
  };
}

/**
 * The item's body when it is the story itself. A content field (`content:encoded`, Atom `content`,
 * JSON Feed `content_html`/`content_text`) is the article when it passes the one article rule, so a
 * short brief is used as it is, without fetching the page. A description or summary is usually a
 * teaser: it counts only when it is long (≥ FULL_ARTICLE_MIN_WORDS), or when there is no link.
 */
function firstFullBody(content: Array<string | null>, teasers: Array<string | null>, hasLink: boolean): string | null {
  // A cheap tag strip is enough to measure; the real conversion happens in feedItemToArticle.
  const plainText = (c: string) => c.replace(/<[^<>]*>/g, ' ');
  for (const c of content) if (c && !tooShortReason(plainText(c))) return c;
  for (const c of teasers) {
    if (!c) continue;
    if (hasLink ? countWords(plainText(c)) >= FULL_ARTICLE_MIN_WORDS : !tooShortReason(plainText(c))) return c;
  }
  return null;
}

function summarize(html: string | null): string | null {
  if (!html) return null;
  const text = normalizeSpace(htmlToText(html.slice(0, 20_000)));
  if (!text) return null;
  if (text.length <= SUMMARY_CHARS) return text;
  const cut = text.lastIndexOf(' ', SUMMARY_CHARS);
  return `${text.slice(0, cut > 0 ? cut : SUMMARY_CHARS)}…`;
}

function plain(s: string | null | undefined): string | null {
  if (!s) return null;
  return normalizeSpace(s.includes('<') || s.includes('&') ? htmlToText(s) : s) || null;
}

/** "newsroom@site.example (Sam Ito)" → "Sam Ito"; a bare address is not a name. */
function personName(raw: string | null): string | null {
  if (!raw) return null;
  const s = normalizeSpace(raw);
  const inParens = s.match(/^\S+@\S+\s*\(([^)]+)\)$/);
  if (inParens) return inParens[1]!.trim();
  if (/^\S+@\S+$/.test(s)) return null;
  return s.replace(/^by\s+/i, '') || null;
}

function resolveUrl(link: string | null | undefined, base: string): string | null {
  if (!link) return null;
  try {
    const u = new URL(link.trim(), base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

function date(raw: string | null): string | null {
  return raw ? toIsoDate(raw) : null;
}

function str(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  // xml2js leaves text with attributes as { _: text, $: attrs }.
  if (v && typeof v === 'object' && typeof (v as { _?: unknown })._ === 'string') return (v as { _: string })._.trim() || null;
  return null;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function firstWords(text: string, n: number): string {
  const words = text.split(' ');
  return words.length <= n ? text : `${words.slice(0, n).join(' ')}…`;
}
