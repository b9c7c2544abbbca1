import { isMostlySpaceless } from '../text/scripts.ts';

/** A sentence with its character span in the text it came from. */
export interface SentenceSpan {
  text: string;
  start: number;
  end: number;
}

// Words after which a full stop rarely ends a sentence in news prose.
const ABBREVIATIONS = new Set(
  `mr mrs ms dr prof sr jr st gov sen rep gen col lt sgt capt cmdr adm maj pres supt insp det inc corp ltd co
  no nos vs etc jan feb mar apr jun jul aug sep sept oct nov dec mt ft ave blvd rd approx est dept univ
  fig op vol pp ed eds rev hon`.split(/\s+/),
);

// A candidate end: terminal punctuation, optional closing quotes/brackets, then white space before
// something that can start a sentence.
const END = /([.!?]+)(["'”’)\]]*)(\s+)(?=["'“‘(\[]?[\p{Lu}\p{N}])/gu;

/** Sentence segments of one paragraph-free block, as [start, end) offsets (untrimmed). */
function segment(text: string): Array<{ index: number; segment: string }> {
  const out: Array<{ index: number; segment: string }> = [];
  let start = 0;
  for (const m of text.matchAll(END)) {
    const punctAt = m.index!;
    if (m[1] === '.') {
      const word = /([\p{L}.]+)$/u.exec(text.slice(Math.max(0, punctAt - 20), punctAt))?.[1] ?? '';
      // Initials and dotted abbreviations ("J.", "U.S", "a.m") and known short forms.
      if (/^\p{L}$/u.test(word) || /\p{L}\.\p{L}$/u.test(word) || ABBREVIATIONS.has(word.toLowerCase())) continue;
    }
    const end = punctAt + m[1]!.length + m[2]!.length;
    out.push({ index: start, segment: text.slice(start, end) });
    start = end;
  }
  if (start < text.length) out.push({ index: start, segment: text.slice(start) });
  return out;
}

let sentenceSegmenter: Intl.Segmenter | undefined;

function segmentIntl(text: string): Array<{ index: number; segment: string }> {
  sentenceSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'sentence' });
  return Array.from(sentenceSegmenter.segment(text), (s) => ({ index: s.index, segment: s.segment }));
}

/**
 * Sentences of `text` with exact spans (text === source.slice(start, end), whitespace trimmed).
 * Paragraph breaks always end a sentence, because headlines and datelines often lack a full stop.
 * A rule-based splitter rather than Intl.Segmenter: the segmenter cost ~9 ms per article and was
 * the slowest stage of ingestion.
 */
export function splitSentences(text: string, offset = 0): SentenceSpan[] {
  const out: SentenceSpan[] = [];
  // Japanese or Chinese end sentences with 。！？ and no space: only the segmenter finds those ends.
  // It is slow, so it is used only for such text.
  const segments = isMostlySpaceless(text) ? segmentIntl(text) : segment(text);
  for (const seg of segments) {
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
