import { afterEach, describe, expect, it } from 'vitest';
import { createFetcher } from '../../src/fetch/fetcher.ts';
import { createRobotsChecker, parseRobots, productTokenOf } from '../../src/fetch/robots.ts';
import { sendText, startFixtureServer, type FixtureHandler, type FixtureServer } from '../fakes/http-server.ts';

const UA = 'NewsdeskBot/0.1 (+https://github.com/newsdesk/newsdesk)';

describe('parseRobots', () => {
  it('takes the product token from a User-Agent string', () => {
    expect(productTokenOf(UA)).toBe('newsdeskbot');
  });

  it('uses our group (case-insensitive) over the * group', () => {
    const rules = parseRobots('User-agent: *\nDisallow: /\n\nUser-agent: newsdeskbot/2.0\nDisallow: /private\n', 'NewsdeskBot');
    expect(rules.allows('/news/a')).toBe(true);
    expect(rules.allows('/private/a')).toBe(false);
  });

  it('falls back to the * group, and allows everything without one', () => {
    expect(parseRobots('User-agent: OtherBot\nDisallow: /\n\nUser-agent: *\nDisallow: /tmp\n', 'newsdeskbot').allows('/tmp/x')).toBe(false);
    expect(parseRobots('User-agent: OtherBot\nDisallow: /\n', 'newsdeskbot').allows('/anything')).toBe(true);
    expect(parseRobots('', 'newsdeskbot').allows('/anything')).toBe(true);
  });

  it('lets the longest match win, and Allow win a tie', () => {
    const rules = parseRobots('User-agent: *\nDisallow: /news\nAllow: /news/public\nAllow: /page\nDisallow: /page\n', 'x');
    expect(rules.allows('/news/public/story')).toBe(true);
    expect(rules.allows('/news/secret')).toBe(false);
    expect(rules.allows('/newsroom')).toBe(false);
    expect(rules.allows('/page')).toBe(true);
    expect(rules.allows('/other')).toBe(true);
  });

  it('supports * and $ wildcards and matches the query string', () => {
    const rules = parseRobots('User-agent: *\nDisallow: /*.pdf$\nDisallow: /*?session=\nAllow: /archive/*/public\nDisallow: /archive/\n', 'x');
    expect(rules.allows('/files/report.pdf')).toBe(false);
    expect(rules.allows('/files/report.pdf?download=1')).toBe(true);
    expect(rules.allows('/a?session=123')).toBe(false);
    expect(rules.allows('/a?page=2')).toBe(true);
    expect(rules.allows('/archive/2024/public/a')).toBe(true);
    expect(rules.allows('/archive/2024/a')).toBe(false);
  });

  it('shares one group among consecutive User-agent lines, and merges repeated groups', () => {
    const text = 'User-agent: a\nUser-agent: NewsdeskBot\nDisallow: /x\n\nUser-agent: newsdeskbot\nDisallow: /y\n';
    const rules = parseRobots(text, 'newsdeskbot');
    expect(rules.allows('/x')).toBe(false);
    expect(rules.allows('/y')).toBe(false);
  });

  it('does not let an empty Disallow swallow the next group', () => {
    const rules = parseRobots('User-agent: NewsdeskBot\nDisallow:\n\nUser-agent: *\nDisallow: /\n', 'newsdeskbot');
    expect(rules.allows('/anything')).toBe(true);
  });

  it('ignores comments, a BOM, CRLF line ends, other fields and rules before any group', () => {
    const text = '\uFEFFDisallow: /orphan\r\n# hello\r\nUser-agent: * # everyone\r\nCrawl-delay: 5\r\nDisallow: /private # no\r\nSitemap: https://x/s.xml\r\n';
    const rules = parseRobots(text, 'newsdeskbot');
    expect(rules.allows('/orphan')).toBe(true);
    expect(rules.allows('/private/a')).toBe(false);
  });

  it('compares paths in one percent-encoding', () => {
    const rules = parseRobots('User-agent: *\nDisallow: /café\nDisallow: /a%2fb\n', 'x');
    expect(rules.allows(new URL('https://x/café/menu').pathname)).toBe(false);
    expect(rules.allows('/a%2Fb')).toBe(false);
  });

  it('always allows /robots.txt itself', () => {
    expect(parseRobots('User-agent: *\nDisallow: /\n', 'x').allows('/robots.txt')).toBe(true);
  });
});

