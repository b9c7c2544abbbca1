import { canonicalizeUrl } from './canonical-url.ts';
import { toIsoDate } from '../text/dates.ts';
import { normalizeSpace } from '../text/plain-text.ts';
import type { Doc } from './html-markup.ts';
import { sameText } from './html-text.ts';

/** What a news page says about itself in meta tags, JSON-LD and its markup. */
export interface PageMetadata {
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

const PUBLISHED_META = [
  'article:published_time',
  'og:published_time',
  'datepublished',
  'date',
  'pubdate',
  'publishdate',
  'publish-date',
  'publication_date',
  'dc.date',
  'dc.date.issued',
  'dcterms.date',
  'dcterms.issued',
  'dcterms.created',
  'sailthru.date',
  'parsely-pub-date',
  'article.published',
];
const UPDATED_META = ['article:modified_time', 'og:updated_time', 'datemodified', 'dcterms.modified', 'last-modified', 'article.updated'];
const ARTICLE_TYPES = /^(?:\w*NewsArticle|Article|ReportageNews|BlogPosting|LiveBlogPosting|Report|TechArticle|ScholarlyArticle|SocialMediaPosting)$/;
const LISTING_TYPES = /^(?:CollectionPage|ItemList|SearchResultsPage)$/;

export function readPageMetadata(doc: Doc, jsonLdBlocks: string[], pageUrl: string): PageMetadata {
  const meta = new Map<string, string>();
  for (const el of Array.from(doc.querySelectorAll('meta'))) {
    const key = (el.getAttribute('property') ?? el.getAttribute('name') ?? el.getAttribute('itemprop') ?? el.getAttribute('http-equiv'))?.toLowerCase().trim();
    const value = normalizeSpace(el.getAttribute('content') ?? '');
    if (key && value && !meta.has(key)) meta.set(key, value);
  }
  const ld = readJsonLd(jsonLdBlocks);
  const pick = (keys: string[]) => keys.map((k) => meta.get(k)).find((v) => v) ?? null;
  const timeAttr = (sel: string) => doc.querySelector(sel)?.getAttribute('datetime') ?? doc.querySelector(sel)?.getAttribute('content') ?? null;

  const published =
    [
      meta.get('article:published_time'),
      ld.published,
      timeAttr('[itemprop="datePublished"]'),
      timeAttr('time[pubdate]'),
      timeAttr('article time[datetime]'),
      timeAttr('time[datetime]'),
      pick(PUBLISHED_META),
    ]
      .map((v) => (v ? toIsoDate(v) : null))
      .find((v) => v) ?? null;
  const updated = [pick(UPDATED_META), ld.updated, timeAttr('[itemprop="dateModified"]')].map((v) => (v ? toIsoDate(v) : null)).find((v) => v) ?? null;

  let canonical: string | null = null;
  for (const link of Array.from(doc.querySelectorAll('link[rel]'))) {
    if ((link.getAttribute('rel') ?? '').toLowerCase().split(/\s+/).includes('canonical')) {
      canonical = trustedCanonical(link.getAttribute('href'), pageUrl);
      if (canonical) break;
    }
  }
  canonical ??= trustedCanonical(meta.get('og:url') ?? null, pageUrl) ?? trustedCanonical(ld.url, pageUrl);

  const authorMeta = [meta.get('author'), meta.get('article:author'), meta.get('dc.creator'), meta.get('parsely-author')]
    .map((a) => cleanAuthor(a ?? null))
    .find((a) => a);
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

  const authors = [article.author]
    .flat()
    .slice(0, 10)
    .map(nameOf)
    .map(cleanAuthor)
    .filter((a): a is string => !!a);
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

export function safeCanonical(pageUrl: string): string | null {
  try {
    const u = new URL(pageUrl);
    return u.protocol === 'http:' || u.protocol === 'https:' ? canonicalizeUrl(u.href) : null;
  } catch {
    return null;
  }
}

export function hostOutlet(url: string | null): string | null {
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
export function cleanTitle(raw: string | null, outlet: string | null): string | null {
  if (!raw) return null;
  let t = normalizeSpace(raw);
  const m = t.match(/^(.{10,}?)\s+[|\-–—:·•]\s+([^|\-–—:·•]{2,60})$/);
  if (m && (!outlet || sameText(m[2]!, outlet) || m[2]!.split(' ').length <= 5)) t = m[1]!;
  return t || null;
}
