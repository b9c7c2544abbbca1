import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/logger.ts';
import { runEval } from '../../src/eval/run-eval.ts';
import { resolveConfigs } from '../../src/eval/configs.ts';
import { evalFitCommand } from '../../src/eval/eval-fit-command.ts';
import type { FitReport } from '../../src/eval/fit-models.ts';
import { SENTENCE_MODEL } from '../../src/answer/sentence-model.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/eval/', import.meta.url));
const CORPUS = path.join(FIXTURES, 'corpus.jsonl');
const QUESTIONS = path.join(FIXTURES, 'questions.jsonl');

async function capture(run: () => Promise<number>): Promise<{ code: number; out: string }> {
  const writes: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  try {
    return { code: await run(), out: writes.join('') };
  } finally {
    spy.mockRestore();
  }
}

describe('newsdesk eval-fit on a kept fixture store', () => {
  let dir: string;
  const config = loadConfig({ NEWSDESK_DATA_DIR: path.join(os.tmpdir(), 'unused'), NEWSDESK_LOG_LEVEL: 'silent' });

  beforeAll(async () => {
    const kept = await runEval({ corpus: CORPUS, questions: QUESTIONS, configs: resolveConfigs('bm25'), k: 5, config, logger: silentLogger, keepData: true });
    dir = kept.dataDir;
  }, 60_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('fits every weight of the sentence model and reports held-out choices against the coverage score', async () => {
    const { code, out } = await capture(() => evalFitCommand(['--reuse-data', dir, '--questions', QUESTIONS, '--json', '--quiet'], config, silentLogger));
    expect(code).toBe(0);
    const r = JSON.parse(out) as FitReport;
    expect(Object.keys(r.sentence_model).sort()).toEqual(Object.keys(SENTENCE_MODEL).sort());
    for (const v of Object.values(r.sentence_model)) expect(Number.isFinite(v)).toBe(true);
    expect(r.n.questions).toBe(fs.readFileSync(QUESTIONS, 'utf8').trim().split('\n').length);
    expect(r.n.sentences).toBeGreaterThan(r.n.questions);
    for (const v of Object.values(r.held_out)) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    // On the fixture's questions most answers are in the retrieved passages: a working fit finds them,
    // and learns that covering the question makes a sentence likelier the answer (a zero model would not).
    expect(r.held_out.containment_model).toBeGreaterThan(0.3);
    expect(r.sentence_model.cov).toBeGreaterThan(0);
    expect(r.in_sample.containment_model).toBeGreaterThanOrEqual(r.held_out.containment_model - 0.2);
  }, 60_000);

  it('prints the weights as the line to paste, and refuses a directory without a store', async () => {
    const { out } = await capture(() => evalFitCommand(['--reuse-data', dir, '--questions', QUESTIONS, '--quiet'], config, silentLogger));
    expect(out).toMatch(/^src\/answer\/sentence-model\.ts SENTENCE_MODEL = \{"bias":/m);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-fit-empty-'));
    try {
      await expect(evalFitCommand(['--reuse-data', empty, '--questions', QUESTIONS], config, silentLogger)).rejects.toThrow(/holds no Newsdesk store/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  }, 60_000);
});
