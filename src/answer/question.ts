import { analyze, analyzeUnique } from '../text/analyzer.ts';
import type { CandidateKind } from './candidates.ts';

/** What a question asks for, as the kinds of candidate that can answer it, best first. */
export type AnswerType = 'person' | 'place' | 'organization' | 'title' | 'entity' | 'number' | 'money' | 'percent' | 'year' | 'date' | 'duration' | 'any';

/** Everything the answerer needs to know about a question, computed once. */
export interface QuestionAnalysis {
  text: string;
  /** Distinct analysed terms. */
  terms: string[];
  /** Analysed terms in order (for phrase matching). */
  sequence: string[];
  type: AnswerType;
  /** Analysed terms of the names, numbers and quoted phrases the question contains: its key content. */
  keyTerms: string[];
  /** "this week", "today", "latest", "now"…: the asker wants the newest news. */
  wantsRecent: boolean;
}

const PERSON_NOUNS =
  'person|man|woman|people|player|star|actor|actress|singer|rapper|musician|artist|author|writer|director|comedian|host|celebrity|athlete|coach|quarterback|golfer|boxer|leader|president|senator|governor|mayor|minister|politician|lawmaker|judge|justice|ceo|executive|founder|billionaire|member|royal|prince|princess|king|queen|pope|candidate|official|journalist|anchor|chef|designer|astronaut|scientist|tennis star|nfl star|nba star';
const PLACE_NOUNS =
  'country|countries|nation|city|cities|state|states|continent|region|province|county|town|island|islands|capital|park|national park|river|lake|mountain|ocean|sea|border|neighborhood|venue|airport|location|place';
const ORG_NOUNS =
  'company|companies|firm|automaker|carmaker|airline|retailer|brand|bank|network|broadcaster|team|club|franchise|league|university|college|school|agency|organization|organisation|group|party|union|government|department|court|chain|restaurant|store|manufacturer|maker|platform|app|website|site|service|outlet|newspaper|magazine|studio|label|charity|church|institute|committee|council';
const TITLE_NOUNS =
  'show|series|film|movie|song|album|book|novel|play|musical|game|video game|podcast|program|programme|documentary|hit|single|title|word|phrase|term|slogan|name|nickname';

const RECENT =
  /\b(latest|most recent|recent|recently|newest|this week|this weekend|this month|today|tonight|yesterday|right now|now|current|currently|so far|just)\b/i;

/** Reads the type of answer, the key content and the time cue off a question's wording. */
export function analyzeQuestion(question: string): QuestionAnalysis {
  return {
    text: question,
    terms: analyzeUnique(question),
    sequence: analyze(question),
    type: answerTypeOf(question),
    keyTerms: keyTermsOf(question),
    wantsRecent: RECENT.test(question),
  };
}

