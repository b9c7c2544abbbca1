import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type http from 'node:http';
import { afterAll } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import { openApp, type App, type AppOptions } from '../../src/app.ts';
import { sendText, type FixtureHandler } from '../fakes/http-server.ts';

export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/sources');
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

export const RSS = 'application/rss+xml; charset=utf-8';
export const ATOM = 'application/atom+xml; charset=utf-8';
export const JSON_FEED = 'application/feed+json; charset=utf-8';
export const HTML = 'text/html; charset=utf-8';

const created: string[] = [];
// Registered while the importing test file is collected, so it runs after that file's tests
// (and after its own afterEach/afterAll hooks have closed the cores).
afterAll(() => {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'newsdesk-sources-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A config over a fresh data dir: loopback allowed explicitly, robots off unless a test turns it on. */
export function sourcesConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NEWSDESK_DATA_DIR: tempDir(),
    NEWSDESK_FETCH_ALLOWLIST: '127.0.0.1',
    NEWSDESK_RESPECT_ROBOTS: 'false',
    NEWSDESK_LOG_LEVEL: 'silent',
    NEWSDESK_LOCAL_DIM: '128',
    ...env,
  });
}

export async function openCore(env: Record<string, string> = {}, opts: AppOptions = {}): Promise<App> {
  return openApp(sourcesConfig(env), opts);
}

/** The base URL a request was made to, e.g. `http://a.test:41234` (named hosts keep their name). */
export function baseOf(req: http.IncomingMessage): string {
  return `http://${req.headers.host}`;
}

/** A fixture with `{{BASE}}` (scheme + host + port) and `{{URL}}` (the page's own URL, no query) filled in. */
export function renderFixture(name: string, req: http.IncomingMessage): string {
  const base = baseOf(req);
  const own = base + (req.url ?? '/').split('?')[0];
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8').replaceAll('{{BASE}}', base).replaceAll('{{URL}}', own);
}

/** A route that serves a fixture file with a content type (and optional extra headers). */
export function serve(name: string, contentType: string, headers: http.OutgoingHttpHeaders = {}): FixtureHandler {
  return (req, res) => sendText(res, 200, renderFixture(name, req), contentType, headers);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function waitFor(check: () => boolean, timeoutMs = 10_000, stepMs = 10): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting for a condition');
    await sleep(stepMs);
  }
}

/** Passages' text for a question, for "is this answerable" checks. */
export async function passagesFor(core: App, question: string, k = 5): Promise<string[]> {
  const ps = await core.retriever.retrieve(question, { k });
  return ps.map((p) => p.text);
}
