import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../src/app.ts';
import { sourcesConfig, tempDir } from '../sources/support.ts';
import { dropTemplate, freshStore, STORE_ADAPTERS, type StoreTarget } from '../helpers/store-adapters.ts';

/**
 * A long-running app (the bot calls warmUp, as here) applies what another writer on the same data dir
 * commits — new articles for /ask and /latest, and removals — without a restart. The other writer
 * is a second App with its own connection and change-log name, as a CLI process would be.
 */

const apps: App[] = [];
const stores: StoreTarget[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
  for (const t of stores.splice(0)) await t.cleanup();
});
afterAll(() => dropTemplate());

const MARKER = 'The Zorvath lighthouse keeper Ilsa Marrow retired on Tuesday after forty years on the rock.';
const filler = Array.from(
  { length: 8 },
  (_, i) => `The Zorvath harbour board met for session ${i} and discussed the lighthouse, the tides and the ferry timetable.`,
).join(' ');

describe.each(STORE_ADAPTERS)('following other writers on $name', ({ name, available }) => {
  it.skipIf(!available)('answers from, lists and forgets what another writer adds and removes', async () => {
    const target = await freshStore(name);
    stores.push(target);
    // On PostgreSQL both apps share the database; each keeps its index cache in the data dir, as on SQLite.
    const config = { ...sourcesConfig(), databaseUrl: target.databaseUrl };
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
