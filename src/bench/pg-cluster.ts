import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * A throwaway PostgreSQL cluster for `npm run bench -- --backend postgres` when NEWSDESK_DATABASE_URL
 * is not set: Debian's binaries (/usr/lib/postgresql/<v>/bin), initdb into a temp dir, a free
 * loopback port, the socket in the same dir, stopped and removed afterwards. Server settings are
 * PostgreSQL's defaults (fsync and synchronous commit on), as an operator would run it.
 * The tests' global setup (test/helpers/pg-cluster.ts) starts its cluster with the same code, `fast`.
 */
export interface BenchCluster {
  /** postgres://newsdesk@127.0.0.1:PORT/postgres (trust auth, no password). */
  adminUrl: string;
  version: string;
  /** The cluster's files (the store's size on disk). */
  dataDir: string;
  stop(): void;
}

export function findPgBin(): string | null {
  const root = '/usr/lib/postgresql';
  let versions: string[];
  try {
    versions = fs.readdirSync(root);
  } catch {
    return null;
  }
  const dirs = versions
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => path.join(root, v, 'bin'))
    .filter((d) => fs.existsSync(path.join(d, 'initdb')) && fs.existsSync(path.join(d, 'pg_ctl')));
  return dirs[0] ?? null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** initdb and the server refuse to run as root: as root, run them as the `postgres` user. */
function runAsPostgres(bin: string, args: string[]): string {
  if (process.getuid?.() !== 0) return execFileSync(bin, args, { stdio: 'pipe', encoding: 'utf8' });
  const quoted = [bin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', quoted], { stdio: 'pipe', encoding: 'utf8' });
}

export async function startBenchCluster(): Promise<BenchCluster> {
  const bin = findPgBin();
  if (!bin) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql: set NEWSDESK_DATABASE_URL, or apt-get install postgresql');
  return startThrowawayCluster(bin, { fast: false, prefix: 'newsdesk-bench-pg-' });
}

/**
 * initdb into a temp dir under /tmp, start on a free loopback port (socket in the same dir), trust
 * auth for user newsdesk. `fast` (tests): fsync off and a larger connection limit — a throwaway
 * cluster need not survive a power cut; the bench keeps PostgreSQL's defaults.
 */
export async function startThrowawayCluster(bin: string, opts: { fast: boolean; prefix: string }): Promise<BenchCluster> {
  // /tmp, not a private temp root: the server runs as the postgres user.
  const dir = fs.mkdtempSync(path.join('/tmp', opts.prefix));
  const data = path.join(dir, 'data');
  fs.mkdirSync(data);
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    fs.chownSync(dir, uid, gid);
    fs.chownSync(data, uid, gid);
  }
  const port = await freePort();
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    runAsPostgres(path.join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      'newsdesk',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C.UTF-8',
      ...(opts.fast ? ['--no-sync'] : []),
    ]);
    runAsPostgres(path.join(bin, 'pg_ctl'), [
      '-D',
      data,
      '-l',
      path.join(dir, 'server.log'),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${opts.fast ? ' -c fsync=off -c max_connections=200' : ''}`,
      '-w',
      'start',
    ]);
  } catch (err) {
    const logFile = path.join(dir, 'server.log');
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
    remove();
    const stderr = (err as { stderr?: Buffer | string }).stderr?.toString() ?? '';
    throw new Error(`could not start a throwaway PostgreSQL cluster with ${bin}: ${(err as Error).message}\n${stderr}\n${log}`);
  }
  const version = runAsPostgres(path.join(bin, 'pg_ctl'), ['--version']).trim();
  return {
    adminUrl: `postgres://newsdesk@127.0.0.1:${port}/postgres`,
    version,
    dataDir: data,
    stop() {
      try {
        runAsPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        remove();
      }
    },
  };
}
