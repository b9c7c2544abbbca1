import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendText, startFixtureServer, type FixtureServer } from '../fakes/http-server.ts';
import { SEED_QUESTION, tempDir } from '../helpers/test-core.ts';
import { runCliAsync, spawnCli } from '../helpers/run-cli.ts';
import { harbourFeed } from '../discord/bot-harness.ts';

let server: FixtureServer;
let items = 3;
/** The harbour feed with only its first `items` items. */
const feedBody = () => {
  const full = harbourFeed(server.url);
  const parts = full.split('<item>');
  return [parts[0], ...parts.slice(1, items + 1)].join('<item>').replace(/(<\/item>)(?![\s\S]*<\/item>)[\s\S]*$/, '$1\n</channel>\n</rss>');
};

beforeAll(async () => {
  server = await startFixtureServer({ '/feed.xml': (_q, res) => sendText(res, 200, feedBody(), 'application/rss+xml') });
});
afterAll(() => server?.close());

// A poll interval of 0.001 min (60 ms): the source is due again by the time the next command runs.
const env = { NEWSDESK_FETCH_ALLOWLIST: '127.0.0.1', NEWSDESK_RESPECT_ROBOTS: 'false', NEWSDESK_POLL_INTERVAL_MIN: '0.001' };

describe('console chat', () => {
  it('understands help and quit, and asks a short follow-up with the previous question', async () => {
    const dataDir = tempDir();
    const input = `help\n${SEED_QUESTION}\nand what did he say about the elections?\nquit\nWhat is never asked?\n`;
    const r = await runCliAsync(['start'], { dataDir, input });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Type a question about the tracked news/);
    expect(r.out).toMatch(/quit, exit {2}leave/);
    const answers = r.out.split('\n\n').filter((b) => /Sources:/.test(b) || /doesn't cover|not cover/i.test(b));
    expect(answers.length).toBeGreaterThanOrEqual(2);
    // The follow-up kept its context: it is answered from the same article.
    expect(r.out.match(/\[1\] Russia expresses openness/g)?.length).toBe(2);
    expect(r.out).not.toMatch(/never asked/);
  });
});

describe('polling without Discord', () => {
  it('newsdesk poll --once polls the tracked feeds and says what it found', async () => {
    const dataDir = tempDir();
    items = 3;
    const add = await runCliAsync(['sources', 'add', `${server.url}/feed.xml`], { dataDir, env });
    expect(add.code, add.err).toBe(0);
    expect(add.out).toMatch(/3 new articles/);
    items = 5;
    const poll = await runCliAsync(['poll', '--once'], { dataDir, env });
    expect(poll.code, poll.err).toBe(0);
    expect(poll.out).toMatch(/^Polled 1 source of 1 tracked in .*: .* 0 failed\./);
    expect(poll.err).toMatch(/"msg":"poll"/);
    // The harbour items are near-copies of each other, so some are stored as alternates; all are stored.
    expect(JSON.parse((await runCliAsync(['stats', '--json'], { dataDir })).out).articles).toBe(5);
  });

  it('console mode polls tracked feeds in the background', async () => {
    const dataDir = tempDir();
    items = 2;
    expect((await runCliAsync(['sources', 'add', `${server.url}/feed.xml`], { dataDir, env })).code).toBe(0);
    items = 6;
    const chat = spawnCli(['start'], { dataDir, env });
    // Wait until the background poll has stored the new items, then leave the chat.
    for (let i = 0; i < 200; i++) {
      const stats = JSON.parse((await runCliAsync(['stats', '--json'], { dataDir })).out);
      if (stats.articles >= 6) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const done = await chat.stop();
    expect(done.err).toMatch(/polling 1 tracked source in the background/);
    expect(JSON.parse((await runCliAsync(['stats', '--json'], { dataDir })).out).articles).toBe(6);
  });
});
