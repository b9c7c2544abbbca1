import { describe, expect, it } from 'vitest';
import { analyzeQuestion } from '../../src/answer/question.ts';
import { collectSentences } from '../../src/answer/evidence-sentences.ts';
import { pickDirectAnswer, rankCandidates } from '../../src/answer/direct-answer.ts';
import type { Passage } from '../../src/types.ts';

function passage(articleId: number, text: string, published = '2031-03-14'): Passage {
  return {
    chunkId: articleId,
    articleId,
    text,
    start: 0,
    end: text.length,
    title: `Story ${articleId}`,
    url: `https://news.example/${articleId}`,
    outlet: `Outlet ${articleId}`,
    published,
    score: 1,
  };
}
const rank = (q: string, passages: Passage[]) => {
  const qa = analyzeQuestion(q);
  return rankCandidates(
    qa,
    collectSentences(qa, passages, () => 1, { asOf: '2031-03-16' }),
  );
};

describe('direct answer ranking', () => {
  it('prefers the number next to what was asked over another number in the same sentence', () => {
    const r = rank('How many senators supported the tidal energy bill?', [
      passage(1, 'A total of 68 senators supported the tidal energy bill on Tuesday, while 32 opposed it.'),
    ]);
    expect(r[0]!.text).toBe('68');
  });

  it('counts agreement across stories: a name several outlets give outranks one sentence’s', () => {
    const r = rank('Who won the Aldous Prize?', [
      passage(1, 'The Aldous Prize went to Mira Castellanos on Thursday, the jury said.'),
      passage(2, 'Critics had tipped Jonas Weller to win the Aldous Prize this year.'),
      passage(3, 'Mira Castellanos won the Aldous Prize for her second novel.'),
    ]);
    expect(r[0]!.text).toBe('Mira Castellanos');
    expect(r[0]!.articles.size).toBe(2);
  });

  it('never proposes what the question already contains', () => {
    const r = rank('Which award did Mira Castellanos win on Thursday?', [passage(1, 'Mira Castellanos won the Aldous Prize on Thursday.')]);
    expect(r.map((c) => c.text)).not.toContain('Mira Castellanos');
    expect(r.map((c) => c.text)).not.toContain('Thursday');
  });

  it('names nothing when two candidates are about equally supported', () => {
    const r = rank('Who won the Aldous Prize?', [
      passage(1, 'Mira Castellanos won the Aldous Prize, according to one report.'),
      passage(2, 'Jonas Weller won the Aldous Prize, according to another report.'),
    ]);
    expect(pickDirectAnswer(r)).toBeUndefined();
  });
});
