/** Spawns the real `bin/newsdesk.js`, as a user would, with a clean environment. */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './test-core.ts';

export const BIN = path.join(REPO_ROOT, 'bin/newsdesk.js');

export interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

export interface CliOptions {
  dataDir?: string;
  input?: string;
  cwd?: string;
  env?: Record<string, string>;
}

function childEnv(opts: CliOptions): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR, // the run's temporary root (test/helpers/temp-root.ts)
    ...(opts.dataDir ? { NEWSDESK_DATA_DIR: opts.dataDir } : {}),
    ...opts.env,
  };
}

export function runCli(args: string[], opts: CliOptions = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
    env: childEnv(opts),
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A long-running command (start, poll): resolves when it exits; `stop()` sends SIGTERM. */
export function spawnCli(args: string[], opts: CliOptions = {}) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? REPO_ROOT, env: childEnv(opts), stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  if (opts.input !== undefined) child.stdin.end(opts.input);
  const exited = new Promise<CliRun>((resolve) => child.on('close', (code) => resolve({ code, out, err })));
  return {
    exited,
    get out() {
      return out;
    },
    get err() {
      return err;
    },
    /** Resolves once stdout matches (or rejects when the process exits first). */
    async waitFor(re: RegExp): Promise<void> {
      while (!re.test(out)) {
        const done = await Promise.race([exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 50))]);
        if (done && !re.test(out)) throw new Error(`exited before ${re}: ${out}\n${err}`);
      }
    },
    stop(): Promise<CliRun> {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Like `runCli`, without blocking the event loop: needed when the test process also serves HTTP (loopback servers, the fake Discord). */
export function runCliAsync(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  return spawnCli(args, { ...opts, input: opts.input ?? '' }).exited;
}