export function answerTypeOf(question: string): AnswerType {
  const q = question.toLowerCase().replace(/[’]/g, "'");
  const which = (nouns: string) => new RegExp(`\\b(which|what|whose)\\s+(?:[\\w-]+\\s+){0,3}?(${nouns})\\b`).test(q);
  if (/\b(what|which) year\b|\bin what year\b|\bsince when\b|\bsince:?\s*$/.test(q)) return 'year';
  if (
    /\bhow much\b.*\b(cost|pay|paid|spend|spent|worth|price|raise|raised|fine|fined|sell|sold|earn|earned|charge|salary|money|dollars|bid|offer)\b|\bhow much money\b|\bwhat (is|was) the (price|cost)\b/.test(
      q,
    )
  )
    return 'money';
  if (/\bwhat (percentage|percent|share)\b|\bhow many percent\b|\bby how much\b.*\b(rate|inflation)\b/.test(q)) return 'percent';
  if (/\bhow long\b|\bafter how many (years|months|weeks|days)\b|\bhow many (years|months|weeks|days|hours|minutes|seconds)\b/.test(q)) return 'duration';
  if (
    /\bhow (many|much|old|far|tall|high|fast|big|large|deep)\b|\bwhat (number|amount|age|temperature|magnitude|size|score|speed|height|rate)\b|\bwhat was the (final )?score\b/.test(
      q,
    )
  ) {
    return 'number';
  }
  if (/\bwhen\b|\bwhat (date|day|month)\b|\bfrom when\b|\bby when\b/.test(q)) return 'date';
  if (/\bwho(m|se)?\b/.test(q) || which(PERSON_NOUNS)) return 'person';
  if (/\bwhere\b/.test(q) || which(PLACE_NOUNS)) return 'place';
  if (/\bage group\b|\bwhat type\b|\bwhat kind\b/.test(q)) return 'any';
  if (which(ORG_NOUNS)) return 'organization';
  if (which(TITLE_NOUNS) || /\b(titled|called|named|dubbed|nicknamed)\b[^?]*[:?]?\s*$/.test(q) || /\bwhat('s| is| was) (it|the name)\b/.test(q)) return 'title';
  if (/\bwhich\b|\bwhat\s+\w+\s+(is|was|has|have|will|did)\b/.test(q)) return 'entity';
  return 'any';
}

/** How well a candidate of these kinds answers a question of this type (0: not at all). */
export function typeFit(type: AnswerType, kinds: ReadonlySet<CandidateKind>): number {
  const w = FIT[type];
  let best = 0;
  for (const k of kinds) best = Math.max(best, w[k] ?? 0);
  return best;
}

const NAMES = { person: 0.8, place: 0.8, organization: 0.8, proper: 0.7, title: 0.8 } as const;
// 'any' (a what-question with no noun class) has no fit: a name is as likely wrong as right there,
// so such questions get the sentence answer.
const FIT: Record<AnswerType, Partial<Record<CandidateKind, number>>> = {
  person: { person: 1, proper: 0.5, organization: 0.2, title: 0.2 },
  place: { place: 1, proper: 0.4, organization: 0.2 },
  organization: { organization: 1, proper: 0.7, place: 0.3, title: 0.3, person: 0.2 },
  title: { title: 1, proper: 0.6, organization: 0.3, person: 0.2, place: 0.2 },
  entity: { ...NAMES },
  number: { number: 1, money: 0.8, percent: 0.8, duration: 0.8, year: 0.2 },
  money: { money: 1, number: 0.5 },
  percent: { percent: 1, number: 0.5 },
  year: { year: 1, date: 0.3 },
  date: { date: 1, year: 0.6, duration: 0.2 },
  duration: { duration: 1, number: 0.6, year: 0.2 },
  any: {},
};

// Sentence-initial question words are capitalised but carry no content.
const QUESTION_WORDS = new Set([
  'what',
  'which',
  'who',
  'whom',
  'whose',
  'where',
  'when',
  'why',
  'how',
  'is',
  'are',
  'was',
  'were',
  'did',
  'does',
  'do',
  'in',
  'on',
  'the',
  'a',
  'an',
  'after',
  'according',
  'as',
  'this',
  'last',
  'for',
  'at',
  'to',
  'of',
]);

/**
 * The question's key content: analysed terms of its capitalised names (not the first word when it is
 * a question word), its numbers and its quoted phrases. An answer must be about these.
 */
export function keyTermsOf(question: string): string[] {
  const out = new Set<string>();
  for (const m of question.matchAll(/[“"‘]([^”"’]{2,80})[”"’]/g)) for (const t of analyze(m[1]!)) out.add(t);
  const words = [...question.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu)];
  words.forEach((m, i) => {
    const w = m[0];
    const capitalised = /^\p{Lu}/u.test(w);
    const digit = /^\d/.test(w);
    if (!capitalised && !digit) return;
    if (capitalised && i === 0 && QUESTION_WORDS.has(w.toLowerCase())) return;
    if (capitalised && QUESTION_WORDS.has(w.toLowerCase()) && isSentenceStart(question, m.index!)) return;
    for (const t of analyze(w)) out.add(t);
  });
  return [...out];
}

function isSentenceStart(text: string, at: number): boolean {
  return /(^|[.?!:]\s+)$/.test(text.slice(0, at));
}
