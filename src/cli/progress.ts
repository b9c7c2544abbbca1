/**
 * A one-line progress display on stderr, drawn only when stderr is a terminal: `\r` redraws in a
 * log file or pipe are noise. The closing summary is the caller's job (it goes to stdout).
 */
export interface Progress {
  update(text: string): void;
  /** Clears the line (if one was drawn). */
  done(): void;
  /** Milliseconds since the progress started. */
  elapsedMs(): number;
}

export function createProgress(stream: NodeJS.WriteStream | { isTTY?: boolean; write(s: string): boolean }, now = () => performance.now()): Progress {
  const started = now();
  const tty = stream.isTTY === true;
  let drawn = false;
  let last = 0;
  return {
    update(text) {
      if (!tty) return;
      const t = now();
      if (drawn && t - last < 100) return; // at most 10 redraws a second
      last = t;
      drawn = true;
      stream.write(`\r\x1b[K${text}`);
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
    elapsedMs: () => now() - started,
  };
}

/** "1 article", "3 articles". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** "850 ms", "4.2 s", "3 min 05 s". */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}
