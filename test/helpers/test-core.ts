import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config.ts';
import { openApp, type App, type AppOptions } from '../../src/app.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const SEED_DIR = path.join(REPO_ROOT, 'data/seed');
export const SEED_QUESTION = 'What did Lavrov say about a new US ambassador?';

export function tempDir(prefix = 'newsdesk-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A config over a fresh temporary data dir; loopback is allowed explicitly, as tests need. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NEWSDESK_DATA_DIR: tempDir(),
    NEWSDESK_FETCH_ALLOWLIST: '127.0.0.1',
    NEWSDESK_LOG_LEVEL: 'silent',
    ...env,
  });
}

export async function openTestCore(env: Record<string, string> = {}, opts: AppOptions = {}): Promise<App> {
  return openApp(testConfig(env), opts);
}
