import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { openApp } from '../app.ts';
import { loadQuestions } from './questions.ts';
import { fitSentenceModel } from './fit-models.ts';
import { requireEvalStore } from './eval-command.ts';

/**
 * `newsdesk eval-fit --reuse-data DIR --questions FILE [--k 5] [--json]`: fits the answerer's sentence
 * model on a store `eval --keep-data` built, and prints its weights (for src/answer/sentence-model.ts)
 * with held-out figures.
 */
export async function evalFitCommand(args: string[], config: Config, logger: Logger): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'reuse-data': { type: 'string' },
      questions: { type: 'string' },
      k: { type: 'string', default: '5' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean' },
    },
  });
  const dir = values['reuse-data'];
  if (!dir || !values.questions)
    throw new UserError('bad-input', 'eval-fit needs --reuse-data DIR (a store built by "newsdesk eval --keep-data") and --questions FILE.');
  requireEvalStore(dir);
  if (!fs.existsSync(values.questions)) throw new UserError('not-found', `No such file: ${values.questions}`);
  const k = Number(values.k);
  if (!Number.isInteger(k) || k < 1 || k > 10) throw new UserError('bad-input', '--k takes a whole number from 1 to 10.');

  const progress = values.quiet ? undefined : (line: string) => process.stderr.write(`[eval-fit] ${line}\n`);
  const app = await openApp({ ...config, dataDir: path.resolve(dir) }, { logger });
  try {
    app.warmUp();
    const report = await fitSentenceModel(app, await loadQuestions(values.questions), { k, progress });
    if (values.json) process.stdout.write(JSON.stringify(report) + '\n');
    else {
      const h = report.held_out;
      const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
      process.stdout.write(
        [
          `Held out (each half of the weeks scored with a model fitted on the other half), ${report.n.questions} questions, ${report.n.sentences} sentences:`,
          `  the answer contains the gold answer: ${pct(h.containment_model)} (hand-set coverage score: ${pct(h.containment_coverage)})`,
          `  its first line does: ${pct(h.first_model)} (coverage score: ${pct(h.first_coverage)})`,
          `In sample (the printed model, on the weeks it was fitted on): the answer contains it: ${pct(report.in_sample.containment_model)}`,
          '',
          `src/answer/sentence-model.ts SENTENCE_MODEL = ${JSON.stringify(report.sentence_model)}`,
          '',
        ].join('\n'),
      );
    }
    return 0;
  } finally {
    await app.close();
  }
}
