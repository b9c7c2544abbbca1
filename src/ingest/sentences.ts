/** A sentence with its character span in the text it came from. */
export interface SentenceSpan {
  text: string;
  start: number;
  end: number;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/**
 * Sentences of `text` with exact spans (text === source.slice(start, end), whitespace trimmed).
 * Paragraph breaks always end a sentence, because headlines and datelines often lack a full stop.
 */
export function splitSentences(text: string, offset = 0): SentenceSpan[] {
  const out: SentenceSpan[] = [];
  for (const seg of segmenter.segment(text)) {
    // A segment may span a blank line; split it there.
    let local = 0;
    for (const part of seg.segment.split(/(\n\s*\n|\n(?=\s*[-•*]\s))/)) {
      const partStart = seg.index + local;
      local += part.length;
      const lead = part.length - part.trimStart().length;
      const body = part.trim();
      if (!body) continue;
      const start = partStart + lead;
      out.push({ text: body, start: start + offset, end: start + body.length + offset });
    }
  }
  return mergeTinyFragments(out, text, offset);
}

// "U.S." or "Dr." style false breaks leave fragments of a word or two; glue them to the previous one.
function mergeTinyFragments(spans: SentenceSpan[], text: string, offset: number): SentenceSpan[] {
  const out: SentenceSpan[] = [];
  for (const s of spans) {
    const prev = out[out.length - 1];
    const between = prev ? text.slice(prev.end - offset, s.start - offset) : '';
    if (prev && !between.includes('\n') && (s.text.length < 12 || /^[a-z]/.test(s.text))) {
      prev.end = s.end;
      prev.text = text.slice(prev.start - offset, s.end - offset);
    } else {
      out.push({ ...s });
    }
  }
  return out;
}
