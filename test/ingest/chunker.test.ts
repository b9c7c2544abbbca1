import { describe, expect, it } from 'vitest';
import { chunkText } from '../../src/ingest/chunker.ts';
import { splitSentences } from '../../src/text/sentences.ts';

const para = (n: number, word: string) => Array.from({ length: n }, (_, i) => `Sentence ${i} about ${word} has a few more words in it.`).join(' ');

describe('splitSentences', () => {
  it('does not break after initials and common abbreviations', () => {
    const text = 'Gov. Jane Smith met Dr. Lee in Washington, D.C. on Friday. The U.S. Senate voted 51-49. Next came "Why?" she asked.';
    expect(splitSentences(text).map((s) => s.text)).toEqual([
      'Gov. Jane Smith met Dr. Lee in Washington, D.C. on Friday.',
      'The U.S. Senate voted 51-49.',
      'Next came "Why?" she asked.',
    ]);
  });

  it('returns exact spans and breaks at blank lines', () => {
    const text = 'Headline without a stop\n\nThe U.S. envoy spoke. Then he left.';
    const spans = splitSentences(text);
    expect(spans.map((s) => s.text)).toEqual(['Headline without a stop', 'The U.S. envoy spoke.', 'Then he left.']);
    for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.text);
  });
});

describe('chunkText', () => {
  it('keeps every chunk an exact slice of the text', () => {
    const text = [para(12, 'markets'), para(9, 'elections'), para(15, 'weather')].join('\n\n');
    const chunks = chunkText(text);
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) expect(text.slice(c.start, c.end)).toBe(c.text);
  });

  it('respects the size limit and overlaps by one sentence', () => {
    const text = para(60, 'budgets');
    const chunks = chunkText(text, { targetChars: 400, maxChars: 600, overlapSentences: 1 });
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(600);
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.start).toBeLessThan(chunks[i - 1]!.end);
    expect(chunks.at(-1)!.end).toBe(text.length);
  });

  it('splits a single overlong sentence without losing text', () => {
    const text = 'word '.repeat(1000).trim();
    const chunks = chunkText(text, { targetChars: 400, maxChars: 500, overlapSentences: 0 });
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.map((c) => c.text).join(' ')).toBe(text);
  });

  it('returns nothing for empty text', () => {
    expect(chunkText('   ')).toEqual([]);
  });
});
