import { describe, expect, it } from 'vitest';
import { extractCandidates, patternCandidates } from '../../src/answer/candidates.ts';

const kinds = (sentence: string) => Object.fromEntries(extractCandidates(sentence).map((c) => [c.text, [...c.kinds].sort()]));

describe('answer candidates', () => {
  it('finds a vote count and a score of a vote', () => {
    const k = kinds('The bill passed the Senate 68-32 on Tuesday, with 19 Republicans joining all Democrats in support.');
    expect(k['68-32']).toEqual(['number']);
    expect(k['19']).toEqual(['number']);
    expect(k['Tuesday']).toEqual(['date']);
  });

  it('types a country and a city as places', () => {
    const k = kinds('The earthquake struck off the coast of Japan on March 11, 2024, and shook Tokyo.');
    expect(k['Japan']).toContain('place');
    expect(k['Tokyo']).toContain('place');
    expect(k['March 11, 2024']).toEqual(['date']);
  });

  it('drops a title before a person and keeps the name', () => {
    const c = extractCandidates('Russian Foreign Minister Sergey Lavrov said on Thursday that Moscow was open to talks.');
    const person = c.find((x) => x.kinds.has('person'))!;
    expect(person.text).toBe('Sergey Lavrov');
    expect('Russian Foreign Minister Sergey Lavrov said'.slice(person.start, person.end)).toBe('Sergey Lavrov');
  });

  it('reads money, percentages, durations and quoted titles', () => {
    const k = kinds('Apple reported revenue of $94.9 billion, up 6% from a year earlier, after nine years of “Squid Game” deals.');
    expect(k['$94.9 billion']).toEqual(['money']);
    expect(k['6%']).toEqual(['percent']);
    expect(k['nine years']).toEqual(['duration']);
    expect(k['Squid Game']).toEqual(['title']);
  });

  it('does not take quoted speech for a title', () => {
    expect(kinds('"My mom will be so happy," Evans told People.')['My mom will be so happy,']).toBeUndefined();
  });

  it('gives spans that are exact slices of the sentence', () => {
    const s = 'Odalys Brenneman won 52% of the vote in Quillmere on Friday, officials said.';
    for (const c of extractCandidates(s)) expect(s.slice(c.start, c.end)).toBe(c.text);
  });
});

describe('patternCandidates', () => {
  it('gives the pattern candidates of a sentence, computed once per sentence object', () => {
    const s = { text: 'The Senate voted 68 to 32 on March 3, 2031.' };
    const first = patternCandidates(s);
    expect(first.map((c) => c.text)).toEqual(extractCandidates(s.text, false).map((c) => c.text));
    expect(patternCandidates(s)).toBe(first);
    expect(patternCandidates({ text: s.text })).not.toBe(first);
  });
});
