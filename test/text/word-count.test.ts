import { describe, expect, it } from 'vitest';
import { countWords } from '../../src/text/plain-text.ts';
import { isMostlySpaceless } from '../../src/text/scripts.ts';
import { splitSentences } from '../../src/text/sentences.ts';
import { tooShortReason } from '../../src/text/word-count.ts';

const JA = '東京都は十二月一日、新しい図書館を来年春に開館すると発表した。図書館は駅の近くに建設され、約二十万冊の本を所蔵する予定だ。';

describe('word counts and the one article rule', () => {
  it('counts words of text written without spaces', () => {
    expect(countWords('The council met on Monday.')).toBe(5);
    expect(countWords(JA)).toBeGreaterThan(15);
    expect(isMostlySpaceless(JA)).toBe(true);
    expect(isMostlySpaceless('Prime Minister 李强 visited Berlin on Monday to discuss trade.')).toBe(false);
  });

  it('splits Japanese sentences at 。 and keeps English on the rule-based splitter', () => {
    expect(splitSentences(JA).map((s) => s.text)).toHaveLength(2);
    expect(splitSentences('It rained. Then it stopped.')).toHaveLength(2);
  });

  it('accepts a two-sentence brief and refuses a headline, a one-liner and a teaser', () => {
    expect(tooShortReason('The ferry will stop running on Sundays from January, the operator said. Passenger numbers fell by a third.')).toBeNull();
    expect(tooShortReason('Ferry drops Sunday service')).toMatch(/too little text \(4 words/);
    expect(tooShortReason('Please enable JavaScript in your browser to read this article and the other stories on this page today.')).toMatch(/one sentence/);
    expect(tooShortReason(JA)).toBeNull();
  });

  it('does not count sentences in long text, and looks past a wordless prefix', () => {
    expect(tooShortReason('word '.repeat(80))).toBeNull();
    expect(tooShortReason(`${'x'.repeat(5000)} ${'The council met again. '.repeat(10)}`)).toBeNull();
  });
});
