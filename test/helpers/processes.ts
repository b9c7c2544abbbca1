/**
 * Real `bin/newsdesk.js` processes for multi-process tests: spawned with a clean environment, their
 * output kept, waited on by what they print, and killed with SIGKILL like a crash would.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { BIN } from './run-cli.ts';
import { REPO_ROOT } from './test-core.ts';

export interface NewsdeskProcess {
  readonly name: string;
  readonly pid: number;
  readonly out: string;
  readonly err: string;
  /** Resolves once stdout or stderr (JSON log lines) matches; rejects if the process exits first or after `timeoutMs`. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
  /** Whether stderr or stdout matches now. */
  saw(re: RegExp): boolean;
  readonly exited: Promise<number | null>;
  /** SIGKILL: no clean-up runs, sockets are closed by the kernel. */
  kill9(): Promise<void>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<number | null>;
}

const running = new Set<ChildProcessWithoutNullStreams>();

export function spawnNewsdesk(name: string, args: string[], env: Record<string, string>): NewsdeskProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, ...env },
  });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  child.stdin.end();
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  let done = false;
  void exited.then(() => (done = true));
  const saw = (re: RegExp) => re.test(err) || re.test(out);
  return {
    name,
    pid: child.pid!,
    get out() {
      return out;
    },
    get err() {
      return err;
    },
    saw,
    async waitFor(re, timeoutMs = 30_000) {
      const end = Date.now() + timeoutMs;
      while (!saw(re)) {
        if (done) throw new Error(`${name} exited before ${re}:\n${out}\n${err.slice(-4000)}`);
        if (Date.now() > end) throw new Error(`${name}: no ${re} within ${timeoutMs} ms:\n${out}\n${err.slice(-4000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    exited,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!done) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Kills whatever a test left running (call in afterEach/afterAll). */
export async function killAll(): Promise<void> {
  const left = [...running];
  for (const c of left) c.kill('SIGKILL');
  await Promise.all(left.map((c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.once('close', r)))));
}
