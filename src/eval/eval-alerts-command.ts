import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { UserError } from '../errors.ts';
import { evaluateAlerts, formatAlertReport, type AlertLabels } from './alert-eval.ts';

/**
 * `newsdesk eval-alerts --corpus FILE --labels FILE [--threshold X] [--json]`: precision and recall
 * of topic alerts on a labelled slice of a corpus (see the README, "Alert quality").
 */
export async function evalAlertsCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      corpus: { type: 'string' },
      labels: { type: 'string' },
      threshold: { type: 'string' },
      'lead-chars': { type: 'string' },
      'lead-credit': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (!values.corpus || !values.labels)
    throw new UserError('bad-input', 'eval-alerts needs --corpus FILE (JSONL articles) and --labels FILE (the labelled topics).');
  let labels: AlertLabels;
  try {
    labels = JSON.parse(fs.readFileSync(values.labels, 'utf8')) as AlertLabels;
  } catch (err) {
    throw new UserError('bad-input', `Cannot read the labels ${values.labels}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!labels.slice?.from || !Array.isArray(labels.topics)) throw new UserError('bad-input', `${values.labels} has no "slice" and "topics".`);
  const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
  if (threshold !== undefined && !(threshold > 0 && threshold <= 1)) throw new UserError('bad-input', '--threshold takes a number in (0, 1].');
  const num = (name: string, raw: string | undefined, ok: (x: number) => boolean) => {
    if (raw === undefined) return undefined;
    const x = Number(raw);
    if (!ok(x)) throw new UserError('bad-input', `--${name} got "${raw}", which is out of range.`);
    return x;
  };
  const tuning = {
    ...(values['lead-chars'] !== undefined ? { leadChars: num('lead-chars', values['lead-chars'], (x) => Number.isInteger(x) && x >= 50) } : {}),
    ...(values['lead-credit'] !== undefined ? { leadCredit: num('lead-credit', values['lead-credit'], (x) => x >= 0 && x <= 1) } : {}),
  };
  const report = await evaluateAlerts({ corpus: values.corpus, labels, threshold, tuning, onProgress: (m) => process.stderr.write(`${m}\n`) });
  process.stdout.write((values.json ? JSON.stringify(report) : formatAlertReport(report)) + '\n');
  return 0;
}
