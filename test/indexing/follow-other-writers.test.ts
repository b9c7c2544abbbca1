import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../src/app.ts';
import { sourcesConfig, tempDir } from '../sources/support.ts';

/**
 * A long-running app (the bot calls warmUp, as here) applies what another writer on the same data dir
 * commits — new articles for /ask and /latest, and removals — without a restart. The other writer
 * is a second App with its own connection and change-log name, as a CLI process would be.
 */

const apps: App[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

const MARKER = 'The Zorvath lighthouse keeper Ilsa Marrow retired on Tuesday after forty years on the rock.';
const filler = Array.from(
  { length: 8 },
  (_, i) => `The Zorvath harbour board met for session ${i} and discussed the lighthouse, the tides and the ferry timetable.`,
).join(' ');

describe('following other writers', () => {
  it('answers from, lists and forgets what another writer adds and removes', async () => {
    const config = sourcesConfig();
    const bot = await openApp(config, { followIntervalMs: 100 });
    apps.push(bot);
    bot.warmUp();
    const question = 'Who was the Zorvath lighthouse keeper?';
    expect((await bot.ask(question)).answer).not.toContain('Ilsa Marrow');

    const cli = await openApp(config);
    apps.push(cli);
    const file = path.join(tempDir(), 'zorvath.jsonl');
    fs.writeFileSync(
      file,
      JSON.stringify({
        url: 'https://zorvath.example/keeper',
        title: 'Zorvath keeper retires',
        text: `${MARKER}\n\n${filler}`,
        published: '2024-05-01',
        source: 'Zorvath Post',
      }) + '\n',
    );
    const [added] = await cli.sources.addPath(file);
    expect(added!.report.added).toBe(1);

    await expect.poll(async () => (await bot.ask(question)).answer, { timeout: 10_000, interval: 100 }).toContain('Ilsa Marrow');
    expect(bot.latest({ kind: 'guild', guildId: 'g1' }).map((a) => a.title)).toContain('Zorvath keeper retires');
    expect(bot.stats().index.vectors).toBe(cli.stats().chunks);

    await cli.sources.remove(added!.source.id);
    await expect.poll(async () => (await bot.ask(question)).answer, { timeout: 10_000, interval: 100 }).not.toContain('Ilsa Marrow');
    // Passages are read from the store, so answers drop it at once; the in-memory index follows.
    await expect.poll(() => bot.stats().index.vectors, { timeout: 10_000, interval: 100 }).toBe(0);
  });
});
