import { describe, expect, it } from 'vitest';
import { formatAnswerReply, trimAnswer } from '../../src/discord/format-answer.ts';
import { DISCORD_LIMITS, embedLength } from '../../src/discord/discord-limits.ts';
import { neutralizeMentions } from '../../src/discord/sanitize.ts';

const citation = (n: number, over: Partial<{ title: string; url: string | null; source: string | null }> = {}) => ({
  n,
  title: over.title ?? `Article ${n}`,
  url: over.url === undefined ? `https://example.org/a/${n}` : over.url,
  source: over.source === undefined ? 'MENAFN' : over.source,
  published: '2024-11-07',
  quote: 'quoted text',
});

describe('formatAnswerReply', () => {
  it('puts the answer and a numbered, linked source list in one embed', () => {
    const reply = formatAnswerReply({
      question: 'What did Lavrov say?',
      answer: 'Lavrov said Moscow would accept a new envoy [1].',
      citations: [citation(1, { title: 'Lavrov on envoy' })],
      grounded: true,
    });
    const embed = reply.embeds![0]!;
    expect(embed.title).toBe('What did Lavrov say?');
    expect(embed.description).toContain('Lavrov said Moscow would accept a new envoy [1].');
    expect(embed.description).toContain('**[1]** [Lavrov on envoy](https://example.org/a/1) — MENAFN, 2024-11-07');
    expect(reply.content).toBeUndefined();
  });

  it('stays within every Discord limit for an oversized answer with many long citations', () => {
    const sentence = (i: number) => `Sentence number ${i} is long enough to matter in this test of trimming [${(i % 30) + 1}].`;
    const answer = Array.from({ length: 400 }, (_, i) => sentence(i)).join(' ');
    const citations = Array.from({ length: 30 }, (_, i) => citation(i + 1, { title: 'T'.repeat(400), url: `https://example.org/${'p'.repeat(300)}/${i}` }));
    const reply = formatAnswerReply({ question: 'Q'.repeat(1000), answer, citations, grounded: true });
    const embed = reply.embeds![0]!;
    expect(embed.title!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
    expect(embed.description!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
    expect(embedLength(embed as Parameters<typeof embedLength>[0])).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    expect((embed.fields ?? []).length).toBeLessThanOrEqual(DISCORD_LIMITS.embedFields);
    // Trimmed after a whole sentence with its marker, and says so.
    const body = embed.description!.split('\n\n**Sources**')[0]!;
    expect(body).toMatch(/\[\d+\]\. …$/);
    expect(embed.description).toContain('…and');
  });

  it('neutralises @everyone, @here and user mentions found in article text', () => {
    const reply = formatAnswerReply({
      question: 'hi @here',
      answer: 'Ping @everyone and <@123> and <@&456> [1].',
      citations: [citation(1, { title: '@everyone look', source: '<@1> outlet' })],
      grounded: true,
    });
    const text = JSON.stringify(reply);
    expect(text).not.toMatch(/@everyone|@here|<@\d|<@&/);
  });

  it('shows no source list when nothing answers the question', () => {
    const reply = formatAnswerReply({ question: 'q', answer: 'No tracked article answers this.', citations: [], grounded: false });
    expect(reply.embeds![0]!.description).toBe('No tracked article answers this.');
  });

  it('drops an unsafe link but keeps the title', () => {
    const reply = formatAnswerReply({ question: 'q', answer: 'a [1].', citations: [citation(1, { url: 'javascript:alert(1)' })], grounded: true });
    expect(reply.embeds![0]!.description).toContain('**[1]** Article 1 — MENAFN');
    expect(reply.embeds![0]!.description).not.toContain('javascript:');
  });
});

describe('trimAnswer', () => {
  it('keeps short text as is', () => {
    expect(trimAnswer('One. Two.', 100)).toBe('One. Two.');
  });

  it('cuts after the last whole sentence, keeping the citation markers that follow it', () => {
    const text = 'First claim. [1][2] Second claim is here [3]. Third one goes past the limit.';
    const out = trimAnswer(text, 50);
    expect(out).toBe('First claim. [1][2] Second claim is here [3]. …');
    expect(out.length).toBeLessThanOrEqual(50);
  });

  it('never cuts inside a citation marker when it has to cut mid-sentence', () => {
    const text = `${'word '.repeat(30)}[12] more words`;
    for (let max = 140; max < 160; max++) {
      const out = trimAnswer(text, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out).not.toMatch(/\[\d*$|\[\d* …$/);
    }
  });
});

describe('neutralizeMentions', () => {
  it('breaks mass and user mentions but keeps the words readable', () => {
    expect(neutralizeMentions('@everyone @here <@1> <#2>')).toBe('@\u200beveryone @\u200bhere <\u200b@1> <\u200b#2>');
  });
});
