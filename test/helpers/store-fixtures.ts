/** Articles and chunks to store directly through the repositories (the store contract tests). */
import type { EmbeddedChunk, PreparedArticle } from '../../src/types.ts';

export function article(over: Partial<PreparedArticle> = {}): PreparedArticle {
  return {
    url: 'https://news.example/storm',
    title: 'Storm hits the coast',
    text: 'The storm hit the coast on Monday. O’Brien said the damage was large.\n\nFishermen were rescued by the coast guard.',
    outlet: 'Example News',
    published: '2026-11-30',
    author: null,
    externalId: null,
    aliases: [],
    contentHash: `hash-${over.url ?? 'storm'}`,
    simhash: '00ff00ff00ff00ff',
    fetchedFrom: over.url ?? 'https://news.example/storm',
    claimedUrl: null,
    ...over,
  };
}

/** Chunks cut at paragraph breaks, with vectors whose exact Float32 values a test can check. */
export function chunksOf(a: PreparedArticle, seed = 1): EmbeddedChunk[] {
  const out: EmbeddedChunk[] = [];
  let start = 0;
  for (const [ord, para] of a.text.split('\n\n').entries()) {
    const s = a.text.indexOf(para, start);
    out.push({ ord, text: para, start: s, end: s + para.length, embedding: Float32Array.from([seed + ord, -0.1 * (ord + 1), Math.PI, 1e-7]) });
    start = s + para.length;
  }
  return out;
}
