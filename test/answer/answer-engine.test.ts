import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import type { ExtractiveOptions } from '../../src/answer/extractive-answerer.ts';
import { openTestCore, tempDir } from '../helpers/test-core.ts';
import { ARTICLES } from '../fixtures/answer/articles.ts';

/** An engine over the invented fixture corpus, with extractive-answerer overrides. */
async function openFixtureApp(extractive: Partial<ExtractiveOptions> = {}): Promise<App> {
  const app = await openTestCore({}, { extractive });
  const file = path.join(tempDir(), 'articles.jsonl');
  fs.writeFileSync(file, ARTICLES.map((a) => JSON.stringify(a)).join('\n'));
  await app.sources.addPath(file);
  return app;
}

describe('the answer engine on a small corpus', () => {
  let app: App;
  beforeAll(async () => {
    app = await openFixtureApp();
  }, 60_000);
  afterAll(async () => {
    await app.close();
  });

  it('opens with the name asked for, verbatim from the cited sentence', async () => {
    const r = await app.ask('Who was elected mayor of Quillmere?', { asOf: '2031-03-16' });
    expect(r.grounded).toBe(true);
    expect(r.direct_answer).toBe('Odalys Brenneman');
    expect(r.answer.startsWith('**Odalys Brenneman** — ')).toBe(true);
    const first = r.citations[0]!;
    expect(first.quote).toContain('Odalys Brenneman');
  });

  it('answers a how-many question with the number, not the restated question', async () => {
    const r = await app.ask('How many senators supported the tidal energy bill?', { asOf: '2031-03-16' });
    expect(r.grounded).toBe(true);
    expect(r.direct_answer).toMatch(/^68\b/);
  });

  it('never quotes video captions or credits', async () => {
    const r = await app.ask('What explained the Quillmere mayor election?', { asOf: '2031-03-16' });
    expect(r.answer).not.toMatch(/Video Ad Feedback|Source: CNN/);
  });

  it.each(['What is the current price of bitcoin?', 'Who won the Super Bowl?', 'Which striker scored the winning goal in the cup final?'])(
    'abstains on "%s", which the tracked news does not cover',
    async (q) => {
      const r = await app.ask(q, { asOf: '2031-03-16' });
      expect(r.grounded).toBe(false);
      expect(r.citations).toEqual([]);
      expect(r.direct_answer).toBeNull();
      expect(r.not_covered_reason).toBe('no-match');
    },
  );

  it('says when the filters exclude everything, and which filters', async () => {
    const r = await app.ask('Who was elected mayor of Quillmere?', { asOf: '2031-03-16', since: '2031-04-01' });
    expect(r.grounded).toBe(false);
    expect(r.not_covered_reason).toBe('filtered-out');
    expect(r.answer).toContain('since 2031-04-01');
  });

  it('numbers each article once and never returns two overlapping passages of one article', async () => {
    const passages = await app.retriever.retrieve('Quillmere mayor Brenneman election', { k: 5, asOf: '2031-03-16' });
    for (const [i, a] of passages.entries()) {
      for (const b of passages.slice(i + 1)) {
        if (a.articleId !== b.articleId) continue;
        expect(a.end < b.start || b.end < a.start).toBe(true);
      }
    }
  });
});

describe('the answer engine on an empty store', () => {
  it('says no sources are tracked yet, and how to add one', async () => {
    const app = await openTestCore();
    try {
      const r = await app.ask('Who was elected mayor of Quillmere?');
      expect(r.grounded).toBe(false);
      expect(r.not_covered_reason).toBe('empty-store');
      expect(r.answer).toMatch(/sources add|newsdesk ingest/);
    } finally {
      await app.close();
    }
  });
});

describe('old evidence', () => {
  it('is flagged as the newest tracked report, not given as the answer', async () => {
    const app = await openFixtureApp({ staleDays: 30, staleDaysRecent: 7 });
    try {
      const r = await app.ask('Who was elected mayor of Quillmere?', { asOf: '2031-09-01' });
      expect(r.grounded).toBe(false);
      expect(r.not_covered_reason).toBe('stale');
      expect(r.answer).toMatch(/newest tracked report on it is from 1[45] March 2031/);
      expect(r.citations).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});

describe('old and weak evidence (the shipped rule)', () => {
  let app: App;
  beforeAll(async () => {
    app = await openFixtureApp();
  }, 60_000);
  afterAll(async () => {
    await app.close();
  });

  it('answers from months-old evidence that matches the question well, citing it', async () => {
    const r = await app.ask('Who was elected mayor of Quillmere?', { asOf: '2031-09-01' });
    expect(r.grounded).toBe(true);
    expect(r.direct_answer).toBe('Odalys Brenneman');
  });

  it('flags months-old evidence that barely matches as the newest tracked report, not as the answer', async () => {
    // The festival matches, the place asked about does not: weak evidence, two years old at the as-of date.
    const r = await app.ask('How many visitors came to the orchard festival in Lake Orvin?', { asOf: '2031-09-01' });
    expect(r.grounded).toBe(false);
    expect(r.not_covered_reason).toBe('stale');
    expect(r.answer).toMatch(/newest tracked report on it is from 1 September 2029/);
    expect(r.citations).toHaveLength(1);
  });

  it('answers the same weak match when it is recent', async () => {
    const r = await app.ask('How many visitors came to the orchard festival in Lake Orvin?', { asOf: '2029-09-03' });
    expect(r.grounded).toBe(true);
  });
});
