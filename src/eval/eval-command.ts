import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { resolveConfigs } from './configs.ts';
import { formatMarkdown } from './report.ts';
import { runEval } from './run-eval.ts';

/**
 * `newsdesk eval --corpus FILE --questions FILE [--k 5] [--limit N] [--config NAME,…] [--json] [--out DIR]`
 * (also `--shift-days N` to ask every question N days from its week, `--keep-data`, `--reuse-data DIR` to score again on a kept store without re-ingesting, `--quiet`).
 * Markdown table (or, with --json, one JSON object) on stdout; progress on stderr.
 */
export async function evalCommand(args: string[], config: Config, logger: Logger): Promise<number> {
  const { values } = parseArgs({
    args: joinNegativeValues(args, ['--shift-days']),
    options: {
      corpus: { type: 'string' },
      questions: { type: 'string' },
      k: { type: 'string', default: '5' },
      limit: { type: 'string' },
      config: { type: 'string' },
      json: { type: 'boolean' },
      out: { type: 'string' },
      'keep-data': { type: 'boolean' },
      'reuse-data': { type: 'string' },
      'shift-days': { type: 'string' },
      quiet: { type: 'boolean' },
    },
  });
  if (!values.corpus || !values.questions) {
    throw new UserError('bad-input', 'eval needs --corpus FILE (JSONL articles) and --questions FILE (JSONL questions).');
  }
  const k = Number(values.k);
  if (!Number.isInteger(k) || k < 1 || k > 10) throw new UserError('bad-input', '--k takes a whole number from 1 to 10.');
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new UserError('bad-input', '--limit takes a positive whole number.');
  const configs = resolveConfigs(values.config);
  const shiftDays = values['shift-days'] === undefined ? 0 : Number(values['shift-days']);
  if (!Number.isInteger(shiftDays)) throw new UserError('bad-input', '--shift-days takes a whole number of days, e.g. -90.');
  if (values['reuse-data']) requireEvalStore(values['reuse-data']);
  for (const f of [values.corpus, values.questions]) {
    if (!fs.existsSync(f)) throw new UserError('not-found', `No such file: ${f}`);
  }

  const progress = values.quiet ? undefined : (line: string) => process.stderr.write(`[eval] ${line}\n`);
  const { report, results, dataDir } = await runEval({
    corpus: path.resolve(values.corpus),
    questions: path.resolve(values.questions),
    configs,
    k,
    limit,
    config,
    logger,
    keepData: values['keep-data'],
    reuseDataDir: values['reuse-data'] ? path.resolve(values['reuse-data']) : undefined,
    shiftDays,
    progress,
  });
  const markdown = formatMarkdown(report);
  if (values.out) {
    fs.mkdirSync(values.out, { recursive: true });
    fs.writeFileSync(path.join(values.out, 'report.json'), JSON.stringify(report, null, 2) + '\n');
    fs.writeFileSync(path.join(values.out, 'report.md'), markdown);
    fs.writeFileSync(path.join(values.out, 'questions.jsonl'), results.map((r) => JSON.stringify(r)).join('\n') + '\n');
    progress?.(`wrote report.json, report.md and questions.jsonl to ${values.out}`);
  }
  if (values['keep-data']) progress?.(`data kept in ${dataDir}`);
  process.stdout.write(values.json ? JSON.stringify(report) + '\n' : markdown);
  return 0;
}

/** A `--reuse-data` directory must hold a store that `eval --keep-data` built. */
export function requireEvalStore(dir: string): void {
  if (!fs.existsSync(path.join(dir, 'newsdesk.db'))) {
    throw new UserError('not-found', `--reuse-data ${dir} holds no Newsdesk store (build one with "newsdesk eval --keep-data").`);
  }
}

/** `--shift-days -90` is ambiguous to parseArgs (the value looks like an option): read it as `--shift-days=-90`. */
function joinNegativeValues(args: string[], names: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = args[i + 1];
    if (names.includes(a) && next !== undefined && /^-\d+$/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}
