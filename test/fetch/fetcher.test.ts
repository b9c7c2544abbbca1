import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { isUserError, type ErrorCode } from '../../src/errors.ts';
import { createFetcher, httpStatusOf, type FetcherConfig, type FetcherDeps } from '../../src/fetch/fetcher.ts';
import { sendText, startFixtureServer, type FixtureHandler, type FixtureServer } from '../fakes/http-server.ts';

const MB = 1024 * 1024;
const CONFIG: FetcherConfig = {
  allowlist: ['127.0.0.1'],
  timeoutMs: 2_000,
  connectTimeoutMs: 1_000,
  maxBytes: MB,
  maxRedirects: 3,
  userAgent: 'NewsdeskBot/0.1 (test)',
};
const RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>';

const servers: FixtureServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(routes: Record<string, FixtureHandler> | FixtureHandler): Promise<FixtureServer> {
  const server = await startFixtureServer(routes);
  servers.push(server);
  return server;
}
const fetcherWith = (over: Partial<FetcherConfig> = {}, deps?: FetcherDeps) => createFetcher({ ...CONFIG, ...over }, deps);

async function failure(work: Promise<unknown>, code: ErrorCode): Promise<Error> {
  const err = await work.then(
    () => {
      throw new Error(`expected a ${code} error, got a result`);
    },
    (e: unknown) => e,
  );
  if (!isUserError(err)) throw err;
  expect(err.code).toBe(code);
  return err;
}

