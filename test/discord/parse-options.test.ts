import { describe, expect, it } from 'vitest';
import { resolveSource, sourceChoices } from '../../src/discord/parse-options.ts';
import { parseSince } from '../../src/text/dates.ts';
import type { Source } from '../../src/db/source-repo.ts';
import { stripMention, withContext } from '../../src/discord/mention-handler.ts';

const source = (id: number, name: string | null, guildId: string | null = 'g'): Source =>
  ({ id, name, guildId, url: `https://example.org/${id}.xml`, kind: 'feed' }) as Source;

describe('parseSince', () => {
  const now = new Date('2024-11-10T12:00:00Z');
  it('accepts dates and spans', () => {
    expect(parseSince('2024-11-01', now)).toBe('2024-11-01');
    expect(parseSince('7d', now)).toBe('2024-11-03');
    expect(parseSince('2w', now)).toBe('2024-10-27');
    expect(parseSince('3 days', now)).toBe('2024-11-07');
  });
  it('refuses anything else with a helpful message', () => {
    expect(() => parseSince('last tuesday', now)).toThrow(/7d/);
  });
});

describe('resolveSource', () => {
  const list = [source(1, 'Reuters World'), source(2, 'BBC'), source(12, null)];
  it('finds by id, #id, exact or partial name', () => {
    expect(resolveSource(list, '2').id).toBe(2);
    expect(resolveSource(list, '#12').id).toBe(12);
    expect(resolveSource(list, 'bbc').id).toBe(2);
    expect(resolveSource(list, 'reuters').id).toBe(1);
  });
  it('says not found for an id outside the list', () => {
    expect(() => resolveSource(list, '99')).toThrow(/No source/);
  });
  it('suggests at most 25 choices with ids as values', () => {
    expect(sourceChoices(list, 'bb')).toEqual([{ name: '#2 BBC', value: '2' }]);
    expect(
      sourceChoices(
        Array.from({ length: 40 }, (_, i) => source(i + 1, `S${i}`)),
        '',
      ),
    ).toHaveLength(25);
  });
  it("puts the server's own sources before the global ones, marks those, and keeps names within 100 characters", () => {
    const mixed = [source(1, 'Operator feed', null), source(2, 'Local Gazette'), source(3, 'x'.repeat(150))];
    const choices = sourceChoices(mixed, '', 'g');
    expect(choices.map((c) => c.value)).toEqual(['2', '3', '1']);
    expect(choices[2]!.name).toBe('#1 Operator feed · all servers');
    expect(choices[1]!.name).toHaveLength(100);
    expect(sourceChoices(mixed, 'nothing like it', 'g')).toEqual([]);
    expect(sourceChoices(mixed, 'example.org/2', 'g').map((c) => c.value)).toEqual(['2']); // by URL too
  });
});

describe('mention helpers', () => {
  it('strips the bot mention in both forms', () => {
    expect(stripMention('<@42> what happened? <@!42>', '42')).toBe('what happened?');
  });
  it('prefixes the previous question and stays under the question limit', () => {
    expect(withContext('What did Lavrov say?', 'And Washington?')).toBe('What did Lavrov say?\nAnd Washington?');
    expect(withContext('x'.repeat(2000), 'And then?').length).toBeLessThanOrEqual(1000);
  });
});
