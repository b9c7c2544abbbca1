import fs from 'node:fs';

/**
 * A lock file held by one process at a time (`wx` create, our pid inside). A lock whose process is
 * gone (a crash, SIGKILL) is taken over, so a dead writer never blocks the others.
 */
export interface FileLock {
  release(): void;
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Tries once; null when a live process holds it. */
export function tryLock(file: string): FileLock | null {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          fs.rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder = NaN;
      try {
        holder = Number(fs.readFileSync(file, 'utf8').trim());
      } catch {
        continue; // released meanwhile
      }
      // Our own pid from a previous life (pid 1 in a container) or a dead process: stale.
      if (holder !== process.pid && isAlive(holder)) return null;
      // A holder that has not written its pid yet reads as NaN: give it a moment rather than steal.
      if (Number.isNaN(holder)) return null;
      fs.rmSync(file, { force: true });
    }
  }
  return null;
}

/** Waits (polling) up to `timeoutMs` for the lock; null when it stayed taken. */
export async function acquireLock(file: string, timeoutMs: number, stepMs = 25): Promise<FileLock | null> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const lock = tryLock(file);
    if (lock) return lock;
    if (Date.now() >= end) return null;
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
