/**
 * Vitest global setup: every temporary dir a test (or a CLI it spawns) makes goes under one root,
 * removed when the run ends, so `npm test` leaves nothing behind in /tmp.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-tests-'));
  // os.tmpdir() reads TMPDIR; forked test workers inherit it.
  process.env.TMPDIR = root;
  return () => fs.rmSync(root, { recursive: true, force: true });
}
