import { describe, expect, it } from 'vitest';
import { analyze, stem } from '../../src/text/analyzer.ts';

describe('analyze', () => {
  it('drops stopwords and folds case, accents and plurals', () => {
    expect(analyze('What did the Ambassadors say about Éclairs?')).toEqual(['ambassador', 'eclair']);
  });

  it('keeps "US" in capitals but drops the pronoun "us"', () => {
    expect(analyze('a new US ambassador')).toEqual(['us', 'ambassador']);
    expect(analyze('tell us')).toEqual(['tell']);
  });

  it('keeps numbers and years', () => {
    expect(analyze('294 votes in 2024')).toEqual(['294', 'vote', '2024']);
  });
});

describe('stem', () => {
  it('strips common suffixes conservatively', () => {
    expect(stem('talks')).toBe('talk');
    expect(stem('running')).toBe('run');
    expect(stem('policies')).toBe('policy');
    expect(stem('appointed')).toBe('appoint');
    expect(stem('bus')).toBe('bus');
    expect(stem('news')).toBe('new');
  });
});
