import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { urlToHttpOptions } from 'node:url';
import zlib from 'node:zlib';
import { UserError, isUserError } from '../errors.ts';
import { createAllowlist, forbiddenReason } from './address-guard.ts';

/**
 * The one way Newsdesk reaches the network. Every hop is resolved once, every resolved address is
 * vetted, and the socket is pinned to the vetted addresses, so DNS rebinding has no gap to use.
 */

/** Matches `Config['fetch']`; extra fields (respectRobots) are accepted and ignored. */
export interface FetcherConfig {
  allowlist: string[];
  timeoutMs: number;
  connectTimeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
}

/** 'feed' and 'html' are families of media types; a list may use `type/*`. */
export type Accept = 'feed' | 'html' | 'any' | string[];

export interface FetchOptions {
  /** Extra request headers, e.g. If-None-Match / If-Modified-Since for a conditional GET. */
  headers?: Record<string, string>;
  /** Which Content-Type is acceptable (default 'any'). A response without one is let through. */
  accept?: Accept;
  /** Overrides the configured body limit for this call (counted after decompression). */
  maxBytes?: number;
  signal?: AbortSignal;
}

export interface FetchResult {
  status: number;
  /** The final URL, after redirects. */
  url: string;
  /** Response headers, lower-case names, repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The Content-Type header as sent (charset included), or null. */
  contentType: string | null;
  /** Decompressed body; empty when notModified. */
  body: Buffer;
  /** True on a 304 answer to a conditional request. */
  notModified: boolean;
}

export interface Fetcher {
  fetch(url: string, opts?: FetchOptions): Promise<FetchResult>;
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface FetcherDeps {
  /** Host → addresses; defaults to dns.lookup(all). Tests inject names that resolve to loopback. */
  resolve?: (host: string) => Promise<ResolvedAddress[]>;
  /** Extra trusted CA certificates for https (tests, or a corporate CA). */
  ca?: string | Buffer;
}

/** Carried as the `cause` of a 'fetch-failed' error when the server answered with a bad status. */
class HttpStatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/** The HTTP status behind a 'fetch-failed' error, if the server answered at all. */
export function httpStatusOf(err: unknown): number | undefined {
  return isUserError(err) && err.cause instanceof HttpStatusError ? err.cause.status : undefined;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const FEED_TYPES = new Set([
  ...['application/rss+xml', 'application/x-rss+xml', 'application/atom+xml', 'application/x-atom+xml'],
  ...['application/rdf+xml', 'application/xml', 'text/xml', 'application/feed+json', 'application/json'],
  // Plenty of small sites serve their feed as text/plain; the parser decides.
  'text/plain',
]);
const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);
const ACCEPT_HEADER: Record<'feed' | 'html' | 'any', string> = {
  feed: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1',
  html: 'text/html, application/xhtml+xml;q=0.9, */*;q=0.1',
  any: '*/*',
};
const WANTED = { feed: 'a feed (RSS, Atom, JSON Feed or XML)', html: 'an HTML page', any: 'anything' };
const ALLOWLIST_HINT = 'To allow it on purpose add the host or a CIDR to NEWSDESK_FETCH_ALLOWLIST.';

/** Keeps user-supplied URLs in messages readable (a data: URL can be megabytes). */
const show = (u: string | URL) => {
  const s = String(u);
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
};

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MiB`;
  return n >= 1024 ? `${+(n / 1024).toFixed(1)} KiB` : `${n}-byte`;
}

function parseUrl(raw: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new UserError('bad-input', `"${show(raw)}" is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError('fetch-refused', `Refused to fetch ${show(url)}: only http and https URLs are fetched, not ${url.protocol.slice(0, -1)}.`);
  }
  return url;
}

function mediaType(contentType: string | null): string | null {
  const t = contentType?.split(';')[0]?.trim().toLowerCase();
  return t ? t : null;
}

function isAcceptable(type: string | null, accept: Accept): boolean {
  if (accept === 'any' || type === null) return true;
  if (accept === 'feed') return FEED_TYPES.has(type);
  if (accept === 'html') return HTML_TYPES.has(type);
  return accept.some((a) => {
    const want = a.toLowerCase().trim();
    return want.endsWith('/*') ? type.startsWith(want.slice(0, -1)) : want === type;
  });
}

function flatHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Rejects as soon as `signal` aborts, for work that cannot itself be cancelled (dns.lookup). */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Answers the socket's DNS question with the addresses already vetted, never asking DNS again. */
function pinnedLookup(addresses: ResolvedAddress[]): net.LookupFunction {
  return (_host, options, callback) => {
    const f = options.family;
    const family = f === 4 || f === 'IPv4' ? 4 : f === 6 || f === 'IPv6' ? 6 : 0;
    const matching = addresses.filter((a) => !family || a.family === family);
    const list = matching.length > 0 ? matching : addresses;
    if (options.all) callback(null, list);
    else callback(null, list[0]!.address, list[0]!.family);
  };
}

function decoderFor(encoding: string | undefined, url: URL): Transform | null {
  const e = (encoding ?? '').trim().toLowerCase();
  if (e === '' || e === 'identity') return null;
  if (e === 'gzip' || e === 'x-gzip') return zlib.createGunzip();
  if (e === 'deflate') return zlib.createInflate();
  if (e === 'br') return zlib.createBrotliDecompress();
  throw new UserError('fetch-failed', `${show(url)} used an unsupported Content-Encoding "${e}".`);
}

function byteCounter(limit: number, tooLarge: () => Error): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      done(seen > limit ? tooLarge() : null, chunk);
    },
  });
}

/** One call to fetch(): its abort signal, how to fail it, and the hop being fetched (for messages). */
interface Attempt {
  signal: AbortSignal;
  fail(err: unknown): void;
  url: URL;
}

