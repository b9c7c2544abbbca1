import { UserError } from '../errors.ts';
import type { ArticleInput } from '../types.ts';
import { extractArticle } from './extract-article.ts';
import { feedItemToArticle, isProbablyFeed, parseFeed } from './parse-feed.ts';
import { canonicalizeUrl } from './canonical-url.ts';
import type { Fetcher } from '../fetch/fetcher.ts';
import type { RobotsChecker } from '../fetch/robots.ts';
import { decodeBody } from '../fetch/decode-body.ts';

export type { Fetcher } from '../fetch/fetcher.ts';
export type { RobotsChecker } from '../fetch/robots.ts';

export interface UrlFetchResult {
  kind: 'feed' | 'page';
  title: string | null;
  articles: ArticleInput[];
  skipped: Array<{ title: string; reason: string }>;
  notModified: boolean;
  etag: string | null;
  lastModified: string | null;
  /** Items the feed listed, before skipping known ones. */
  listed: number;
  /** Canonical links of items already stored (their pages were not fetched again): link them to the source. */
  known: string[];
  /** Item pages fetched, and items left for the next poll because the time budget ran out. */
  fetchedPages: number;
  skippedForTime: number;
}

export interface UrlImportDeps {
  fetcher: Fetcher;
  robots?: RobotsChecker;
  /** True when an article fetched from this canonical URL is already stored: its page is not fetched again. */
  isKnownUrl?: (url: string) => boolean;
  maxItems?: number;
  /** Epoch ms after which no more item pages are fetched (the poll's time budget). */
  deadline?: number;
}

/**
 * Fetches a user-given URL, tells a feed from an article page, and returns clean articles.
 * Feed items that carry full text use it; the others are followed to their page (robots.txt
 * permitting). Per-item failures are collected, not thrown.
 */
export async function fetchUrlSource(
  url: string,
  deps: UrlImportDeps,
  conditional: { etag?: string | null; lastModified?: string | null } = {},
): Promise<UrlFetchResult> {
  const headers: Record<string, string> = {};
  if (conditional.etag) headers['If-None-Match'] = conditional.etag;
  if (conditional.lastModified) headers['If-Modified-Since'] = conditional.lastModified;
  const res = await deps.fetcher.fetch(url, {
    headers,
    accept: [
      'application/rss+xml',
      'application/atom+xml',
      'application/feed+json',
      'application/json',
      'application/xml',
      'text/xml',
      'text/html',
      'application/xhtml+xml',
      'text/plain',
    ],
  });
  const etag = res.headers['etag'] ?? null;
  const lastModified = res.headers['last-modified'] ?? null;
  const base = { etag, lastModified, skipped: [] as Array<{ title: string; reason: string }> };
  const none = { known: [] as string[], fetchedPages: 0, skippedForTime: 0 };
  if (res.notModified) return { ...base, ...none, kind: 'feed', title: null, articles: [], notModified: true, listed: 0 };
  const fetchedFrom = canonicalOr(res.url);

  const body = decodeBody(res.body, res.contentType);
  if (!isProbablyFeed(res.contentType, body)) {
    if (deps.robots && !(await deps.robots.isAllowed(res.url))) {
      throw new UserError('robots-disallowed', `${res.url} disallows crawling by our user agent in robots.txt.`);
    }
    const r = extractArticle(body, res.url);
    if (r.kind === 'skipped') {
      throw new UserError('not-an-article', `${res.url} does not look like a news article or feed: ${r.reason}.`);
    }
    const article: ArticleInput = { ...r.article, provenance: { via: 'page', from: fetchedFrom } };
    return { ...base, ...none, kind: 'page', title: r.article.title, articles: [article], notModified: false, listed: 1 };
  }

  const feed = await parseFeed(body, res.url);
  const articles: ArticleInput[] = [];
  const known: string[] = [];
  let fetchedPages = 0;
  let skippedForTime = 0;
  const outOfTime = () => deps.deadline !== undefined && Date.now() >= deps.deadline;
  const items = feed.items.slice(0, deps.maxItems ?? 50);
  for (const item of items) {
    const label = item.title || item.url || '(untitled item)';
    const full = feedItemToArticle(item, feed.title);
    if (full) {
      articles.push({ ...full, provenance: { via: 'feed', from: fetchedFrom } });
      continue;
    }
    if (!item.url) {
      base.skipped.push({ title: label, reason: 'no link and no full text' });
      continue;
    }
    let canonical = item.url;
    try {
      canonical = canonicalizeUrl(item.url);
    } catch {
      /* keep the raw link */
    }
    if (deps.isKnownUrl?.(canonical)) {
      known.push(canonical);
      continue;
    }
    if (outOfTime()) {
      skippedForTime++;
      base.skipped.push({ title: label, reason: TIME_REASON });
      continue;
    }
    try {
      if (deps.robots && !(await deps.robots.isAllowed(item.url))) {
        base.skipped.push({ title: label, reason: 'disallowed by robots.txt' });
        continue;
      }
      // The page fetch may use only what is left of the poll's budget.
      const signal = deps.deadline === undefined ? undefined : AbortSignal.timeout(Math.max(1, deps.deadline - Date.now()));
      const page = await deps.fetcher.fetch(item.url, { accept: 'html', signal });
      fetchedPages++;
      const r = extractArticle(decodeBody(page.body, page.contentType), page.url);
      if (r.kind === 'skipped') {
        base.skipped.push({ title: label, reason: r.reason });
        continue;
      }
      articles.push({
        ...r.article,
        title: r.article.title || item.title,
        published: r.article.published ?? item.published,
        author: r.article.author ?? item.author,
        outlet: r.article.outlet ?? feed.title,
        externalId: item.guid,
        provenance: { via: 'page', from: canonicalOr(page.url) },
      });
    } catch (err) {
      if (outOfTime()) {
        skippedForTime++;
        base.skipped.push({ title: label, reason: TIME_REASON });
      } else base.skipped.push({ title: label, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return { ...base, kind: 'feed', title: feed.title, articles, notModified: false, listed: feed.items.length, known, fetchedPages, skippedForTime };
}

/** The reason recorded for items the time budget left for the next poll. */
export const TIME_REASON = 'left for the next poll: the time budget for this fetch ran out';

function canonicalOr(url: string): string {
  try {
    return canonicalizeUrl(url);
  } catch {
    return url;
  }
}
