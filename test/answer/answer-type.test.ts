import { describe, expect, it } from 'vitest';
import { answerTypeOf, novelAnswers } from '../../src/answer/answer-type.ts';

describe('answerTypeOf', () => {
  it('reads the kind of answer from the wording', () => {
    expect(answerTypeOf('How many people attended the rally?')).toBe('number');
    expect(answerTypeOf('In what year was the treaty signed?')).toBe('year');
    expect(answerTypeOf('Who was named the new ambassador?')).toBe('entity');
    expect(answerTypeOf('Which country hosted the summit?')).toBe('entity');
    expect(answerTypeOf('What did the minister say about talks?')).toBe('any');
  });
});

describe('novelAnswers', () => {
  it('counts only items the question does not already contain', () => {
    const q = 'How many Electoral College votes did Trump win?';
    expect(novelAnswers('Trump won 294 Electoral College votes on Tuesday.', q, 'number')).toBe(1);
    expect(novelAnswers('Trump won the Electoral College.', q, 'number')).toBe(0);
    expect(novelAnswers('The envoy met Sergey Lavrov in Astana.', 'Who met the envoy?', 'entity')).toBe(2);
    expect(novelAnswers('It was signed in 1998 after talks.', 'In what year was it signed?', 'year')).toBe(1);
  });
});
