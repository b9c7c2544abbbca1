import { describe, expect, it } from 'vitest';
import { LocalHashEmbeddings, STOPWORDS, stem, tokenize } from '../../src/retrieval/local-embeddings.ts';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

describe('LocalHashEmbeddings', () => {
  const emb = new LocalHashEmbeddings();

  it('names its algorithm and dimension in its id', () => {
    expect(emb.id).toBe('local-hash-v1:384');
    expect(new LocalHashEmbeddings({ dim: 128 }).id).toBe('local-hash-v1:128');
    expect(() => new LocalHashEmbeddings({ dim: 3 })).toThrow(RangeError);
  });

  it('is deterministic, across instances and calls', async () => {
    const text = 'Lavrov said Russia is open to talks with the United States.';
    const a = await emb.embedQuery(text);
    const b = await new LocalHashEmbeddings().embedQuery(text);
    expect(b).toEqual(a);
    const [d] = await emb.embedDocuments([text]);
    expect(d).toEqual(a);
  });

  it('returns unit vectors of the configured dimension, even for empty text', async () => {
    for (const [dim, text] of [
      [384, 'European regulators will require a common charger for phones.'],
      [64, ''],
      [384, 'the and of it is'],
    ] as const) {
      const v = new LocalHashEmbeddings({ dim }).embedText(text);
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(dim);
      expect(Math.sqrt(dot(v, v))).toBeCloseTo(1, 5);
    }
  });

  it('puts related texts closer than unrelated ones', () => {
    const q = emb.embedText('Which country will require a common charging port for smartphones?');
    const related = emb.embedText('The European Union will require smartphone makers to use a common USB-C charging port.');
    const unrelated = emb.embedText('Netflix renewed the hit South Korean drama Squid Game for a second season.');
    expect(dot(q, related)).toBeGreaterThan(dot(q, unrelated) + 0.1);
  });

  it('scores an inflected paraphrase above an unrelated text', () => {
    const q = emb.embedText('The senators voted to ban imports of Russian oil');
    const paraphrase = emb.embedText('A senate vote banned importing oil from Russia');
    const unrelated = emb.embedText('Heavy rain flooded roads across the county overnight');
    expect(dot(q, paraphrase)).toBeGreaterThan(0.2);
    expect(dot(q, paraphrase)).toBeGreaterThan(dot(q, unrelated) + 0.2);
  });

  it('embedDocuments keeps order and matches embedText', async () => {
    const texts = Array.from({ length: 300 }, (_, i) => `story number ${i} about topic ${i % 7}`);
    const docs = await emb.embedDocuments(texts);
    expect(docs).toHaveLength(300);
    expect(docs[123]).toEqual(Array.from(emb.embedText(texts[123]!)));
  });
});

describe('tokenize', () => {
  it('lowercases, drops stopwords and lone letters, stems conservatively', () => {
    expect(tokenize('The cities were announcing new plans, and a mayor announced it.')).toEqual(['citi', 'announc', 'new', 'plan', 'mayor', 'announc']);
    expect(STOPWORDS.has('the')).toBe(true);
    expect(stem('making')).toBe('make');
    expect(stem('hopping')).toBe('hop');
    expect(stem('announce')).toBe(stem('announced'));
  });

  it('keeps "US" as a country, folds accents and apostrophes, normalises numbers', () => {
    expect(tokenize('The U.S. and US envoys met us')).toEqual(['us', 'us', 'envoi', 'met']);
    expect(tokenize('Café São Paulo')).toEqual(tokenize('Cafe Sao Paulo'));
    expect(tokenize('Lavrov’s remarks')).toEqual(['lavrov', 'remark']);
    expect(tokenize('1,000 people paid $3.5 in 2024.')).toEqual(['1000', 'peopl', 'paid', '3.5', '2024']);
  });
});
