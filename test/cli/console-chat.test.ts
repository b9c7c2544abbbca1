import { describe, expect, it } from 'vitest';
import { isFollowUp } from '../../src/cli/console-chat.ts';

describe('console follow-ups', () => {
  it('treats short questions that lean on the previous one as follow-ups', () => {
    expect(isFollowUp('and what did Washington say?')).toBe(true);
    expect(isFollowUp('why did he say that?')).toBe(true);
    expect(isFollowUp('What about the elections?')).toBe(true);
  });

  it('asks self-contained or long questions on their own', () => {
    expect(isFollowUp('What did Lavrov say about a new US ambassador?')).toBe(false);
    expect(isFollowUp('Who won the Varnholm harbour election and what did the new harbour master promise the fishing cooperatives?')).toBe(false);
  });
});
