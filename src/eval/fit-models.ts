import type { App } from '../app.ts';
import { UserError } from '../errors.ts';
import { coverageScore, DEFAULT_EXTRACTIVE, selectSentences, type ExtractiveOptions } from '../answer/extractive-answerer.ts';
import { readEvidence, type Evidence } from '../answer/read-evidence.ts';
import { SENTENCE_TERMS, type SentenceModel } from '../answer/sentence-model.ts';
import { containsAnswer, round } from './metrics.ts';
import type { EvalQuestion } from './questions.ts';
import { fitLogistic, predictLogit } from './logistic.ts';

/** One question as the answerer read it, with what scoring needs. */
interface Case {
  q: EvalQuestion;
  ev: Evidence;
  /** Per sentence: it contains the gold answer. */
  labels: number[];
  directRight: boolean;
}

export interface FitOptions {
  k: number;
  progress?: (line: string) => void;
}

export interface FitReport {
  sentence_model: SentenceModel;
  /** Each half of the weeks scored with a model fitted on the other half: answers chosen by the model and by the hand-set coverage score. */
  held_out: { containment_model: number; containment_coverage: number; first_model: number; first_coverage: number };
  /** The final model (fitted on every week) on the weeks it was fitted on: compare with held_out to see over-fitting. */
  in_sample: { containment_model: number };
  n: { questions: number; sentences: number };
}

const NAMES = Object.keys(SENTENCE_TERMS) as Array<keyof typeof SENTENCE_TERMS>;
const row = (f: Evidence['features'][number]) => NAMES.map((n) => SENTENCE_TERMS[n](f));

/**
 * Fits the answerer's sentence model (does this sentence contain the answer?) on an eval store. It
 * reads the evidence through the answerer's own path (`readEvidence`), so the features are the shipped
 * ones, and reports how the model chooses on weeks it was not fitted on.
 */
export async function fitSentenceModel(app: App, questions: EvalQuestion[], o: FitOptions): Promise<FitReport> {
  o.progress?.(`reading the evidence of ${questions.length} questions`);
  const cases: Case[] = [];
  for (const q of questions) {
    const passages = await app.retriever.retrieve(q.question, { k: o.k, asOf: q.week });
    const ev = readEvidence(q.question, passages, {
      idf: (t) => app.keyword.idf(t),
      asOf: q.week,
      direct: true,
      directOptions: DEFAULT_EXTRACTIVE.directOptions,
    });
    if (!ev) continue;
    const labels = ev.sentences.map((s) => (containsAnswer(s.text, q.answer) ? 1 : 0));
    cases.push({ q, ev, labels, directRight: ev.direct ? containsAnswer(ev.direct.text, q.answer) : false });
  }
  const fitOn = (train: Case[]) => {
    const X: number[][] = [];
    const y: number[] = [];
    for (const c of train) {
      c.ev.features.forEach((f, i) => {
        X.push(row(f));
        y.push(c.labels[i]!);
      });
    }
    return fitLogistic(X, y);
  };
  // Weeks alternate between the halves (in date order), so each half spans the whole period.
  const weeks = [...new Set(cases.map((c) => c.q.week))].sort();
  if (weeks.length < 2) throw new UserError('bad-input', `eval-fit needs questions from at least two weeks to hold one half out (these have ${weeks.length}).`);
  const weekIndex = new Map(weeks.map((w, i) => [w, i]));
  const half = (c: Case) => weekIndex.get(c.q.week)! % 2;
  const coverageOpts: ExtractiveOptions = { ...DEFAULT_EXTRACTIVE, selection: 'coverage' };
  const tally = { containment_model: 0, containment_coverage: 0, first_model: 0, first_coverage: 0 };
  for (const h of [0, 1]) {
    const w = fitOn(cases.filter((c) => half(c) !== h));
    for (const c of cases.filter((x) => half(x) === h)) {
      const m = choose(
        c,
        c.ev.features.map((f) => predictLogit(w, row(f))),
        DEFAULT_EXTRACTIVE,
      );
      const cov = choose(
        c,
        c.ev.sentences.map((_, i) => coverageScore(c.ev, i, coverageOpts)),
        coverageOpts,
      );
      tally.containment_model += Number(m.contains);
      tally.first_model += Number(m.first);
      tally.containment_coverage += Number(cov.contains);
      tally.first_coverage += Number(cov.first);
    }
  }
  const w = fitOn(cases);
  const n = questions.length;
  const inSample = cases.filter(
    (c) =>
      choose(
        c,
        c.ev.features.map((f) => predictLogit(w, row(f))),
        DEFAULT_EXTRACTIVE,
      ).contains,
  ).length;
  return {
    sentence_model: Object.fromEntries(
      [['bias', w[0]!], ...NAMES.map((name, j) => [name, w[j + 1]!])].map(([k, v]) => [k, Math.round((v as number) * 100) / 100]),
    ) as SentenceModel,
    held_out: {
      containment_model: round(tally.containment_model / n, 4),
      containment_coverage: round(tally.containment_coverage / n, 4),
      first_model: round(tally.first_model / n, 4),
      first_coverage: round(tally.first_coverage / n, 4),
    },
    in_sample: { containment_model: round(inSample / n, 4) },
    n: { questions: n, sentences: cases.reduce((s, c) => s + c.labels.length, 0) },
  };
}

/** What the answerer would quote under a sentence score (abstention aside): does it contain the gold answer, does its first line? */
function choose(c: Case, scores: number[], opts: ExtractiveOptions): { contains: boolean; first: boolean } {
  const sel = selectSentences(c.ev, scores, opts);
  if (!sel) return { contains: false, first: false };
  const hit = (s: { text: string }) => containsAnswer(s.text, c.q.answer);
  const first = c.ev.direct ? c.directRight : hit(sel.chosen[0]!);
  return { contains: c.directRight || sel.chosen.some(hit), first };
}