export function createFetcher(config: FetcherConfig, deps: FetcherDeps = {}): Fetcher {
  const allowlist = createAllowlist(config.allowlist);
  const resolve = deps.resolve ?? ((host: string) => dns.promises.lookup(host, { all: true, verbatim: true }));

  async function vet(url: URL, from: URL | undefined): Promise<ResolvedAddress[]> {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const literal = net.isIP(host);
    let addresses: ResolvedAddress[];
    if (literal) addresses = [{ address: host, family: literal }];
    else {
      try {
        addresses = await resolve(host);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'lookup failed';
        throw new UserError('fetch-failed', `Could not resolve ${host} (${code}).`, { cause: err });
      }
    }
    if (addresses.length === 0) throw new UserError('fetch-failed', `Could not resolve ${host}: no addresses.`);
    for (const { address } of addresses) {
      if (allowlist.allows(host, address)) continue;
      const reason = forbiddenReason(address);
      if (!reason) continue;
      const via = from ? ` (redirected from ${show(from)})` : '';
      const what = literal ? `${address} is ${reason}` : `it resolves to ${address}, ${reason}`;
      throw new UserError('fetch-refused', `Refused to fetch ${show(url)}${via}: ${what}. ${ALLOWLIST_HINT}`);
    }
    return addresses;
  }

  async function request(at: Attempt, headers: Record<string, string>, from: URL | undefined): Promise<http.IncomingMessage> {
    const { url, signal } = at;
    const ms = config.connectTimeoutMs;
    // Covers resolving too: a DNS server that never answers is a connection that never opens.
    const connectTimer = setTimeout(() => at.fail(new UserError('fetch-timeout', `Could not connect to ${url.host} within ${ms} ms.`)), ms);
    try {
      const addresses = await raceAbort(vet(url, from), signal);
      const secure = url.protocol === 'https:';
      return await new Promise<http.IncomingMessage>((resolvePromise, reject) => {
        const req = (secure ? https : http).request({
          ...urlToHttpOptions(url),
          method: 'GET',
          headers,
          // A fresh socket per request: a pooled one would skip the lookup we pin below.
          agent: false,
          lookup: pinnedLookup(addresses),
          signal,
          ...(secure && deps.ca ? { ca: deps.ca } : {}),
        });
        req.once('socket', (socket) => {
          const ready = secure ? 'secureConnect' : 'connect';
          if (socket.connecting || secure) socket.once(ready, () => clearTimeout(connectTimer));
          else clearTimeout(connectTimer);
        });
        req.once('response', (res) => {
          // Late socket errors reach the body pipeline; this only keeps them from being "unhandled".
          res.on('error', () => {});
          resolvePromise(res);
        });
        req.on('error', reject);
        req.end();
      });
    } finally {
      clearTimeout(connectTimer);
    }
  }

  async function readBody(res: http.IncomingMessage, at: Attempt, limit: number): Promise<Buffer> {
    const { url, signal } = at;
    const declared = Number(res.headers['content-length']);
    // Remembered, because pipeline may report the teardown (an AbortError) instead of the cause.
    let overflow: UserError | undefined;
    const message = `${show(url)} is larger than the ${formatBytes(limit)} limit for a fetch.`;
    const tooLarge = () => (overflow ??= new UserError('fetch-too-large', message));
    if (Number.isFinite(declared) && declared > limit) throw tooLarge();
    const decoder = decoderFor(res.headers['content-encoding'], url);
    const chunks: Buffer[] = [];
    let total = 0;
    // Counting as the decoder produces output stops a decompression bomb at the limit, not after it.
    const sink = async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) {
        total += chunk.length;
        if (total > limit) throw tooLarge();
        chunks.push(chunk);
      }
    };
    // Compressed bytes are capped too: a stream of empty deflate blocks would otherwise run forever.
    try {
      if (decoder) await pipeline(res, byteCounter(limit, tooLarge), decoder, sink, { signal });
      else await pipeline(res, sink, { signal });
    } catch (err) {
      throw overflow ?? err;
    }
    return Buffer.concat(chunks, total);
  }

  async function run(at: Attempt, opts: FetchOptions): Promise<FetchResult> {
    const start = at.url;
    const headers: Record<string, string> = {
      'user-agent': config.userAgent,
      accept: Array.isArray(opts.accept) ? opts.accept.join(', ') : ACCEPT_HEADER[opts.accept ?? 'any'],
    };
    for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k.toLowerCase()] = v;
    headers['accept-encoding'] = 'gzip, deflate, br';
    const conditional = 'if-none-match' in headers || 'if-modified-since' in headers;

    let from: URL | undefined;
    for (let redirects = 0; ; redirects++) {
      const url = at.url;
      const res = await request(at, headers, from);
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECTS.has(status) && location) {
        res.destroy();
        if (redirects >= config.maxRedirects) {
          const last = `the last one, from ${show(url)}, pointed to ${show(location)}`;
          throw new UserError('fetch-failed', `Gave up on ${show(start)} after ${redirects} redirects (${last}).`);
        }
        const next = parseUrl(location, url);
        // Credentials meant for one origin must not follow a redirect to another.
        if (next.origin !== url.origin) {
          delete headers.authorization;
          delete headers.cookie;
        }
        from = url;
        at.url = next;
        continue;
      }

      const contentType = res.headers['content-type']?.trim() || null;
      const result = { status, url: url.href, headers: flatHeaders(res.headers), contentType };
      if (status === 304 && conditional) {
        res.destroy();
        return { ...result, body: Buffer.alloc(0), notModified: true };
      }
      if (status < 200 || status > 299) {
        res.destroy();
        const text = res.statusMessage ? ` ${res.statusMessage}` : '';
        throw new UserError('fetch-failed', `${show(url)} answered HTTP ${status}${text}.`, {
          cause: new HttpStatusError(status),
        });
      }
      const accept = opts.accept ?? 'any';
      const type = mediaType(result.contentType);
      if (!isAcceptable(type, accept)) {
        res.destroy();
        const wanted = Array.isArray(accept) ? accept.join(' or ') : WANTED[accept];
        throw new UserError('bad-content-type', `${show(url)} is served as ${type}, not ${wanted}.`);
      }
      const body = await readBody(res, at, opts.maxBytes ?? config.maxBytes);
      return { ...result, body, notModified: false };
    }
  }

  return {
    async fetch(rawUrl, opts = {}) {
      const ctrl = new AbortController();
      const at: Attempt = {
        signal: ctrl.signal,
        fail(reason) {
          if (!ctrl.signal.aborted) ctrl.abort(reason);
        },
        url: parseUrl(rawUrl),
      };
      const ms = config.timeoutMs;
      const timer = setTimeout(() => at.fail(new UserError('fetch-timeout', `Timed out after ${ms} ms fetching ${show(rawUrl)}.`)), ms);
      const onCallerAbort = () => at.fail(opts.signal?.reason);
      if (opts.signal?.aborted) onCallerAbort();
      else opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
      try {
        return await run(at, opts);
      } catch (err) {
        // Whatever broke after an abort (socket reset, AbortError) is a symptom; the reason is the cause.
        if (ctrl.signal.aborted) throw ctrl.signal.reason;
        if (isUserError(err)) throw err;
        const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        throw new UserError('fetch-failed', `Could not fetch ${show(at.url)} (${code}).`, { cause: err });
      } finally {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onCallerAbort);
      }
    },
  };
}
