/**
 * Who may change a stored article. A canonical URL or a feed item's link is a *claim*: good enough to
 * recognise the same story (same text → link the new source to it), never enough to rewrite it. Only
 * text fetched from the article's own URL, or delivered again by the source that stored it, may
 * replace its text, title or outlet (the operator's own files may also correct what only the operator
 * holds) — and a server's source never changes an article that only other
 * servers' (or the operator's) sources hold. Everything else is stored apart.
 *
 * Pure: the pipeline looks the facts up and applies the decision inside its write transaction.
 */

import type { Provenance } from '../types.ts';

export type { Provenance } from '../types.ts';

/** The stored article a claim names, with what decides who may change it. */
export interface StoredIdentity {
  id: number;
  url: string | null;
  /** Where its current text was fetched from (null for articles stored before this was recorded). */
  fetchedFrom: string | null;
  /** The source that first stored it. */
  ownerSourceId: number | null;
  contentHash: string;
  /** Guilds of the sources linking to it (null = a global, operator source). */
  holders: Array<string | null>;
}

export interface IncomingIdentity {
  /** The URL the text claims (canonical or item link), canonicalised. */
  claimedUrl: string;
  provenance: Provenance | null;
  sourceId: number | null;
  /** Guild of the delivering source: null = the operator (global source or no source at all). */
  guildId: string | null;
  contentHash: string;
}

export type IdentityDecision =
  /** The same text: the story is known; only link the new source to it. */
  | { kind: 'same'; articleId: number }
  /** An update the incoming text is entitled to make. */
  | { kind: 'replace'; articleId: number }
  /** Text fetched from the URL itself takes the URL back from an article that only claimed it. */
  | { kind: 'reclaim'; articleId: number }
  /** A claim that may not change the stored article: store the text apart. */
  | { kind: 'apart'; reason: string };

/** Scheme, host and port: `http://a:1` and `http://a:2` are two origins. */
export function originOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

export function sameOrigin(a: string | null | undefined, b: string | null | undefined): boolean {
  const oa = originOf(a);
  return oa !== null && oa === originOf(b);
}

/**
 * True when the stored text came from its URL's own origin: the page itself, the site's own feed or
 * the operator's file. False for a text that claimed a URL on another origin (an aggregator or an
 * attacker's feed item): such a claim does not stop the page from being fetched, and loses the URL
 * to the page's own text.
 */
export function isVerified(stored: Pick<StoredIdentity, 'url' | 'fetchedFrom'>): boolean {
  if (stored.url === null) return false;
  if (stored.fetchedFrom === null || stored.fetchedFrom === stored.url) return true;
  return originOf(stored.fetchedFrom) === null || sameOrigin(stored.fetchedFrom, stored.url);
}

export function decideIdentity(incoming: IncomingIdentity, stored: StoredIdentity): IdentityDecision {
  if (incoming.contentHash === stored.contentHash) return { kind: 'same', articleId: stored.id };
  const from = incoming.provenance?.from ?? null;
  const ownUrl = incoming.provenance?.via === 'page' && from !== null && from === stored.url;
  const redelivered = (from !== null && from === stored.fetchedFrom) || (incoming.sourceId !== null && incoming.sourceId === stored.ownerSourceId);
  // The operator may change anything; a server only what one of its own sources holds (or nobody does).
  const mayTouch = incoming.guildId === null || stored.holders.length === 0 || stored.holders.includes(incoming.guildId);
  // The operator's own files speak for what only the operator's sources hold (a corrected export).
  const operatorFile = incoming.provenance?.via === 'file' && incoming.guildId === null && stored.holders.every((g) => g === null);
  if ((ownUrl || redelivered || operatorFile) && mayTouch) return { kind: 'replace', articleId: stored.id };
  if (ownUrl && !isVerified(stored)) return { kind: 'reclaim', articleId: stored.id };
  if (!mayTouch) return { kind: 'apart', reason: 'the stored article belongs to other sources' };
  return { kind: 'apart', reason: 'the text only claims this URL' };
}
