import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, SEED_QUESTION, tempDir } from '../helpers/test-core.ts';

const BIN = path.join(REPO_ROOT, 'bin/newsdesk.js');

function run(args: string[], opts: { dataDir: string; input?: string; env?: Record<string, string> }) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NEWSDESK_DATA_DIR: opts.dataDir,
      NEWSDESK_LOG_LEVEL: 'warn',
      ...opts.env,
    },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('newsdesk CLI', () => {
  it('ingests the seed and answers with the ask --json contract', () => {
    const dataDir = tempDir();
    const ingest = run(['ingest', 'data/seed/'], { dataDir });
    expect(ingest.code, ingest.err).toBe(0);
    expect(ingest.out).toMatch(/1 added/);

    const r = run(['ask', '--json', '--k', '3', SEED_QUESTION], { dataDir });
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['question', 'answer', 'citations', 'grounded', 'timings_ms', 'passages']));
    expect(json.question).toBe(SEED_QUESTION);
    expect(json.grounded).toBe(true);
    expect(json.citations[0]).toEqual({
      n: 1,
      title: expect.stringMatching(/Russia expresses openness/),
      url: null,
      source: 'MENAFN',
      published: '2024-11-07',
      quote: expect.any(String),
      article_id: expect.any(Number),
    });
    expect(typeof json.timings_ms.retrieve).toBe('number');
    expect(typeof json.timings_ms.answer).toBe('number');
    expect(json.passages[0]).toEqual(
      expect.objectContaining({ n: 1, article_id: expect.any(Number), title: expect.any(String), text: expect.any(String), score: expect.any(Number) }),
    );

    const stats = run(['stats', '--json'], { dataDir });
    const s = JSON.parse(stats.out);
    expect(s).toEqual({
      sources: 1,
      articles: 1,
      chunks: expect.any(Number),
      index: { vectors: s.chunks, embedder: expect.stringMatching(/^local/), dim: 384 },
      data_dir: dataDir,
    });
  });

  it('fails clearly with a non-zero exit on bad input', () => {
    const dataDir = tempDir();
    const empty = run(['ask', ''], { dataDir });
    expect(empty.code).toBe(1);
    expect(empty.err).toMatch(/question is empty/);

    const csv = path.join(tempDir(), 'table.csv');
    fs.writeFileSync(csv, 'a,b\n');
    const bad = run(['ingest', csv], { dataDir });
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/Unsupported file type/);

    const missing = run(['ingest', '/nonexistent/file.txt'], { dataDir });
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/No such file/);

    const unknown = run(['frobnicate'], { dataDir });
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown command/);

    const badConfig = run(['stats'], { dataDir, env: { NEWSDESK_EMBEDDER: 'magic' } });
    expect(badConfig.code).toBe(2);
    expect(badConfig.err).toMatch(/NEWSDESK_EMBEDDER/);
  });

  it('npm start without a Discord token seeds an empty store once and answers piped questions', () => {
    const dataDir = tempDir();
    const r = run(['start'], { dataDir, input: `${SEED_QUESTION}\n` });
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/demo source #1/);
    expect(r.err).toMatch(/DISCORD_TOKEN/);
    expect(r.out).toMatch(/ambassador/i);
    expect(r.out).toMatch(/\[1\] Russia expresses openness.*MENAFN, 2024-11-07/);
    // Once: a second start does not touch a store that has articles.
    const again = run(['start'], { dataDir, input: '' });
    expect(again.code).toBe(0);
    expect(again.err).not.toMatch(/demo source/);
    expect(again.err).toMatch(/\(1 article\)/);
  });
});
