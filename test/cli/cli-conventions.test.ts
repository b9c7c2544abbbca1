import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/main.ts';
import { REPO_ROOT, tempDir } from '../helpers/test-core.ts';
import { runCli } from '../helpers/run-cli.ts';

describe('CLI conventions', () => {
  it.each(COMMANDS.map((c) => c.name))('%s --help and -h print its usage, exit 0 and touch nothing', (name) => {
    const dataDir = path.join(tempDir(), 'data');
    for (const flag of ['--help', '-h']) {
      // A token is set so that start/deploy-commands would try to connect if they ran.
      const r = runCli([name, flag], { dataDir, env: { DISCORD_TOKEN: 'x.y.z', DISCORD_API_URL: 'http://127.0.0.1:9/api' } });
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(new RegExp(`^Usage: newsdesk ${name}`));
      expect(r.err).toBe('');
    }
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('prints the version from package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    const r = runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(`newsdesk ${pkg.version}`);
  });

  it('lists every command in the general help', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.out).toContain(`  ${c.name} `);
  });

  const usageCases: Array<[string[], RegExp]> = [
    [['ask', '--frobnicate', 'q'], /unknown option --frobnicate/],
    [['ask', '--k'], /--k needs a value/],
    [['ask', '--k', '0', 'q'], /--k takes a whole number from 1 to 50/],
    [['stats', 'extra'], /unexpected argument extra/],
    [['sources', 'refresh', 'abc'], /needs a source id.*"abc"/],
    [['sources', 'interval', '1', '1.5'], /whole number from 1 to 10080, got "1.5"/],
    [['sources', 'frob'], /unknown action "frob"/],
    [['ingest'], /nothing to ingest/],
    [['eval', '--nope'], /unknown option --nope/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ];
  it.each(usageCases)('answers the usage error in %j with exit 2 and one line, no stack trace', (args, message) => {
    const r = runCli(args, { dataDir: tempDir() });
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('makes an unknown --source id a usage error', () => {
    const dataDir = tempDir();
    expect(runCli(['ingest', 'data/seed/'], { dataDir }).code).toBe(0);
    const r = runCli(['ask', '--source', '99', 'What did Lavrov say?'], { dataDir });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--source 99: there is no source with that id/);
  });

  it('keeps stderr free of log lines by default, and logs with --verbose', () => {
    const dataDir = tempDir();
    const quiet = runCli(['ingest', 'data/seed/'], { dataDir });
    expect(quiet.code, quiet.err).toBe(0);
    expect(quiet.err).toBe('');
    expect(quiet.out).toMatch(/^Done in .*: 1 article added/m);
    const logged = runCli(['--verbose', 'start'], { dataDir: tempDir(), input: '' });
    expect(logged.code, logged.err).toBe(0);
    expect(logged.err).toMatch(/"level":"info","msg":"empty store: ingested the demo source"/);
    const env = runCli(['start'], { dataDir: tempDir(), input: '', env: { NEWSDESK_LOG_LEVEL: 'info' } });
    expect(env.err).toMatch(/"level":"info"/);
  });

  it('works with a copied .env.example unchanged, from its own directory', () => {
    const dir = tempDir();
    fs.copyFileSync(path.join(REPO_ROOT, '.env.example'), path.join(dir, '.env'));
    const r = runCli(['stats', '--json'], { cwd: dir });
    expect(r.code, r.err).toBe(0);
    // NEWSDESK_DATA_DIR=data in the .env is relative to that file.
    expect(JSON.parse(r.out).data_dir).toBe(path.join(dir, 'data'));
  });

  it('names the variable, the value and the file of a configuration error', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '.env'), 'NEWSDESK_LOCAL_DIM=12\nNEWSDESK_EMBEDDER=\nDISCORD_TOKEN=\n');
    const r = runCli(['stats'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.err).toContain(`NEWSDESK_LOCAL_DIM="12" (from ${path.join(dir, '.env')}): expected a whole number from 16 to 4096`);
    const fromEnv = runCli(['stats'], { cwd: dir, env: { NEWSDESK_POLL_INTERVAL_MIN: 'soon' } });
    expect(fromEnv.err).toMatch(/NEWSDESK_POLL_INTERVAL_MIN="soon" \(from the environment\): expected a positive number/);
  });

  it('says which data dir it uses, and names the path when it cannot open it', () => {
    const dataDir = tempDir();
    const stats = runCli(['stats'], { dataDir });
    expect(stats.out).toContain(`Data dir: ${dataDir}`);
    const file = path.join(tempDir(), 'not-a-dir');
    fs.writeFileSync(file, 'x');
    const r = runCli(['stats'], { dataDir: file });
    expect(r.code).toBe(2);
    expect(r.err).toContain(`The data dir ${file} (or a folder above it) is a file`);
    const notDb = tempDir();
    fs.writeFileSync(path.join(notDb, 'newsdesk.db'), 'this is not sqlite, just some text that is long enough'.repeat(100));
    const bad = runCli(['stats'], { dataDir: notDb });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(`${path.join(notDb, 'newsdesk.db')} is not a Newsdesk store`);
  });
});