describe('fetcher: plain fetches', () => {
  it('fetches a body and sends our User-Agent and Accept-Encoding', async () => {
    const server = await serve({ '/feed.xml': (_req, res) => sendText(res, 200, RSS, 'application/rss+xml; charset=utf-8', { etag: '"v1"' }) });
    const res = await fetcherWith().fetch(`${server.url}/feed.xml`, { accept: 'feed' });
    expect(res).toMatchObject({ status: 200, url: `${server.url}/feed.xml`, notModified: false });
    expect(res.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(res.headers.etag).toBe('"v1"');
    expect(res.body.toString()).toBe(RSS);
    const sent = server.requests[0]!.headers;
    expect(sent['user-agent']).toBe(CONFIG.userAgent);
    expect(sent['accept-encoding']).toBe('gzip, deflate, br');
    expect(sent.accept).toContain('application/rss+xml');
  });

  it('refuses loopback when it is not allowlisted, before connecting', async () => {
    const server = await serve({ '/': (_req, res) => sendText(res, 200, 'hi') });
    const err = await failure(fetcherWith({ allowlist: [] }).fetch(`${server.url}/`), 'fetch-refused');
    expect(err.message).toContain('127.0.0.1 is a loopback address');
    expect(err.message).toContain('NEWSDESK_FETCH_ALLOWLIST');
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    ['gzip', zlib.gzipSync],
    ['deflate', zlib.deflateSync],
    ['br', zlib.brotliCompressSync],
  ] as const)('decodes a %s body', async (encoding, compress) => {
    const text = 'news '.repeat(1000);
    const server = await serve((_req, res) => sendText(res, 200, compress(Buffer.from(text)), 'text/html', { 'content-encoding': encoding }));
    const res = await fetcherWith().fetch(`${server.url}/`, { accept: 'html' });
    expect(res.body.toString()).toBe(text);
  });

  it('turns a 500 into fetch-failed carrying the status', async () => {
    const server = await serve((_req, res) => sendText(res, 500, 'boom'));
    const err = await failure(fetcherWith().fetch(`${server.url}/x`), 'fetch-failed');
    expect(err.message).toContain('HTTP 500');
    expect(httpStatusOf(err)).toBe(500);
  });

  it('reports a connection refused as fetch-failed', async () => {
    const server = await serve(() => {});
    const url = `${server.url}/`;
    await server.close();
    servers.length = 0;
    const err = await failure(fetcherWith().fetch(url), 'fetch-failed');
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('stops when the caller aborts', async () => {
    const server = await serve(() => {}); // never answers
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(new Error('shutting down')), 50);
    await expect(fetcherWith().fetch(`${server.url}/`, { signal: ctrl.signal })).rejects.toThrow('shutting down');
  });
});

describe('fetcher: schemes and redirects', () => {
  it.each(['file:///etc/passwd', 'ftp://example.com/feed.xml', 'gopher://127.0.0.1/'])('refuses %s, naming the scheme', async (url) => {
    const err = await failure(fetcherWith().fetch(url), 'fetch-refused');
    expect(err.message).toContain(`not ${url.split(':')[0]}`);
  });

  it('rejects a malformed URL as bad input', async () => {
    await failure(fetcherWith().fetch('not a url'), 'bad-input');
  });

  it('follows a redirect chain and reports the final URL', async () => {
    const server = await serve({
      '/a': (_req, res) => void res.writeHead(301, { location: '/b' }).end(),
      '/b': (_req, res) => void res.writeHead(302, { location: 'c?x=1' }).end(),
      '/c': (_req, res) => sendText(res, 200, 'done'),
    });
    const res = await fetcherWith().fetch(`${server.url}/a`);
    expect(res.url).toBe(`${server.url}/c?x=1`);
    expect(res.body.toString()).toBe('done');
    expect(server.requests.map((r) => r.path)).toEqual(['/a', '/b', '/c?x=1']);
  });

  it.each([
    ['http://10.0.0.1/admin', '10.0.0.1 is a private address'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address'],
    ['http://[::ffff:a9fe:a9fe]/', 'link-local'],
  ])('refuses a redirect to %s, naming the hop', async (location, reason) => {
    const server = await serve({ '/start': (_req, res) => void res.writeHead(302, { location }).end() });
    const started = Date.now();
    const err = await failure(fetcherWith({ connectTimeoutMs: 5_000 }).fetch(`${server.url}/start`), 'fetch-refused');
    expect(err.message).toContain(reason);
    expect(err.message).toContain(`redirected from ${server.url}/start`);
    expect(Date.now() - started).toBeLessThan(1_000); // refused, not timed out trying
  });

  it('refuses a redirect to a non-http scheme', async () => {
    const server = await serve((_req, res) => void res.writeHead(302, { location: 'file:///etc/passwd' }).end());
    await failure(fetcherWith().fetch(`${server.url}/`), 'fetch-refused');
  });

  it('gives up after maxRedirects', async () => {
    const server = await serve((req, res) => void res.writeHead(307, { location: `/r${(req.url ?? '').length}` }).end());
    const err = await failure(fetcherWith({ maxRedirects: 2 }).fetch(`${server.url}/`), 'fetch-failed');
    expect(err.message).toContain('after 2 redirects');
    expect(server.requests).toHaveLength(3);
  });

  it('drops Authorization and Cookie when a redirect changes origin', async () => {
    const other = await serve((_req, res) => sendText(res, 200, 'there'));
    const server = await serve((_req, res) => void res.writeHead(302, { location: `${other.url}/x` }).end());
    await fetcherWith().fetch(`${server.url}/`, { headers: { Authorization: 'Bearer s3cret', Cookie: 'a=b', 'X-Keep': '1' } });
    expect(server.requests[0]!.headers.authorization).toBe('Bearer s3cret');
    expect(other.requests[0]!.headers.authorization).toBeUndefined();
    expect(other.requests[0]!.headers.cookie).toBeUndefined();
    expect(other.requests[0]!.headers['x-keep']).toBe('1');
  });
});

describe('fetcher: DNS pinning', () => {
  it('connects to the vetted address of an allowlisted name and keeps its Host header', async () => {
    const server = await serve((_req, res) => sendText(res, 200, 'ok'));
    const lookups: string[] = [];
    // A rebinding resolver: a second lookup would answer a private address.
    const resolve = async (host: string) => {
      lookups.push(host);
      return [{ address: lookups.length === 1 ? '127.0.0.1' : '10.0.0.1', family: 4 }];
    };
    const res = await fetcherWith({ allowlist: ['127.0.0.1'] }, { resolve }).fetch(`http://news.test:${server.port}/`);
    expect(res.body.toString()).toBe('ok');
    expect(lookups).toEqual(['news.test']);
    expect(server.requests[0]!.headers.host).toBe(`news.test:${server.port}`);
  });

  it('refuses a name when any of its addresses is forbidden', async () => {
    const resolve = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.5', family: 4 },
    ];
    const err = await failure(fetcherWith({}, { resolve }).fetch('http://mixed.test/'), 'fetch-refused');
    expect(err.message).toBe(
      'Refused to fetch http://mixed.test/: it resolves to 10.0.0.5, a private address. To allow it on purpose add the host or a CIDR to NEWSDESK_FETCH_ALLOWLIST.',
    );
  });

  it('allows a private address when the host name is allowlisted', async () => {
    const server = await serve((_req, res) => sendText(res, 200, 'intranet'));
    const resolve = async () => [{ address: '127.0.0.1', family: 4 }];
    const res = await fetcherWith({ allowlist: ['intranet.test'] }, { resolve }).fetch(`http://intranet.test:${server.port}/`);
    expect(res.body.toString()).toBe('intranet');
  });

  it('reports a name that does not resolve', async () => {
    const resolve = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    const err = await failure(fetcherWith({}, { resolve }).fetch('http://nowhere.test/'), 'fetch-failed');
    expect(err.message).toContain('Could not resolve nowhere.test (ENOTFOUND)');
  });

  it('times out when resolving or connecting takes longer than connectTimeoutMs', async () => {
    const resolve = () => new Promise<never>(() => {});
    const started = Date.now();
    const err = await failure(fetcherWith({ connectTimeoutMs: 150 }, { resolve }).fetch('http://slow-dns.test/'), 'fetch-timeout');
    expect(err.message).toContain('within 150 ms');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('speaks https to the pinned address with the right SNI and certificate name', async () => {
    let servername: string | false | null | undefined;
    const tls = https.createServer({ key: TEST_KEY, cert: TEST_CERT }, (req, res) => {
      servername = (req.socket as TLSSocket).servername;
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`host=${req.headers.host}`);
    });
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
    try {
      const port = (tls.address() as AddressInfo).port;
      const resolve = async () => [{ address: '127.0.0.1', family: 4 }];
      const url = `https://newsdesk.test:${port}/`;
      const res = await fetcherWith({}, { resolve, ca: TEST_CERT }).fetch(url);
      expect(res.body.toString()).toBe(`host=newsdesk.test:${port}`);
      expect(servername).toBe('newsdesk.test');
      // Same server, untrusted certificate: the TLS check is still on.
      await failure(fetcherWith({}, { resolve }).fetch(url), 'fetch-failed');
    } finally {
      tls.closeAllConnections();
      await new Promise((r) => tls.close(r));
    }
  });
});

describe('fetcher: size limits', () => {
  it('refuses early when Content-Length exceeds the limit', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': 2 * MB, 'content-type': 'text/plain' });
      res.write(Buffer.alloc(1024)); // and never the rest: we must not wait for it
    });
    const err = await failure(fetcherWith().fetch(`${server.url}/`), 'fetch-too-large');
    expect(err.message).toContain('larger than the 1 MiB limit');
  });

  it('stops a chunked body without a length at the limit', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < 40; i++) res.write(Buffer.alloc(64 * 1024, 97));
      res.end();
    });
    await failure(fetcherWith().fetch(`${server.url}/`), 'fetch-too-large');
  });

  it('honours a per-call maxBytes', async () => {
    const server = await serve((_req, res) => sendText(res, 200, 'x'.repeat(2000)));
    await failure(fetcherWith().fetch(`${server.url}/`, { maxBytes: 1000 }), 'fetch-too-large');
  });

  it('stops a gzip bomb at the limit on decompressed bytes', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(50 * MB));
    expect(bomb.length).toBeLessThan(MB / 4);
    const server = await serve((_req, res) => sendText(res, 200, bomb, 'application/rss+xml', { 'content-encoding': 'gzip' }));
    await failure(fetcherWith().fetch(`${server.url}/`, { accept: 'feed' }), 'fetch-too-large');
  });

  it('stops an endless gzip stream instead of inflating until the timeout', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
      const gz = zlib.createGzip();
      gz.pipe(res);
      const zeros = Buffer.alloc(256 * 1024);
      let open = true;
      res.once('close', () => {
        open = false;
        gz.destroy();
      });
      const pump = () => {
        while (open && gz.write(zeros));
        if (open) gz.once('drain', pump);
      };
      pump();
    });
    const started = Date.now();
    await failure(fetcherWith({ timeoutMs: 10_000 }).fetch(`${server.url}/`), 'fetch-too-large');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('fetcher: timeouts, content types, conditional GET', () => {
  it('times out a server that stalls mid-body', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
    });
    const started = Date.now();
    const err = await failure(fetcherWith({ timeoutMs: 300 }).fetch(`${server.url}/slow`), 'fetch-timeout');
    expect(err.message).toContain('Timed out after 300 ms');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('times out a server that never sends headers', async () => {
    const server = await serve(() => {});
    await failure(fetcherWith({ timeoutMs: 200 }).fetch(`${server.url}/`), 'fetch-timeout');
  });

  it('refuses a page where a feed was expected, naming the type', async () => {
    const server = await serve((_req, res) => sendText(res, 200, '<html></html>', 'text/html; charset=utf-8'));
    const err = await failure(fetcherWith().fetch(`${server.url}/`, { accept: 'feed' }), 'bad-content-type');
    expect(err.message).toContain('text/html');
  });

  it.each([
    ['application/atom+xml', 'feed'],
    ['text/xml; charset=iso-8859-1', 'feed'],
    ['application/feed+json', 'feed'],
    ['text/plain', 'feed'],
    ['application/xhtml+xml', 'html'],
  ] as const)('accepts %s as a %s', async (type, accept) => {
    const server = await serve((_req, res) => sendText(res, 200, 'x', type));
    await expect(fetcherWith().fetch(`${server.url}/`, { accept })).resolves.toMatchObject({ status: 200 });
  });

  it('matches an explicit list of types, with type/* wildcards', async () => {
    const server = await serve((_req, res) => sendText(res, 200, 'x', 'image/png'));
    await expect(fetcherWith().fetch(`${server.url}/`, { accept: ['image/*'] })).resolves.toMatchObject({ status: 200 });
    await failure(fetcherWith().fetch(`${server.url}/`, { accept: ['application/pdf'] }), 'bad-content-type');
  });

  it('returns notModified on a 304 to If-None-Match', async () => {
    const server = await serve((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') res.writeHead(304, { etag: '"v1"' }).end();
      else sendText(res, 200, RSS, 'application/rss+xml', { etag: '"v1"' });
    });
    const res = await fetcherWith().fetch(`${server.url}/feed`, { accept: 'feed', headers: { 'If-None-Match': '"v1"' } });
    expect(res).toMatchObject({ status: 304, notModified: true });
    expect(res.body.length).toBe(0);
    expect(res.headers.etag).toBe('"v1"');
  });

  it('treats a 304 to an unconditional request as a failure', async () => {
    const server = await serve((_req, res) => void res.writeHead(304).end());
    const err = await failure(fetcherWith().fetch(`${server.url}/`), 'fetch-failed');
    expect(httpStatusOf(err)).toBe(304);
  });
});

