/**
 * What kind of thing a question asks for, from its wording, and whether a sentence offers such a
 * thing that the question does not already contain. Answers are new information: a sentence that
 * names a person, place, number or year the question lacks is likelier to answer it.
 */
export type AnswerType = 'number' | 'year' | 'entity' | 'any';

export function answerTypeOf(question: string): AnswerType {
  const q = question.toLowerCase();
  if (/\b(what|which) year\b|\bin what year\b/.test(q)) return 'year';
  if (/\bhow (many|much|long|old|far|tall)\b|\bwhat (percentage|percent|number|share|amount)\b/.test(q)) return 'number';
  if (/\bwho\b|\bwhich (country|countries|city|state|company|companies|team|person|nation|president|organization|agency|party|leader|network|airline|university|brand|player|celebrity|singer|actor|actress|band|group|film|movie|show|book|app|platform)\b|\bwhere\b|\bwhat (country|city|state|company|team|name)\b/.test(q)) {
    return 'entity';
  }
  return 'any';
}

const YEAR = /\b(1[89]\d\d|20\d\d)\b/g;
const NUMBER = /\b\d[\d,.]*\b|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|hundred|thousand|million|billion|trillion)\b/gi;
// Capitalised words not at a sentence start: a cheap stand-in for named entities.
const ENTITY = /(?<=\s)[A-Z][\p{L}'’-]+(?:\s+[A-Z][\p{L}'’-]+)*/gu;

/** Items of the wanted kind in `sentence` that the question does not mention. */
export function novelAnswers(sentence: string, question: string, type: AnswerType): number {
  const q = question.toLowerCase();
  const fresh = (xs: string[]) => xs.filter((x) => !q.includes(x.toLowerCase())).length;
  const years = fresh(sentence.match(YEAR) ?? []);
  const numbers = fresh(sentence.match(NUMBER) ?? []);
  const entities = fresh(sentence.match(ENTITY) ?? []);
  switch (type) {
    case 'year':
      return years;
    case 'number':
      return numbers;
    case 'entity':
      return entities;
    default:
      return Math.min(1, entities + numbers);
  }
}
