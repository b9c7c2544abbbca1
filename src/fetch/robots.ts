import { UserError, isUserError } from '../errors.ts';
import { httpStatusOf, type Fetcher } from './fetcher.ts';

/**
 * robots.txt per RFC 9309: the group for our product token (else `*`), Allow/Disallow with the
 * longest match winning and Allow winning a tie, `*` and `$` wildcards.
 */

export interface RobotsRules {
  /** `pathAndQuery` as in a request line, e.g. `/news/a?id=1`. */
  allows(pathAndQuery: string): boolean;
}

export interface RobotsChecker {
  isAllowed(url: string): Promise<boolean>;
}

export interface RobotsOptions {
  /** How long a fetched robots.txt is trusted (default 1 h). */
  ttlMs?: number;
  /** How long a 5xx/429 ("disallow") or unreachable ("allow") outcome is kept (default 10 min). */
  errorTtlMs?: number;
  now?: () => number;
}

interface Rule {
  allow: boolean;
  length: number;
  re: RegExp;
}

interface CacheEntry {
  expires: number;
  rules: Promise<RobotsRules>;
}

const ALLOW_ALL: RobotsRules = { allows: () => true };
const DISALLOW_ALL: RobotsRules = { allows: (p) => p === '/robots.txt' };
// Google reads the first 500 KiB; a longer file is refused by the fetcher and treated as absent.
const MAX_ROBOTS_BYTES = 512 * 1024;
const MAX_ORIGINS = 1000;

/** "NewsdeskBot/0.1 (+https://…)" → "newsdeskbot". */
export function productTokenOf(userAgent: string): string {
  return (/^[A-Za-z_-]+/.exec(userAgent.trim())?.[0] ?? userAgent).toLowerCase();
}

// Robots paths and URLs may differ only in percent-encoding: compare both in one form.
function normalizePath(p: string): string {
  return p.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c)).replace(/%[0-9a-f]{2}/gi, (h) => h.toUpperCase());
}

function compile(pattern: string, allow: boolean): Rule {
  const p = normalizePath(pattern);
  const anchored = p.endsWith('$');
  const body = (anchored ? p.slice(0, -1) : p)
    .split('*')
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return { allow, length: p.length, re: new RegExp(`^${body}${anchored ? '$' : ''}`) };
}

/** Parses robots.txt and keeps the rules that apply to `productToken` (case-insensitive). */
export function parseRobots(text: string, productToken: string): RobotsRules {
  const token = productToken.toLowerCase();
  const groups: Array<{ agents: string[]; rules: Rule[]; hasRuleLines: boolean }> = [];
  let current: (typeof groups)[number] | null = null;
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'user-agent') {
      // Consecutive user-agent lines share one group; one after a rule starts a new group.
      if (!current || current.hasRuleLines) {
        current = { agents: [], rules: [], hasRuleLines: false };
        groups.push(current);
      }
      current.agents.push(/^[A-Za-z_*-]+/.exec(value)?.[0].toLowerCase() ?? '');
    } else if ((key === 'allow' || key === 'disallow') && current) {
      current.hasRuleLines = true;
      // An empty Disallow allows everything, which is the default anyway.
      if (value !== '') current.rules.push(compile(value, key === 'allow'));
    }
  }
  const ours = groups.filter((g) => g.agents.includes(token));
  const chosen = ours.length > 0 ? ours : groups.filter((g) => g.agents.includes('*'));
  const rules = chosen.flatMap((g) => g.rules);
  if (rules.length === 0) return ALLOW_ALL;
  return {
    allows(pathAndQuery) {
      const path = normalizePath(pathAndQuery);
      if (path === '/robots.txt') return true;
      let best: Rule | undefined;
      for (const r of rules) {
        if (!r.re.test(path)) continue;
        if (!best || r.length > best.length || (r.length === best.length && r.allow)) best = r;
      }
      return best?.allow ?? true;
    },
  };
}

/**
 * Checks URLs against their origin's robots.txt, fetched through the same guarded fetcher and
 * cached per origin. 2xx → its rules; 4xx or unreachable → allow all; 5xx or 429 → disallow all
 * until the error TTL passes (the site is struggling; come back next poll).
 */
export function createRobotsChecker(fetcher: Pick<Fetcher, 'fetch'>, userAgent: string, options: RobotsOptions = {}): RobotsChecker {
  const token = productTokenOf(userAgent);
  const ttlMs = options.ttlMs ?? 60 * 60_000; // 1 h
  const errorTtlMs = options.errorTtlMs ?? 10 * 60_000; // 10 min
  const now = options.now ?? Date.now;
  const cache = new Map<string, CacheEntry>();

  async function load(origin: string): Promise<{ rules: RobotsRules; ttl: number }> {
    try {
      const res = await fetcher.fetch(`${origin}/robots.txt`, { accept: 'any', maxBytes: MAX_ROBOTS_BYTES });
      return { rules: parseRobots(res.body.toString('utf8'), token), ttl: ttlMs };
    } catch (err) {
      // Anything but a UserError is a bug, not an answer about this site.
      if (!isUserError(err)) throw err;
      const status = httpStatusOf(err);
      // Google also reads 429 as "the server is overloaded", not as "there is no robots.txt".
      if (status !== undefined && (status >= 500 || status === 429)) return { rules: DISALLOW_ALL, ttl: errorTtlMs };
      if (status !== undefined) return { rules: ALLOW_ALL, ttl: ttlMs };
      // Unreachable, timed out, refused, too large: behave as if there were no robots.txt, and retry soon.
      return { rules: ALLOW_ALL, ttl: errorTtlMs };
    }
  }

  return {
    async isAllowed(url) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new UserError('bad-input', `"${url}" is not a valid URL.`);
      }
      // Other schemes have no robots.txt; the fetcher refuses them anyway.
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return true;
      const origin = parsed.origin;
      let entry = cache.get(origin);
      if (!entry || entry.expires <= now()) {
        cache.delete(origin);
        if (cache.size >= MAX_ORIGINS) cache.delete(cache.keys().next().value!);
        // The pending promise is cached too, so concurrent checks for one origin share one fetch.
        const fresh: CacheEntry = { expires: Infinity, rules: Promise.resolve(ALLOW_ALL) };
        fresh.rules = load(origin).then(
          ({ rules, ttl }) => {
            fresh.expires = now() + ttl;
            return rules;
          },
          (err: unknown) => {
            if (cache.get(origin) === fresh) cache.delete(origin);
            throw err;
          },
        );
        entry = fresh;
        cache.set(origin, entry);
      }
      const rules = await entry.rules;
      return rules.allows(parsed.pathname + parsed.search);
    },
  };
}
