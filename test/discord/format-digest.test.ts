import { describe, expect, it } from 'vitest';
import { formatDigest } from '../../src/discord/format-digest.ts';
import { DISCORD_LIMITS, embedLength } from '../../src/discord/discord-limits.ts';
import type { Digest } from '../../src/digest/digest-builder.ts';

describe('digest messages', () => {
  it('splits a long digest across messages at story boundaries, never separating a [n] from its source', () => {
    const sentence = (i: number) =>
      `Story ${i} has a long opening sentence that goes on about the details of what happened, who said it and why it matters to readers here.`;
    const digest: Digest = {
      since: '2026-11-30T08:00:00.000Z',
      more: 3,
      stories: Array.from({ length: 40 }, (_, i) => ({
        title: `Headline number ${i} @everyone ${'x'.repeat(120)}`,
        url: `https://example.org/${i}`,
        outlets: ['Outlet A', 'Outlet B'],
        newest: '2026-12-01',
        articles: 2,
        summary: [
          { text: sentence(i), n: i * 2 + 1 },
          { text: sentence(i + 100), n: i * 2 + 2 },
        ],
      })),
      citations: Array.from({ length: 80 }, (_, j) => ({
        n: j + 1,
        articleId: j,
        title: `t${j}`,
        url: `https://example.org/a/${j}`,
        outlet: `Outlet ${j}`,
        published: '2026-12-01',
        quote: 'q',
        alsoReportedBy: ['Other'],
      })),
    };
    const pages = formatDigest(digest, new Date('2026-12-01T09:00:00Z'));
    expect(pages.length).toBeGreaterThan(1);
    for (const p of pages) {
      const e = p.embeds![0]!;
      expect(e.description!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
      expect(embedLength(e as Parameters<typeof embedLength>[0])).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
      expect(e.description).not.toMatch(/@everyone/);
      for (const block of e.description!.split('\n\n')) {
        const lines = block.split('\n');
        if (lines.length < 4) continue;
        for (const m of lines[2]!.matchAll(/\[(\d+)\]/g)) expect(lines[3]).toContain(`[${m[1]}] [Outlet`);
      }
    }
    const all = pages.map((p) => p.embeds![0]!.description!).join('\n\n');
    for (let i = 0; i < 40; i++) expect(all).toContain(`**${i + 1}. [Headline number ${i} `);
    expect(all).toMatch(/…and 3 more stories\.$/);
    expect(pages[1]!.embeds![0]!.title).toMatch(/\(2\/\d+\)$/);
  });
});
