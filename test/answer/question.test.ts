import { describe, expect, it } from 'vitest';
import { analyzeQuestion, answerTypeOf, typeFit } from '../../src/answer/question.ts';

describe('question analysis', () => {
  it.each([
    ['How many senators supported the bill?', 'number'],
    ['Which country elected its first-ever leftist leader this week?', 'place'],
    ['Who won the Hart Trophy?', 'person'],
    ['Which automaker recalled 2.9 million vehicles this week?', 'organization'],
    ['Microsoft retired Internet Explorer. What year did it debut?', 'year'],
    ['When will the strike start?', 'date'],
    ['How much did the bidder pay for lunch with Warren Buffett?', 'money'],
    ['What percentage of people avoid the news?', 'percent'],
    ['BTS split after how many years together?', 'duration'],
    ['Beyoncé released a new song this week, titled:', 'title'],
    ['What is the biggest security threat in the region?', 'any'],
  ])('%s → %s', (q, type) => {
    expect(answerTypeOf(q)).toBe(type);
  });

  it('keeps names, numbers and quoted phrases as key content, not the question word', () => {
    const qa = analyzeQuestion('Who won the NHL’s Hart Trophy in 2022 for “most valuable player”?');
    expect(qa.keyTerms).toEqual(expect.arrayContaining(['nhl', 'hart', 'trophy', '2022', 'valuable', 'player']));
    expect(qa.keyTerms).not.toContain('who');
  });

  it('notices questions about the latest news', () => {
    expect(analyzeQuestion('Which team won this week?').wantsRecent).toBe(true);
    expect(analyzeQuestion('Which team won the 1998 final?').wantsRecent).toBe(false);
  });

  it('fits people to who-questions and numbers to how-many questions, not the other way round', () => {
    expect(typeFit('person', new Set(['person']))).toBe(1);
    expect(typeFit('person', new Set(['number']))).toBe(0);
    expect(typeFit('number', new Set(['number']))).toBe(1);
    expect(typeFit('number', new Set(['person']))).toBe(0);
  });
});
