import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/logger.ts';
import { evalCommand } from '../../src/eval/eval-command.ts';
import type { EvalReport, QuestionResult } from '../../src/eval/report.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/eval/', import.meta.url));
const CORPUS = path.join(FIXTURES, 'corpus.jsonl');
const QUESTIONS = path.join(FIXTURES, 'questions.jsonl');

describe('newsdesk eval on the fixture corpus (20-question slice)', () => {
  let out: string;
  let report: EvalReport;
  let stdoutJson: EvalReport;
  let results: QuestionResult[];
  let code: number;

  beforeAll(async () => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-eval-test-'));
    const config = loadConfig({ NEWSDESK_DATA_DIR: path.join(out, 'unused'), NEWSDESK_LOG_LEVEL: 'silent' });
    const writes: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      code = await evalCommand(['--corpus', CORPUS, '--questions', QUESTIONS, '--limit', '20', '--json', '--out', out, '--quiet'], config, silentLogger);
    } finally {
      spy.mockRestore();
    }
    stdoutJson = JSON.parse(writes.join(''));
    report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
    results = fs
      .readFileSync(path.join(out, 'questions.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
  }, 60_000);

  afterAll(() => {
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('prints one JSON object with every default config in the documented shape', () => {
    expect(code).toBe(0);
    expect(stdoutJson).toEqual(report);
    expect(Object.keys(report.configs)).toEqual(['bm25', 'dense', 'langchain-baseline', 'newsdesk']);
    for (const s of Object.values(report.configs)) {
      expect(s.n).toBe(20);
      expect(Object.keys(s.answer_recall)).toEqual(['1', '3', '5', '10']);
      const r = s.answer_recall;
      expect(r['1']).toBeLessThanOrEqual(r['3']);
      expect(r['3']).toBeLessThanOrEqual(r['5']);
      expect(r['5']).toBeLessThanOrEqual(r['10']);
      expect(r['10']).toBeLessThanOrEqual(1);
      expect(s.mrr10).toBeGreaterThanOrEqual(r['1']);
      expect(s.mrr10).toBeLessThanOrEqual(r['10']);
      for (const x of [s.containment, s.abstain]) expect(x).toBeGreaterThanOrEqual(0);
      expect(s.latency_ms.retrieve.p95).toBeGreaterThanOrEqual(s.latency_ms.retrieve.p50);
      expect(s.answerable.n).toBe(report.answerable_n);
    }
    expect(report.ingest).toMatchObject({ added: 31, skipped: 0 });
    expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8')).toContain('| newsdesk |');
  });

  it('counts as answerable only questions whose answer was published by their week', () => {
    // fxq_08 asks on 2031-03-07 about a coach appointed on 2031-03-18.
    expect(report.answerable_n).toBe(19);
    expect(results.find((r) => r.id === 'fxq_08' && r.config === 'newsdesk')!.answerable).toBe(false);
  });

  it('finds most answers, at least as well as bm25, with valid citations', () => {
    const nd = report.configs.newsdesk!;
    expect(nd.answer_recall['5']).toBeGreaterThanOrEqual(0.8);
    expect(nd.answer_recall['5']).toBeGreaterThanOrEqual(report.configs.bm25!.answer_recall['5']);
    expect(nd.citation_validity).toBe(1);
    expect(report.configs.bm25!.citation_validity).toBe(1);
    expect(nd.containment).toBeGreaterThan(0.5);
    expect(nd.gold_article_recall).not.toBeNull();
  });

  it('never retrieves an article published after the question week', () => {
    const published = new Map(
      fs
        .readFileSync(CORPUS, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { id: string; published: string })
        .map((a) => [a.id, a.published]),
    );
    expect(results).toHaveLength(80);
    for (const r of results) for (const t of r.top) expect(published.get(t.article)! <= r.week).toBe(true);
    // "the latest rate" on 2031-03-21: the 4.25% cut of 2031-03-26 did not exist yet.
    const latest = results.find((r) => r.id === 'fxq_19' && r.config === 'newsdesk')!;
    expect(latest.hit_rank).not.toBeNull();
    expect(latest.hit_rank!).toBeLessThanOrEqual(3);
    expect(latest.top.map((t) => t.article)).not.toContain('fx-30');
    expect(latest.contained).toBe(true);
  });
});

describe('newsdesk eval: reading budgets, direct answers and abstention', () => {
  async function run(args: string[]): Promise<EvalReport> {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-eval-test-'));
    try {
      const config = loadConfig({ NEWSDESK_DATA_DIR: path.join(out, 'unused'), NEWSDESK_LOG_LEVEL: 'silent' });
      const spy = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        expect(
          await evalCommand(
            ['--corpus', CORPUS, '--questions', QUESTIONS, '--config', 'bm25,newsdesk', '--json', '--out', out, '--quiet', ...args],
            config,
            silentLogger,
          ),
        ).toBe(0);
      } finally {
        spy.mockRestore();
      }
      return JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }

  it('reports budget recall, direct-answer containment, answer length and abstention on unanswerable questions', async () => {
    const report = await run([]);
    expect(report.shift_days).toBe(0);
    for (const s of Object.values(report.configs)) {
      expect(Object.keys(s.answer_recall_budget)).toEqual(['1000', '2000', '4000']);
      expect(s.answer_recall_budget['1000']).toBeLessThanOrEqual(s.answer_recall_budget['2000']);
      expect(s.answer_recall_budget['2000']).toBeLessThanOrEqual(s.answer_recall_budget['4000']);
      expect(s.direct_answer_contains).toBeGreaterThanOrEqual(0);
      expect(s.direct_answer_contains).toBeLessThanOrEqual(s.containment + 1e-9);
      expect(s.answer_chars).toBeGreaterThan(0);
      expect(s.answerable.answer_recall_budget['4000']).toBeGreaterThanOrEqual(0);
    }
    const nd = report.configs.newsdesk!;
    // fxq_08 (its answer came later), bitcoin and the Super Bowl: no visible article has the answer.
    expect(nd.unanswerable.n).toBe(3);
    expect(nd.unanswerable.abstain).toBeGreaterThanOrEqual(2 / 3);
    expect(nd.direct_answer_contains).toBeGreaterThan(0.3);
    expect(nd.answer_chars).toBeLessThanOrEqual(700);
  }, 60_000);

  it('asks every question days before its week with --shift-days, when its news did not exist yet', async () => {
    const report = await run(['--shift-days', '-60']);
    expect(report.shift_days).toBe(-60);
    const nd = report.configs.newsdesk!;
    // Only last year's cup final (2030-11-02) is visible 60 days before the fixture's weeks.
    expect(nd.unanswerable.n).toBeGreaterThanOrEqual(report.n - 2);
    // A floor, not a goal: 6 of the 25 are still answered from the one visible (old, off-topic) cup
    // report because they share its names; see the README's abstention figures.
    expect(nd.unanswerable.abstain).toBeGreaterThanOrEqual(0.7);
  }, 60_000);
});
