import { describe, expect, it } from 'vitest';
import { createExtractiveAnswerer, NOT_COVERED } from '../../src/answer/extractive-answerer.ts';
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
