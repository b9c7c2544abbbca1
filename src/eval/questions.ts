import fs from 'node:fs';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { UserError } from '../errors.ts';

/**
 * One eval question, in the RealTime QA format. Only `question` and `week` reach the system under
 * test; `answer` and `gold_ids` are for scoring. `choices`, `evidence_text` and `retrieved_ids` are
 * deliberately not read at all, so they cannot leak into a run.
 */
export interface EvalQuestion {
  id: string;
  /** YYYY-MM-DD: the day the quiz was posted; the question is asked "as of" this day. */
  week: string;
  question: string;
  answer: string;
  answerKind: string;
  goldIds: string[];
}

/** Lines of a .jsonl or .jsonl.gz file, parsed; a bad line is an error that names the line. */
export async function* readJsonl(file: string): AsyncGenerator<{ line: number; value: unknown }> {
  if (!fs.existsSync(file)) throw new UserError('not-found', `No such file: ${file}`);
  const input = file.toLowerCase().endsWith('.gz') ? fs.createReadStream(file).pipe(zlib.createGunzip()) : fs.createReadStream(file, 'utf8');
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const raw of lines) {
    n++;
    if (!raw.trim()) continue;
    try {
      yield { line: n, value: JSON.parse(raw) };
    } catch (err) {
      throw new UserError('bad-input', `${file}:${n} is not valid JSON`, { cause: err });
    }
  }
}

export async function loadQuestions(file: string, limit?: number): Promise<EvalQuestion[]> {
  const out: EvalQuestion[] = [];
  for await (const { line, value } of readJsonl(file)) {
    if (limit !== undefined && out.length >= limit) break;
    const o = (value ?? {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
    const week = str(o.week) || str(o.question_date);
    if (!str(o.question) || !str(o.answer) || !/^\d{4}-\d{2}-\d{2}$/.test(week)) {
      throw new UserError('bad-input', `${file}:${line}: a question needs "question", "answer" and "week" (YYYY-MM-DD)`);
    }
    out.push({
      id: str(o.id) || `line-${line}`,
      week,
      question: str(o.question),
      answer: str(o.answer),
      answerKind: str(o.answer_kind) || 'text',
      goldIds: Array.isArray(o.gold_ids) ? o.gold_ids.filter((g): g is string => typeof g === 'string') : [],
    });
  }
  if (out.length === 0) throw new UserError('bad-input', `${file} holds no questions`);
  return out;
}
