import { describe, expect, it } from 'vitest';
import { readEvidence } from '../../src/answer/read-evidence.ts';
import { DEFAULT_DIRECT } from '../../src/answer/direct-answer.ts';
import { SENTENCE_MODEL, SENTENCE_TERMS, sentenceLogit } from '../../src/answer/sentence-model.ts';
import type { Passage } from '../../src/types.ts';

function passage(text: string, over: Partial<Passage> = {}): Passage {
  return {
    chunkId: 1,
    articleId: 1,
    text,
    start: 0,
    end: text.length,
    title: 'Senate vote',
    url: null,
    outlet: 'Example',
    published: '2031-03-14',
    score: 1,
    ...over,
  };
}
const flatIdf = (terms: string[]) => new Map(terms.map((t) => [t, 1]));
const read = (q: string, ps: Passage[]) => readEvidence(q, ps, { idf: flatIdf, asOf: '2031-03-15', direct: true, directOptions: DEFAULT_DIRECT })!;

describe('the sentence model', () => {
  it('has a weight for every input and none without one', () => {
    expect(Object.keys(SENTENCE_MODEL).sort()).toEqual(['bias', ...Object.keys(SENTENCE_TERMS)].sort());
  });

  it('reads a typed candidate the question does not contain, the lede and the title', () => {
    const text =
      'The Senate passed the infrastructure bill on Tuesday. Sixty-eight senators supported the bill, while 32 opposed it. ' +
      'Debate lasted into the night as senators argued about the cost of the bill.';
    const ev = read('How many senators supported the infrastructure bill?', [passage(text, { title: 'Senate passes infrastructure bill' })]);
    const byText = new Map(ev.sentences.map((s, i) => [s.text, ev.features[i]!]));
    const count = byText.get('Sixty-eight senators supported the bill, while 32 opposed it.')!;
    const debate = byText.get('Debate lasted into the night as senators argued about the cost of the bill.')!;
    expect(count.typed).toBe(1);
    expect(debate.typed).toBe(0);
    expect(ev.features[0]!.lede).toBe(1);
    expect(count.lede).toBeLessThan(1);
    expect(count.title).toBeGreaterThan(0.3);
  });

  it('ranks the sentence that states the asked-for number above ones that only share words', () => {
    const text =
      'Senators spent Tuesday debating the infrastructure bill and what the infrastructure bill means for states. ' +
      'In the end 68 senators voted for it. The bill now goes to the House.';
    const ev = read('How many senators supported the infrastructure bill?', [passage(text)]);
    const best = ev.sentences[ev.logits.indexOf(Math.max(...ev.logits))]!;
    expect(best.text).toBe('In the end 68 senators voted for it.');
  });

  it('prefers a sentence from a story whose title is about the question', () => {
    const a = passage('Officials said the storm forced the closure of the port at Halden on Monday.', { articleId: 1, title: 'Markets close higher' });
    const b = passage('Officials said the storm forced the closure of the port at Halden on Monday.'.replace('Officials', 'Police'), {
      articleId: 2,
      chunkId: 2,
      title: 'Storm closes Halden port',
    });
    const ev = read('Which port did the storm close?', [a, b]);
    const [x, y] = ev.features;
    expect(sentenceLogit(y!)).toBeGreaterThan(sentenceLogit(x!));
  });
});