describe('createRobotsChecker', () => {
  const servers: FixtureServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  async function serve(handler: FixtureHandler) {
    const server = await startFixtureServer({ '/robots.txt': handler });
    servers.push(server);
    return server;
  }
  const fetcher = createFetcher({
    allowlist: ['127.0.0.1'],
    timeoutMs: 1_000,
    connectTimeoutMs: 500,
    maxBytes: 1024 * 1024,
    maxRedirects: 3,
    userAgent: UA,
  });
  const clock = () => {
    let t = 0;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  it('fetches robots.txt once per origin with our User-Agent and applies it', async () => {
    const server = await serve((_req, res) => sendText(res, 200, 'User-agent: NewsdeskBot\nDisallow: /private\n'));
    const robots = createRobotsChecker(fetcher, UA);
    const [a, b] = await Promise.all([robots.isAllowed(`${server.url}/news/1`), robots.isAllowed(`${server.url}/private/2`)]);
    expect([a, b]).toEqual([true, false]);
    expect(await robots.isAllowed(`${server.url}/news/3?x=1`)).toBe(true);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers['user-agent']).toBe(UA);
  });

  it('fetches again after an hour', async () => {
    const server = await serve((_req, res) => sendText(res, 200, 'User-agent: *\nDisallow: /x\n'));
    const c = clock();
    const robots = createRobotsChecker(fetcher, UA, { now: c.now });
    await robots.isAllowed(`${server.url}/a`);
    c.advance(59 * 60_000);
    await robots.isAllowed(`${server.url}/a`);
    expect(server.requests).toHaveLength(1);
    c.advance(2 * 60_000);
    await robots.isAllowed(`${server.url}/a`);
    expect(server.requests).toHaveLength(2);
  });

  it.each([404, 401, 403, 410])('allows everything when robots.txt answers %i', async (status) => {
    const server = await serve((_req, res) => sendText(res, status, 'nope'));
    expect(await createRobotsChecker(fetcher, UA).isAllowed(`${server.url}/private`)).toBe(true);
  });

  it.each([500, 503, 429])('disallows everything on %i until the error TTL passes', async (status) => {
    let answer = status;
    const server = await serve((_req, res) => sendText(res, answer, answer === 200 ? 'User-agent: *\nDisallow:\n' : 'busy'));
    const c = clock();
    const robots = createRobotsChecker(fetcher, UA, { now: c.now, errorTtlMs: 60_000 });
    expect(await robots.isAllowed(`${server.url}/news`)).toBe(false);
    answer = 200;
    expect(await robots.isAllowed(`${server.url}/news`)).toBe(false);
    c.advance(61_000);
    expect(await robots.isAllowed(`${server.url}/news`)).toBe(true);
  });

  it('allows everything when the site is unreachable', async () => {
    const server = await serve(() => {});
    const url = server.url;
    await servers.pop()!.close();
    expect(await createRobotsChecker(fetcher, UA).isAllowed(`${url}/news`)).toBe(true);
  });

  it('follows a redirected robots.txt', async () => {
    const target = await startFixtureServer({ '/real-robots.txt': (_req, res) => sendText(res, 200, 'User-agent: *\nDisallow: /\n') });
    servers.push(target);
    const server = await serve((_req, res) => void res.writeHead(301, { location: `${target.url}/real-robots.txt` }).end());
    expect(await createRobotsChecker(fetcher, UA).isAllowed(`${server.url}/news`)).toBe(false);
  });
});