// Self-signed for newsdesk.test, valid 2000–2100 (made with `openssl ca -selfsign`).
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg5UDMTAB2GNsBqboT
PSjs74lx3IBl64tlnWkJZIEuKOyhRANCAAQoMmR1md0WyAAnE23T64uCX/+YcDT1
6PUbacHthqDIfNBPqXIUgNAhcDrMd1gMmlv+5ylbJ0Cgil4/0zMG04pa
-----END PRIVATE KEY-----
`;
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBbjCCAROgAwIBAgIBATAKBggqhkjOPQQDAjAYMRYwFAYDVQQDDA1uZXdzZGVz
ay50ZXN0MCAXDTAwMDEwMTAwMDAwMFoYDzIxMDAwMTAxMDAwMDAwWjAYMRYwFAYD
VQQDDA1uZXdzZGVzay50ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEKDJk
dZndFsgAJxNt0+uLgl//mHA09ej1G2nB7YagyHzQT6lyFIDQIXA6zHdYDJpb/ucp
WydAoIpeP9MzBtOKWqNMMEowGAYDVR0RBBEwD4INbmV3c2Rlc2sudGVzdDAPBgNV
HRMBAf8EBTADAQH/MB0GA1UdDgQWBBTj8D7T+LrrqP7yWxR30rF2nHEx/jAKBggq
hkjOPQQDAgNJADBGAiEAmrdSELfS0swwXJTk/w5rYW1eTG0EWntJVULaOT8kr3wC
IQCc3tx8L0Vx7ctmdIQ+vHoJjUnZVPlinnN645C9QZYeew==
-----END CERTIFICATE-----
`;
