import { describe, expect, it } from 'vitest';
import { coverageQuery, hasText, linksIn, messageText, sameUrl } from '../../src/discord/message-text.ts';

const msg = (content: string, extra: { embeds?: Array<{ title?: string; description?: string }>; files?: number } = {}) => ({
  content,
  embeds: extra.embeds ?? [],
  attachments: { size: extra.files ?? 0 },
});

describe('messageText (context-menu targets)', () => {
  it('reads the content without mention and emoji markup', () => {
    expect(messageText(msg('<@123> did the <#456> council pass the budget? <:party:789>'), 1000)).toEqual({
      text: 'did the council pass the budget? party',
      trimmed: false,
      length: 38,
    });
  });

  it('falls back to the embeds of a message without content (a link preview, another bot)', () => {
    expect(messageText(msg('', { embeds: [{ title: 'Tolls doubled', description: 'Varnholm raises ferry tolls' }] }), 1000).text).toBe(
      'Tolls doubled. Varnholm raises ferry tolls',
    );
  });

  it('cuts a long message at a word boundary and says how long it was', () => {
    const long = 'word '.repeat(400).trim();
    const r = messageText(msg(long), 1000);
    expect(r.trimmed).toBe(true);
    expect(r.length).toBe(long.length);
    expect(r.text.length).toBeLessThanOrEqual(1000);
    expect(r.text.endsWith('word')).toBe(true);
  });

  it('refuses an image-only message and an empty one, saying what to do instead', () => {
    expect(() => messageText(msg('', { files: 1 }), 1000)).toThrow(/only an image or a file.*\/ask/);
    expect(() => messageText(msg('<@1>'), 1000)).toThrow(/no text to ask about/);
    expect(hasText(msg('', { files: 1 }))).toBe(false);
    expect(hasText(msg('', { embeds: [{ title: 'x' }] }))).toBe(true);
  });
});

describe('coverageQuery and links', () => {
  it('turns a link into the words of its path', () => {
    const text = 'look https://www.example.org/2024/11/07/russia-expresses-openness-to-us-ties.html';
    expect(coverageQuery(text, 300)).toBe('look russia expresses openness to us ties');
    expect(linksIn(`${text}.`)).toEqual(['https://www.example.org/2024/11/07/russia-expresses-openness-to-us-ties.html']);
  });
  it('keeps the query within the limit', () => {
    expect(coverageQuery('tolls '.repeat(100), 50).length).toBeLessThanOrEqual(50);
  });
  it('treats www, a trailing slash and a fragment as the same page', () => {
    expect(sameUrl('https://www.example.org/a/#top', 'http://example.org/a')).toBe(true);
    expect(sameUrl('https://example.org/a?id=1', 'https://example.org/a?id=2')).toBe(false);
  });
});
