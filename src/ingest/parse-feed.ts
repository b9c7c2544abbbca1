import Parser from 'rss-parser';
import { UserError } from '../errors.ts';
import type { ArticleInput } from '../types.ts';
import { htmlToText, toIsoDate, countWords } from './extract-article.ts';

export interface FeedItem {
  guid: string | null;
  url: string | null;
  title: string;
  published: string | null;
  author: string | null;
  /** Full article HTML when the feed carries it (content:encoded, Atom content, JSON Feed content_html). */
  contentHtml: string | null;
  summary: string | null;
}

export interface ParsedFeed {
  title: string | null;
  link: string | null;
  items: FeedItem[];
}

/** Items with fewer words than this are teasers: the article page is fetched instead. */
export const FULL_TEXT_MIN_WORDS = 150;

const parser = new Parser({
  customFields: { item: [['content:encoded', 'contentEncoded'], ['dc:creator', 'dcCreator']] },
});

const FEED_TYPES = /(rss|atom|feed\+json|\/xml|\+xml|application\/json)/i;

/** Tells a feed from an HTML page by content type, then by the first bytes of the body. */
export function isProbablyFeed(contentType: string | null, body: string): boolean {
  const head = body.slice(0, 2000).trimStart();
  if (contentType && /html/i.test(contentType) && !/^<\?xml/.test(head)) return false;
  if (/^<\?xml|^<(rss|feed|rdf:RDF)\b/i.test(head)) return !/^<!doctype html|^<html/i.test(head);
  if (head.startsWith('{')) return /"version"\s*:\s*"https:\/\/jsonfeed\.org/.test(head);
  return !!contentType && FEED_TYPES.test(contentType) && !/json/i.test(contentType);
}

function resolve(link: string | undefined | null, base: string): string | null {
  if (!link) return null;
  try {
    return new URL(link.trim(), base).toString();
  } catch {
    return null;
  }
}

/** RSS 2.0, RSS 1.0 (RDF), Atom and JSON Feed 1.x. Anything else is a clear `malformed-feed` error. */
export async function parseFeed(body: string, feedUrl: string): Promise<ParsedFeed> {
  const head = body.trimStart();
  if (head.startsWith('{')) return parseJsonFeed(head, feedUrl);
  let feed: Awaited<ReturnType<typeof parser.parseString>>;
  try {
    feed = await parser.parseString(head);
  } catch (err) {
    throw new UserError('malformed-feed', `${feedUrl} is not a readable RSS/Atom feed: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  if (!Array.isArray(feed.items)) throw new UserError('malformed-feed', `${feedUrl} has no feed items.`);
  return {
    title: feed.title?.trim() || null,
    link: resolve(feed.link, feedUrl),
    items: feed.items.map((it) => {
      const item = it as typeof it & { contentEncoded?: string; dcCreator?: string; author?: string; id?: string };
      const content = item.contentEncoded ?? (item.content && /<\w/.test(item.content) ? item.content : null) ?? null;
      return {
        guid: item.guid ?? item.id ?? null,
        url: resolve(item.link, feedUrl),
        title: (item.title ?? '').trim(),
        published: toIsoDate(item.isoDate ?? item.pubDate ?? ''),
        author: item.creator ?? item.dcCreator ?? item.author ?? null,
        contentHtml: content,
        summary: item.contentSnippet ?? item.summary ?? null,
      };
    }),
  };
}

function parseJsonFeed(body: string, feedUrl: string): ParsedFeed {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new UserError('malformed-feed', `${feedUrl} is not valid JSON Feed: ${(err as Error).message}`, { cause: err });
  }
  const f = json as { version?: unknown; title?: unknown; home_page_url?: unknown; items?: unknown; authors?: unknown };
  if (typeof f.version !== 'string' || !f.version.includes('jsonfeed.org') || !Array.isArray(f.items)) {
    throw new UserError('malformed-feed', `${feedUrl} is JSON but not a JSON Feed (no version or items).`);
  }
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  return {
    title: str(f.title),
    link: resolve(str(f.home_page_url), feedUrl),
    items: (f.items as Array<Record<string, unknown>>).map((it) => {
      const authors = Array.isArray(it.authors) ? (it.authors as Array<{ name?: unknown }>) : it.author ? [it.author as { name?: unknown }] : [];
      const html = str(it.content_html) ?? (str(it.content_text) ? `<p>${escapeHtml(str(it.content_text)!).replace(/\n\s*\n/g, '</p><p>')}</p>` : null);
      return {
        guid: str(it.id),
        url: resolve(str(it.url) ?? str(it.external_url), feedUrl),
        title: str(it.title) ?? '',
        published: toIsoDate(str(it.date_published) ?? ''),
        author: authors.map((a) => str(a.name)).filter(Boolean).join(', ') || null,
        contentHtml: html,
        summary: str(it.summary),
      };
    }),
  };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The item as an article when the feed carries its full text; null when it is only a teaser. */
export function feedItemToArticle(item: FeedItem, feedTitle: string | null): ArticleInput | null {
  if (!item.contentHtml) return null;
  const text = htmlToText(item.contentHtml);
  if (countWords(text) < FULL_TEXT_MIN_WORDS) return null;
  return {
    url: item.url,
    title: item.title || text.slice(0, 80),
    text,
    outlet: feedTitle,
    published: item.published,
    author: item.author,
    externalId: item.guid,
  };
}
