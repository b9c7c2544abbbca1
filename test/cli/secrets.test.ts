import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sendText, startFixtureServer, type FixtureServer } from '../fakes/http-server.ts';
import { REPO_ROOT, tempDir } from '../helpers/test-core.ts';
import { openCore } from '../sources/support.ts';

/** Secrets never reach any output: not the JSON log, not the plain `newsdesk: …` line, not messages. */

const BIN = path.join(REPO_ROOT, 'bin/newsdesk.js');
const TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAw.GsEcrT.leaked-if-you-can-read-this-xyz';

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NEWSDESK_LOG_LEVEL: 'debug', ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  child.stdin.end();
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

describe('secrets in output', () => {
  it('redacts the Discord token that a REST endpoint echoes back, in the JSON log and the plain newsdesk: line', async () => {
    // A misbehaving proxy that answers every request with the Authorization header it received.
    server = await startFixtureServer((req, res) =>
      sendText(res, 400, JSON.stringify({ message: `Bad request (you sent ${req.headers.authorization})`, code: 0 }), 'application/json'),
    );
    const env = { NEWSDESK_DATA_DIR: tempDir(), DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: '1000', DISCORD_API_URL: `${server.url}/api`, NEWSDESK_SEED: 'false' };
    for (const command of ['deploy-commands', 'start']) {
      const r = await run([command], env);
      expect(r.code, command).not.toBe(0);
      expect(r.err, command).toMatch(/newsdesk: .*you sent Bot \[redacted\]/);
      expect(r.err + r.out, command).not.toContain(TOKEN);
      expect(r.err + r.out, command).not.toContain('leaked-if-you-can-read-this');
    }
    expect(server.requests.some((q) => q.headers.authorization?.includes(TOKEN))).toBe(true); // it was echoed
  }, 60_000);

  it("never repeats a URL's user:password in a message", async () => {
    server = await startFixtureServer({});
    const core = await openCore();
    try {
      const url = `http://editor:hunter2-secret@127.0.0.1:${server.port}/missing.html`;
      const err = await core.sources.addUrl(url, { guildId: 'g1' }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toContain(`127.0.0.1:${server.port}/missing.html`);
      expect((err as Error).message).not.toContain('hunter2-secret');
    } finally {
      await core.close();
    }
  });
});
