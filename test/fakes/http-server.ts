import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP server for tests (feeds, pages, robots.txt, redirects, misbehaving servers).
 *
 * ```ts
 * const server = await startFixtureServer({
 *   '/feed.xml': (req, res) => sendText(res, 200, rss, 'application/rss+xml'),
 *   '/moved': (req, res) => { res.writeHead(301, { location: '/feed.xml' }).end(); },
 * });
 * await fetcher.fetch(`${server.url}/feed.xml`);   // remember: allowlist 127.0.0.1 in tests
 * expect(server.requests.map((r) => r.path)).toEqual(['/feed.xml']);
 * await server.close();
 * ```
 *
 * Routes are keyed by path: the full path with its query string is tried first, then the path
 * alone. Unknown paths answer 404; a handler that throws (or rejects) answers 500 if it can.
 * Pass a single function instead of a map to handle every request yourself.
 */
export type FixtureHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

export interface RecordedRequest {
  method: string;
  /** Path with query string, as sent on the request line. */
  path: string;
  headers: http.IncomingHttpHeaders;
}

export interface FixtureServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** Every request received, in order (recorded before the handler runs). */
  requests: RecordedRequest[];
  /** Drops open (including stalled) connections, then stops listening. */
  close(): Promise<void>;
}

export async function startFixtureServer(routes: Record<string, FixtureHandler> | FixtureHandler): Promise<FixtureServer> {
  const requests: RecordedRequest[] = [];
  const pick = (path: string): FixtureHandler | undefined => {
    if (typeof routes === 'function') return routes;
    return routes[path] ?? routes[path.split('?')[0]!];
  };
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
    const handler = pick(path);
    if (!handler) {
      sendText(res, 404, `no route for ${path}`);
      return;
    }
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err: unknown) => {
        if (!res.headersSent) sendText(res, 500, String(err));
        else res.destroy();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Without this, a stalled response or a keep-alive socket keeps close() waiting.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Sends a complete response with a Content-Type (text/plain by default) and Content-Length. */
export function sendText(
  res: http.ServerResponse,
  status: number,
  body: string | Buffer,
  contentType = 'text/plain; charset=utf-8',
  headers: http.OutgoingHttpHeaders = {},
): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'content-type': contentType, 'content-length': buf.length, ...headers });
  res.end(buf);
}
