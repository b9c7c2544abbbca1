import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { sendText, startFixtureServer, type FixtureServer } from '../fakes/http-server.ts';
import type { App } from '../../src/app.ts';
import { HTML, RSS, openCore, renderFixture, serve } from './support.ts';

/** Refusals a tracked source can run into, each with a specific message and nothing stored. */

let server: FixtureServer | undefined;
let core: App | undefined;

afterEach(async () => {
  await core?.close();
  await server?.close();
  core = undefined;
  server = undefined;
});

const LIMIT = 64 * 1024; // 64 KiB

async function addFails(nd: App, url: string): Promise<Error & { code?: string }> {
  const err = await nd.sources.addUrl(url, { guildId: 'g1' }).then(
    () => new Error('expected addUrl to fail'),
    (e: unknown) => e as Error,
  );
  expect(nd.stats()).toMatchObject({ sources: 0, articles: 0, chunks: 0 });
  return err;
}

describe('fetch safety', () => {
  it('refuses a redirect chain that ends at a private address, naming the address and the allowlist', async () => {
    server = await startFixtureServer({
      '/feed.xml': (_req, res) => void res.writeHead(302, { location: '/moved/feed.xml' }).end(),
      '/moved/feed.xml': (_req, res) => void res.writeHead(301, { location: 'http://10.0.0.1/internal/feed.xml' }).end(),
    });
    core = await openCore();
    const err = await addFails(core, `${server.url}/feed.xml`);
    expect(err).toMatchObject({ code: 'fetch-refused' });
    expect(err.message).toContain('http://10.0.0.1/internal/feed.xml');
    expect(err.message).toMatch(/private address/);
    expect(err.message).toMatch(/redirected from .*\/moved\/feed\.xml/);
    expect(err.message).toContain('NEWSDESK_FETCH_ALLOWLIST');
    expect(server.requests.map((r) => r.path)).toEqual(['/feed.xml', '/moved/feed.xml']);
  });

  it('refuses the cloud metadata address and loopback when they are not allowlisted', async () => {
    core = await openCore({ NEWSDESK_FETCH_ALLOWLIST: '' });
    const meta = await addFails(core, 'http://169.254.169.254/latest/meta-data/');
    expect(meta).toMatchObject({ code: 'fetch-refused' });
    expect(meta.message).toMatch(/link-local/);
    const loop = await addFails(core, 'http://[::1]:9/feed.xml');
    expect(loop.message).toMatch(/loopback/);
  });

  it('records a refused redirect on an existing source as a failure with the reason', async () => {
    let hijacked = false;
    server = await startFixtureServer({
      '/feed.xml': (req, res) => {
        if (hijacked) res.writeHead(307, { location: 'http://192.168.1.1/admin' }).end();
        else sendText(res, 200, renderFixture('atom-full-text.xml', req), 'application/atom+xml');
      },
    });
    core = await openCore();
    const { source } = await core.sources.addUrl(`${server.url}/feed.xml`, { guildId: null });
    hijacked = true;
    await expect(core.sources.refresh(source.id)).rejects.toMatchObject({ code: 'fetch-refused' });
    const s = core.sources.get(source.id)!;
    expect(s.lastError).toMatch(/192\.168\.1\.1.*private address/);
    expect(s.consecutiveFailures).toBe(1);
  });

  it('stops reading an oversized body at the limit, even without a Content-Length', async () => {
    server = await startFixtureServer({
      '/huge.xml': (_req, res) => {
        res.writeHead(200, { 'content-type': RSS }); // chunked: the size is only known while reading
        const item = '<item><title>padding</title><description>' + 'x'.repeat(1000) + '</description></item>\n';
        res.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>\n');
        for (let i = 0; i < 200; i++) res.write(item);
        res.end('</channel></rss>');
      },
      '/declared.html': (_req, res) => sendText(res, 200, Buffer.alloc(LIMIT * 2, 'a'), HTML),
    });
    core = await openCore({ NEWSDESK_FETCH_MAX_BYTES: String(LIMIT) });
    const chunked = await addFails(core, `${server.url}/huge.xml`);
    expect(chunked).toMatchObject({ code: 'fetch-too-large' });
    expect(chunked.message).toMatch(/huge\.xml is larger than the 64 KiB limit/);
    const declared = await addFails(core, `${server.url}/declared.html`);
    expect(declared).toMatchObject({ code: 'fetch-too-large' });
  });

  it('stops a gzip bomb at the decompressed limit', async () => {
    // 16 MiB of zeros compress to ~16 KiB: small on the wire, far over the limit once inflated.
    const bomb = zlib.gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(LIMIT);
    server = await startFixtureServer({
      '/bomb.xml': (_req, res) => sendText(res, 200, bomb, RSS, { 'content-encoding': 'gzip' }),
    });
    core = await openCore({ NEWSDESK_FETCH_MAX_BYTES: String(LIMIT) });
    const err = await addFails(core, `${server.url}/bomb.xml`);
    expect(err).toMatchObject({ code: 'fetch-too-large' });
    expect(err.message).toMatch(/bomb\.xml is larger than the 64 KiB limit/);
  });

  it('still reads a normal gzip-compressed article page', async () => {
    server = await startFixtureServer({
      '/news/bridge.html': (req, res) =>
        sendText(res, 200, zlib.gzipSync(renderFixture('article-harbor-bridge.html', req)), HTML, { 'content-encoding': 'gzip' }),
      '/unused': serve('article-solar-farm.html', HTML),
    });
    core = await openCore({ NEWSDESK_FETCH_MAX_BYTES: String(LIMIT) });
    const r = await core.sources.addUrl(`${server.url}/news/bridge.html`, { guildId: null });
    expect(r.source.kind).toBe('page');
    expect(r.report.added).toBe(1);
  });
});
