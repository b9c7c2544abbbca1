import { describe, expect, it } from 'vitest';
import { formatAnswerReply } from '../../src/discord/format-answer.ts';
import { linkText, plainText } from '../../src/discord/sanitize.ts';

/** Text from articles and from the LLM renders as text; only the bot's own source links are links. */

describe('neutralised formatting', () => {
  it('strips masked links, escapes spoilers and code fences, removes invites, defuses headings', () => {
    const llm = [
      '## Renew now',
      'Renew through [the official portal](https://evil.example/phish "Official") [1].',
      '||Supply stops in April|| [1] — ask at https://discord.com/invite/abc or discord.gg/xyz.',
      '-# small print',
      '```',
      'code',
      '```',
    ].join('\n');
    const out = plainText(llm);
    expect(out).not.toContain('](https://evil.example');
    expect(out).toContain('Renew through the official portal [1].');
    expect(out).not.toMatch(/(?<!\\)\|\|/);
    expect(out).not.toMatch(/discord(?:\.com\/invite|\.gg)\//);
    expect(out).not.toMatch(/^(?:#{1,3}|-#) /m);
    expect(out).not.toMatch(/(?<!\\)```/);
  });

  it('keeps citation links the bot builds while neutralising the LLM answer and article titles', () => {
    const reply = formatAnswerReply({
      question: 'How do I renew?',
      answer: '# Click [here](https://evil.example) now [1]',
      grounded: true,
      citations: [
        {
          n: 1,
          title: 'Permits ||due|| [soon](https://evil.example/t)',
          url: 'https://news.example/permits',
          source: 'Herald',
          published: '2024-03-01',
          quote: 'x',
        },
      ],
    });
    const d = reply.embeds![0]!.description!;
    expect(d).not.toContain('evil.example');
    expect(d).toMatch(/^\\# Click here now \[1\]/);
    expect(d).toContain('](https://news.example/permits)');
    expect(linkText('a [b](https://x.example) c')).toBe('a b c');
  });
});
