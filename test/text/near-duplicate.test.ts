import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/ingest/extract-article.ts';
import { NEAR_DUPLICATE_MAX_DISTANCE, contentHash, hammingDistance, isNearDuplicate, simhash64 } from '../../src/text/near-duplicate.ts';

function pageText(name: string): string {
  const html = readFileSync(new URL(`../fixtures/pages/${name}.html`, import.meta.url), 'utf8');
  const r = extractArticle(html, `https://news.example/${name}`);
  if (r.kind !== 'article') throw new Error(`${name} was skipped: ${r.reason}`);
  return r.article.text;
}

const original = pageText('article');
const updated = pageText('article-updated');
const syndicated = pageText('syndicated-copy');
const otherStory = pageText('same-topic-other-story');

describe('contentHash', () => {
  it('ignores case, spacing and punctuation so a markup-only re-ingest is recognised', () => {
    expect(contentHash('Hello,   World!\n\nIt is “done”.')).toBe(contentHash('hello world it is done'));
    expect(contentHash(original)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when a word changes', () => {
    expect(contentHash('the vote was 7 to 2')).not.toBe(contentHash('the vote was 6 to 3'));
  });
});

describe('simhash64', () => {
  it('is a stable unsigned 64-bit value', () => {
    const h = simhash64(original);
    expect(h).toBe(simhash64(original));
    expect(h >= 0n && h < 1n << 64n).toBe(true);
    expect(simhash64('')).toBe(0n);
    expect(simhash64('Two words')).toBe(simhash64('two words!'));
  });
});

describe('hammingDistance', () => {
  it('counts differing bits, treating signed and unsigned spellings alike', () => {
    expect(hammingDistance(0n, 0n)).toBe(0);
    expect(hammingDistance(0n, (1n << 64n) - 1n)).toBe(64);
    expect(hammingDistance(0b1011n, 0b0001n)).toBe(2);
    expect(hammingDistance(BigInt.asIntN(64, 0xffff_0000_0000_0001n), 0xffff_0000_0000_0001n)).toBe(0);
  });
});

describe('isNearDuplicate', () => {
  it('treats a syndicated copy with a different wrapper and light edits as the same story', () => {
    expect(isNearDuplicate(simhash64(original), simhash64(syndicated))).toBe(true);
  });

  it('treats an update with one paragraph of eight rewritten as the same story', () => {
    expect(updated).not.toBe(original);
    expect(isNearDuplicate(original, updated)).toBe(true);
  });

  it('keeps two different stories on the same topic apart, with a wide margin', () => {
    expect(isNearDuplicate(original, otherStory)).toBe(false);
    expect(isNearDuplicate(syndicated, otherStory)).toBe(false);
    expect(hammingDistance(simhash64(original), simhash64(otherStory))).toBeGreaterThan(NEAR_DUPLICATE_MAX_DISTANCE + 8);
  });

  it('accepts texts or fingerprints and a custom threshold', () => {
    expect(isNearDuplicate(original, simhash64(original), 0)).toBe(true);
    expect(isNearDuplicate(original, syndicated, 0)).toBe(false);
  });
});
