import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The on-disk side of `HnswVectorIndex`: file names, the meta record, stale temp files, fsync and
 * the fingerprint that ties a meta file to the exact index file it was written with.
 */

export const INDEX_FILE = 'vectors.hnsw';
export const META_FILE = 'vectors.json';
const META_FORMAT = 1;

/** `vectors.json`: written last, so a complete meta implies the index file beside it is complete. */
export interface IndexMeta {
  format: number;
  embedderId: string;
  dim: number;
  space: 'cosine';
  /** hnswlib element count (live + marked-deleted), checked after load. */
  count: number;
  /** Live vectors at save time (for humans and logs). */
  live: number;
  /** Labels marked deleted: hnswlib-node cannot tell whether a label is deleted, so they are kept here. */
  deleted: number[];
  /** Byte size of vectors.hnsw and a hash of its size, head and tail: a crash between the two renames
   * pairs a new index with an old meta, and this catches it. */
  indexBytes: number;
  fingerprint: string;
  savedAt: string;
}

export type MetaRead = { kind: 'none' } | { kind: 'unusable'; reason: string } | { kind: 'ok'; meta: IndexMeta };

export function readMeta(dir: string): MetaRead {
  const file = path.join(dir, META_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    return { kind: 'unusable', reason: `cannot read ${META_FILE}: ${(err as Error).message}` };
  }
  try {
    const m = JSON.parse(text) as Partial<IndexMeta>;
    const ok =
      m.format === META_FORMAT &&
      typeof m.embedderId === 'string' &&
      typeof m.dim === 'number' &&
      m.space === 'cosine' &&
      typeof m.count === 'number' &&
      Array.isArray(m.deleted) &&
      typeof m.indexBytes === 'number' &&
      typeof m.fingerprint === 'string';
    return ok ? { kind: 'ok', meta: m as IndexMeta } : { kind: 'unusable', reason: `${META_FILE} has an unknown format` };
  } catch {
    return { kind: 'unusable', reason: `${META_FILE} is not valid JSON` };
  }
}

export function newMeta(fields: Omit<IndexMeta, 'format' | 'space' | 'savedAt'>): IndexMeta {
  return { format: META_FORMAT, space: 'cosine', ...fields, savedAt: new Date().toISOString() };
}

const FINGERPRINT_SPAN = 64 * 1024; // 64 KiB from each end: the header and the last elements' data

/** sha256 over the file's size, first and last 64 KiB — cheap even for a 200 MB index. */
export function fingerprintFile(file: string): { bytes: number; fingerprint: string } {
  const fd = fs.openSync(file, 'r');
  try {
    const bytes = fs.fstatSync(fd).size;
    const hash = createHash('sha256').update(String(bytes));
    const head = Buffer.alloc(Math.min(FINGERPRINT_SPAN, bytes));
    fs.readSync(fd, head, 0, head.length, 0);
    hash.update(head);
    if (bytes > FINGERPRINT_SPAN) {
      const tail = Buffer.alloc(Math.min(FINGERPRINT_SPAN, bytes - FINGERPRINT_SPAN));
      fs.readSync(fd, tail, 0, tail.length, bytes - tail.length);
      hash.update(tail);
    }
    return { bytes, fingerprint: hash.digest('hex').slice(0, 32) };
  } finally {
    fs.closeSync(fd);
  }
}

export function fsyncPath(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** fsync a directory so renames in it survive a power cut; not supported everywhere, so best effort. */
export function fsyncDir(dir: string): void {
  try {
    fsyncPath(dir);
  } catch {
    // Windows and some file systems refuse to open or fsync a directory.
  }
}

export function tempName(file: string): string {
  return `${file}.tmp-${process.pid}`;
}

/** Temp files of saves in progress in this process: never cleaned from under a live save. */
export const activeTemps = new Set<string>();

const TEMP_RE = /^vectors\.(?:hnsw|json)\.tmp-(\d+)$/; // tempName() of INDEX_FILE / META_FILE

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temp files left by a save that crashed. A temp of another live process is kept (it may be
 * mid-save); our own pid counts as stale unless a save here is writing it (in a container the bot is
 * pid 1 on every start, so a leftover `.tmp-1` is ours from a previous life). Returns the names removed.
 */
export function removeStaleTemps(dir: string): string[] {
  const removed: string[] = [];
  for (const name of fs.readdirSync(dir)) {
    const m = TEMP_RE.exec(name);
    if (!m) continue;
    const file = path.join(dir, name);
    const pid = Number(m[1]);
    if (activeTemps.has(file) || (pid !== process.pid && isAlive(pid))) continue;
    fs.rmSync(file, { force: true });
    removed.push(name);
  }
  return removed;
}
