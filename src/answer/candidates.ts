import nlp from 'compromise';

/** What an answer candidate is: the kinds a question can ask for. */
export type CandidateKind =
  | 'person'
  | 'place'
  | 'organization'
  | 'proper' // a proper noun compromise could not place in one of the three above
  | 'title' // a quoted name: a show, a song, a book, a slogan
  | 'number'
  | 'money'
  | 'percent'
  | 'year'
  | 'date'
  | 'duration'
  | 'common'; // capitalised, but the tagger reads it as an ordinary word

/** A span of a sentence that could be the thing a question asks for. */
export interface Candidate {
  /** Verbatim text of the span, so a direct answer can always be quoted. */
  text: string;
  /** Offsets into the sentence. */
  start: number;
  end: number;
  kinds: Set<CandidateKind>;
}

const MONTH =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?';
const WEEKDAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const NUMBER_WORD =
  'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|a dozen|dozens|hundreds|thousands|millions';
const NUM = `(?:\\d[\\d,]*(?:\\.\\d+)?|${NUMBER_WORD})`;
const SCALE = '(?:\\s+(?:thousand|million|billion|trillion|[mb]n|k))?';
const UNIT = '(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries)';

// Typed patterns, most specific first: a span claimed by an earlier pattern is not matched again.
const PATTERNS: ReadonlyArray<{ kind: CandidateKind; re: RegExp }> = [
  { kind: 'money', re: new RegExp(`(?:US)?[$€£¥]\\s?\\d[\\d,]*(?:\\.\\d+)?${SCALE}|\\b${NUM}${SCALE}\\s+(?:dollars|euros|pounds|yen|yuan|rupees)\\b`, 'gi') },
  { kind: 'percent', re: new RegExp(`\\b${NUM}(?:\\s?%|\\s+(?:percent|per cent|percentage points?)\\b)`, 'gi') },
  {
    kind: 'date',
    re: new RegExp(
      `\\b(?:${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?|\\d{1,2}(?:st|nd|rd|th)?\\s+${MONTH}(?:\\s+\\d{4})?|${WEEKDAY}|${MONTH}\\s+\\d{4})\\b`,
      'g',
    ),
  },
  { kind: 'duration', re: new RegExp(`\\b${NUM}(?:[- ](?:and[- ]a[- ]half[- ])?)${UNIT}\\b`, 'gi') },
  { kind: 'year', re: /\b(?:1[5-9]\d\d|20\d\d)\b/g },
  {
    kind: 'number',
    re: new RegExp(
      `\\b\\d+(?:[-–]\\d+)\\b|\\b${NUM}${SCALE}(?:\\s?(?:C|F|°[CF]?|mph|km|miles?|feet|metres?|meters?|kg|pounds|tons?|people|votes?|points?))?\\b`,
      'gi',
    ),
  },
  { kind: 'title', re: /[“"]([^”"\n]{2,60})[”"]|‘([^’\n]{2,60})’/g },
];

// Lower-case words that may sit inside a proper name ("Bank of England", "Duke of Edinburgh").
const NAME_JOINERS = new Set(['of', 'de', 'da', 'van', 'von', 'der', 'la', 'le', 'del', 'bin', 'al', '&']);
// Capitalised words that start sentences or name days and months but are not answers by themselves.
const NOT_NAMES = new Set(
  `the a an this that these those it its he she they we i you his her their our my your there here in on at for
  but and or if when while after before as by from with of to mr mrs ms dr however meanwhile also still yet so
  monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
  september october november december`.split(/\s+/),
);

interface Span {
  start: number;
  end: number;
  kinds: Set<CandidateKind>;
}

/**
 * Typed answer candidates of one sentence: numbers, money, dates and quoted titles by pattern, and
 * proper names, typed as people, places or organisations by compromise when `tagNames` is set (it
 * costs ~1 ms a sentence, so callers tag only their best sentences).
 */
export function extractCandidates(sentence: string, tagNames = true): Candidate[] {
  const spans: Span[] = [];
  const taken = (s: number, e: number) => spans.some((x) => s < x.end && e > x.start);
  for (const { kind, re } of PATTERNS) {
    for (const m of sentence.matchAll(re)) {
      let start = m.index!;
      let end = start + m[0].length;
      if (kind === 'title') {
        // The quoted text, without its quotes.
        const inner = m[1] ?? m[2] ?? '';
        start += m[0].indexOf(inner);
        end = start + inner.length;
        if (!isTitleLike(inner)) continue; // a quote from speech, not a name
      }
      if (taken(start, end)) continue;
      spans.push({ start, end, kinds: new Set([kind]) });
    }
  }
  for (const n of properNames(sentence)) {
    if (taken(n.start, n.end)) continue;
    spans.push(n);
  }
  if (tagNames) typeNames(sentence, spans);
  return spans.sort((a, b) => a.start - b.start).map((s) => ({ text: sentence.slice(s.start, s.end), start: s.start, end: s.end, kinds: s.kinds }));
}

/**
 * The kinds compromise gives the name at [start, end) of a sentence, read from a window of context
 * around it (tagging time grows with length; a few words either side are enough to type a name).
 */
export function typeName(sentence: string, start: number, end: number): Set<CandidateKind> {
  let from = Math.max(0, start - 60);
  let to = Math.min(sentence.length, end + 40);
  while (from > 0 && /\S/.test(sentence[from - 1]!)) from--;
  while (to < sentence.length && /\S/.test(sentence[to]!)) to++;
  const span: Span = { start: start - from, end: end - from, kinds: new Set(['proper']) };
  typeNames(sentence.slice(from, to), [span]);
  return span.kinds;
}

/** Runs of capitalised words (with joiners such as "of"), not counting a lone sentence-initial word. */
function properNames(sentence: string): Span[] {
  const out: Span[] = [];
  const words = [...sentence.matchAll(/[\p{L}\p{N}][\p{L}\p{N}.'’&-]*/gu)];
  let i = 0;
  while (i < words.length) {
    const w = words[i]!;
    if (!isCapitalised(w[0]) || NOT_NAMES.has(w[0].toLowerCase())) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < words.length) {
      const next = words[j + 1]!;
      const gap = sentence.slice(words[j]!.index! + words[j]![0].length, next.index);
      if (gap.trim() !== '') break; // punctuation between words ends a name
      if (isCapitalised(next[0])) j++;
      else if (NAME_JOINERS.has(next[0].toLowerCase()) && j + 2 < words.length && isCapitalised(words[j + 2]![0])) j += 2;
      else break;
    }
    const start = w.index!;
    let end = words[j]!.index! + words[j]![0].length;
    const text = sentence.slice(start, end).replace(/['’]s$/, '');
    end = start + text.replace(/[.'’-]+$/, '').length;
    const titled = stripTitles(sentence.slice(start, end));
    out.push({ start: start + titled, end, kinds: new Set(['proper']) });
    i = j + 1;
  }
  return out;
}

/** Quoted names are short and mostly capitalised ("Break My Soul"); quoted speech is a sentence. */
function isTitleLike(inner: string): boolean {
  const words = inner.trim().split(/\s+/);
  if (words.length > 8 || /[,.!?;:]$/.test(inner.trim())) return false;
  const content = words.filter((w) => !/^(a|an|the|of|in|on|at|to|for|and|or|my|me|is|be|it)$/i.test(w));
  return content.length > 0 && content.filter((w) => /^[\p{Lu}\p{N}]/u.test(w)).length / content.length >= 0.6;
}

// Titles and roles before a name: "Foreign Minister Sergey Lavrov" answers "who" as "Sergey Lavrov".
const TITLES = new Set(
  `president vice prime minister foreign finance defense defence interior secretary sen senator rep representative
  gov governor mayor dr judge justice chancellor king queen pope ceo chief director coach general gen lt col sgt
  mr mrs ms former democratic republican chairman chairwoman chair speaker leader officer executive founder star
  actor actress singer rapper author commissioner attorney prosecutor sheriff police head`.split(/\s+/),
);

/** Characters of leading titles to drop from a name of three or more words. */
function stripTitles(name: string): number {
  const words = [...name.matchAll(/\S+/g)];
  let k = 0;
  while (k < words.length - 2 && TITLES.has(words[k]![0].toLowerCase().replace(/\.$/, ''))) k++;
  if (k === 0) {
    // A nationality before a titled name: "Russian Foreign Minister …".
    if (words.length >= 4 && /(?:an|ese|ish|i)$/i.test(words[0]![0]) && TITLES.has(words[1]![0].toLowerCase())) {
      k = 1;
      while (k < words.length - 2 && TITLES.has(words[k]![0].toLowerCase().replace(/\.$/, ''))) k++;
    } else return 0;
  }
  return words[k]!.index!;
}

function isCapitalised(word: string): boolean {
  return /^\p{Lu}/u.test(word);
}

/** Adds person / place / organisation kinds to proper-name spans, from compromise's tagger. */
function typeNames(sentence: string, spans: Span[]): void {
  const names = spans.filter((s) => s.kinds.has('proper'));
  if (names.length === 0) return;
  const doc = nlp(sentence);
  const mark = (view: { json(o: object): unknown }, kind: CandidateKind) => {
    for (const m of view.json({ offset: true }) as Array<{ offset: { start: number; length: number } }>) {
      const s = m.offset.start;
      const e = s + m.offset.length;
      for (const n of names) if (s < n.end && e > n.start) n.kinds.add(kind);
    }
  };
  mark(doc.people(), 'person');
  mark(doc.places(), 'place');
  mark(doc.organizations(), 'organization');
  // A capitalised word the tagger does not read as a name ("Category 1", "Breaking") is no name.
  const proper: Array<[number, number]> = [];
  for (const m of doc.match('(#ProperNoun|#Person|#Place|#Organization|#Acronym)').json({ offset: true }) as Array<{
    offset: { start: number; length: number };
  }>) {
    proper.push([m.offset.start, m.offset.start + m.offset.length]);
  }
  for (const n of names) {
    if (n.kinds.size === 1 && !proper.some(([s, e]) => s < n.end && e > n.start)) n.kinds = new Set(['common' as CandidateKind]);
  }
}

const untagged = new WeakMap<object, Candidate[]>();
/**
 * `extractCandidates(s.text, false)` once per sentence object: the direct-answer ranking and the
 * sentence model both read a sentence's candidates, on the path of every question.
 */
export function patternCandidates(s: { readonly text: string }): Candidate[] {
  let out = untagged.get(s);
  if (!out) {
    out = extractCandidates(s.text, false);
    untagged.set(s, out);
  }
  return out;
}
