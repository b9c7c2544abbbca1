import type { ChunkInput } from '../types.ts';
import { splitSentences } from '../text/sentences.ts';

export interface ChunkOptions {
  /** Aim for chunks of about this many characters (~130 words at 800). */
  targetChars: number;
  /** Never exceed this unless a single sentence is longer. */
  maxChars: number;
  /** Sentences repeated at the start of the next chunk, so a fact split across a boundary survives. */
  overlapSentences: number;
}

export const DEFAULT_CHUNKING: ChunkOptions = { targetChars: 800, maxChars: 1200, overlapSentences: 1 };

/**
 * Sentence-aware chunking with overlap. Every chunk is an exact slice of `text`
 * (`text.slice(start, end) === chunk.text`), so a citation can quote the article verbatim.
 */
export function chunkText(text: string, opts: ChunkOptions = DEFAULT_CHUNKING): ChunkInput[] {
  const sentences = splitSentences(text).flatMap((s) => splitLong(s, opts.maxChars));
  const chunks: ChunkInput[] = [];
  let i = 0;
  while (i < sentences.length) {
    const first = sentences[i]!;
    let j = i;
    let end = first.end;
    while (j + 1 < sentences.length) {
      const next = sentences[j + 1]!;
      const len = next.end - first.start;
      if (len > opts.maxChars) break;
      // Past the target, stop at a paragraph break rather than straddling one.
      if (end - first.start >= opts.targetChars) break;
      if (end - first.start >= opts.targetChars * 0.6 && text.slice(end, next.start).includes('\n\n')) break;
      j++;
      end = next.end;
    }
    chunks.push({ ord: chunks.length, text: text.slice(first.start, end), start: first.start, end });
    if (j + 1 >= sentences.length) break;
    const back = Math.min(opts.overlapSentences, j - i);
    i = j + 1 - back;
  }
  return chunks;
}

function splitLong(s: { text: string; start: number; end: number }, max: number) {
  if (s.text.length <= max) return [s];
  const parts: Array<{ text: string; start: number; end: number }> = [];
  let pos = 0;
  while (pos < s.text.length) {
    let cut = Math.min(s.text.length, pos + max);
    if (cut < s.text.length) {
      const space = s.text.lastIndexOf(' ', cut);
      if (space > pos + max / 2) cut = space;
    }
    const piece = s.text.slice(pos, cut);
    const lead = piece.length - piece.trimStart().length;
    const body = piece.trim();
    if (body) parts.push({ text: body, start: s.start + pos + lead, end: s.start + pos + lead + body.length });
    pos = cut;
  }
  return parts;
}
