import { describe, expect, it } from 'vitest';
import { createExtractiveAnswerer, NOT_COVERED, selectSentences } from '../../src/answer/extractive-answerer.ts';
import type { Evidence } from '../../src/answer/read-evidence.ts';
import type { Passage } from '../../src/types.ts';

const article =
  'Lavrov spoke in Astana on Thursday. He said Moscow would not obstruct the appointment of a new US ambassador to Russia. ' +
  'The weather in Astana was cold.';

function passage(over: Partial<Passage> = {}): Passage {
  return {
    chunkId: 1,
    articleId: 10,
    text: article,
    start: 0,
    end: article.length,
    title: 'Russia open to ties',
    url: 'https://example.org/a',
    outlet: 'MENAFN',
    published: '2024-11-07',
    score: 1,
    ...over,
  };
}

const flatIdf = (terms: string[]) => new Map(terms.map((t) => [t, 1]));

describe('extractive answerer', () => {
  it('answers with the best sentence, a marker and a verbatim quote', () => {
    const a = createExtractiveAnswerer({ idf: flatIdf });
    const r = a.answer('What did Lavrov say about a new US ambassador?', [passage()]);
    expect(r.grounded).toBe(true);
    expect(r.answer).toContain('would not obstruct the appointment of a new US ambassador');
    expect(r.answer).toMatch(/\[1\]/);
    expect(r.citations).toHaveLength(1);
    expect(article).toContain(r.citations[0]!.quote);
    expect(r.citations[0]).toMatchObject({ n: 1, source: 'MENAFN', published: '2024-11-07' });
  });

  it('numbers sources by article and cites each article once', () => {
    const other = 'Separately, the US ambassador nominee met senators about Russia policy on Friday.';
    const a = createExtractiveAnswerer({ idf: flatIdf });
    const r = a.answer('new US ambassador Russia', [
      passage(),
      passage({ chunkId: 2, articleId: 11, text: other, end: other.length, title: 'Nominee', url: 'https://example.org/b' }),
    ]);
    expect(r.citations.map((c) => c.n)).toEqual([1, 2]);
    const markers = [...r.answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    for (const n of markers) expect([1, 2]).toContain(n);
  });

  it('says the tracked news does not cover an unrelated question', () => {
    const a = createExtractiveAnswerer({ idf: flatIdf });
    const r = a.answer('Who won the football world cup final?', [passage()]);
    expect(r.grounded).toBe(false);
    expect(r.answer).toBe(NOT_COVERED);
    expect(r.citations).toEqual([]);
  });

  it('weights rare terms: matching only a common word is not evidence', () => {
    const idf = (terms: string[]) => new Map(terms.map((t) => [t, t === 'astana' ? 0.1 : 5]));
    const a = createExtractiveAnswerer({ idf });
    const r = a.answer('Which striker scored in Astana stadium yesterday?', [passage()]);
    expect(r.grounded).toBe(false);
  });

  it('quotes with offsets relative to the article when the passage starts mid-article', () => {
    const prefix = 'Intro paragraph here.\n\n';
    const full = prefix + article;
    const a = createExtractiveAnswerer({ idf: flatIdf });
    const r = a.answer('Lavrov new US ambassador', [passage({ start: prefix.length, end: full.length })]);
    expect(full).toContain(r.citations[0]!.quote);
  });
});

describe('selectSentences: the order after the first sentence', () => {
  const p = passage();
  const sentence = (text: string) =>
    ({
      passage: p,
      rank: 0,
      text,
      start: 0,
      terms: new Set<string>(),
      coverage: 0.6,
      neighbour: 0,
      relevance: 0.6,
      weight: 1,
      phrase: 0,
      restates: false,
    }) as const;
  const lead = sentence('Lead sentence that matches the question best, and says so plainly.'.padEnd(80, '.'));
  const long = sentence('A long and likely sentence '.padEnd(600, 'x'));
  const short1 = sentence('A short, fairly likely sentence '.padEnd(100, 'y'));
  const short2 = sentence('Another short, fairly likely one '.padEnd(100, 'z'));
  const ev = { sentences: [lead, long, short1, short2], direct: undefined } as unknown as Evidence;
  const scores = [3, 2, 1.5, 1.5];
  const base = { selection: 'model', restFloor: 'none', minCoverage: 0.25, maxSentences: 6, maxChars: 700 } as const;

  it('by score, one long likely sentence fills the budget', () => {
    const sel = selectSentences(ev, scores, { ...base, restOrder: 'score', densityChars: 150 })!;
    expect(sel.chosen).toEqual([lead, long]);
  });

  it('by density, two short likely sentences come before one long likelier one', () => {
    const sel = selectSentences(ev, scores, { ...base, restOrder: 'density', densityChars: 150 })!;
    expect(sel.chosen).toEqual([lead, short1, short2]);
  });
});
