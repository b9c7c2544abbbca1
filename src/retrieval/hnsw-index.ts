import fs from 'node:fs';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { UserError } from '../errors.ts';
import { INDEX_FILE, META_FILE, activeTemps, fingerprintFile, fsyncDir, fsyncPath, newMeta, readMeta, removeStaleTemps, tempName } from './hnsw-files.ts';
import type { VectorIndex } from './vector-index.ts';

const { HierarchicalNSW } = hnswlib;
type Hnsw = InstanceType<typeof HierarchicalNSW>;

export interface HnswTuning {
  m: number;
  efConstruction: number;
  /** Search breadth; raised to k when k is larger. hnswlib's own default (10) is far too low. */
  efSearch: number;
  /** Capacity of a new index; doubled whenever it fills. */
  initialCapacity: number;
}

export const DEFAULT_HNSW: HnswTuning = {
  m: 16,
  efConstruction: 48, // insertion was the slowest ingest stage at 100 (1.1k chunks/s); search ef 200 keeps recall
  // Hashed text vectors are harder than STACK.md's clustered ones: on 20k local-hash-v1 news chunks,
  // recall@10 against exact search was 0.82 at ef 96, 0.93 at ef 200 (1.0 ms/query), 0.97 at 400 (1.8 ms).
  efSearch: 200,
  initialCapacity: 1024,
};

const MAX_LABEL = 0xffff_ffff; // hnswlib-node passes labels through Uint32Value()

/**
 * HNSW over hnswlib-node; labels are our chunk ids. Cosine space (hnswlib normalises on add and
 * query), score = 1 − distance = cosine similarity.
 *
 * The index is a cache derived from SQLite, which keeps every vector: anything doubtful on open (a
 * missing, truncated or mismatched file) gives an empty index with `recovered` set, and the caller
 * reconciles it from the store. Only an index built by another embedder is an error, because then
 * the stored vectors are stale too.
 *
 * Deleted slots are reused (`allowReplaceDeleted`), so churn does not grow the file. While an async
 * save is writing on a worker thread the native index must not change, so mutations made meanwhile
 * wait in a small overlay that searches see (brute force) and that is applied when the write ends.
 */
export class HnswVectorIndex implements VectorIndex {
  readonly dim: number;
  /** True when a saved index existed but could not be used (see `recoveryReason`). */
  recovered = false;
  recoveryReason: string | undefined;

  private index: Hnsw;
  private readonly live = new Set<number>();
  /** Labels that may still sit in hnswlib's table marked deleted (a superset: reuse replaces some). */
  private deleted = new Set<number>();
  private ef = 0;
  private dirty = true;
  /** Non-null while a save's write is in flight: id → vector to add, or null to remove. */
  private pending: Map<number, number[] | null> | null = null;
  private saveChain: Promise<void> = Promise.resolve();
  private saving = 0;

  constructor(
    private readonly dir: string,
    dim: number,
    private readonly embedderId: string,
    private readonly tuning: HnswTuning = DEFAULT_HNSW,
  ) {
    this.dim = dim;
    this.index = this.create(tuning.initialCapacity);
  }

  private create(capacity: number): Hnsw {
    const idx = new HierarchicalNSW('cosine', this.dim);
    idx.initIndex({
      maxElements: capacity,
      m: this.tuning.m,
      efConstruction: this.tuning.efConstruction,
      randomSeed: 100,
      allowReplaceDeleted: true,
    });
    return idx;
  }

  /** Opens the saved index in `dir` (see `openHnswIndex`). */
  async load(opts: { recreate?: boolean } = {}): Promise<void> {
    fs.mkdirSync(this.dir, { recursive: true });
    removeStaleTemps(this.dir);
    if (opts.recreate) return;
    const indexPath = path.join(this.dir, INDEX_FILE);
    const read = readMeta(this.dir);
    const hasIndex = fs.existsSync(indexPath);
    if (read.kind === 'none') return hasIndex ? this.recover(`${INDEX_FILE} has no ${META_FILE}`) : undefined;
    if (read.kind === 'unusable') return this.recover(read.reason);
    const meta = read.meta;
    if (meta.embedderId !== this.embedderId || meta.dim !== this.dim) {
      throw new UserError(
        'embedder-mismatch',
        `The vector index in ${this.dir} was built with "${meta.embedderId}" (${meta.dim} dimensions) but the configured embedder is "${this.embedderId}" (${this.dim}). Run \`npx newsdesk reindex\` to rebuild it.`,
      );
    }
    if (!hasIndex) return this.recover(`${INDEX_FILE} is missing`);
    const found = fingerprintFile(indexPath);
    if (found.bytes !== meta.indexBytes || found.fingerprint !== meta.fingerprint) {
      return this.recover(`${INDEX_FILE} does not match ${META_FILE} (interrupted save?)`);
    }
    // A failed read leaves hnswlib-node's object holding a freed index: always read into a new one.
    const idx = new HierarchicalNSW('cosine', this.dim);
    try {
      await idx.readIndex(indexPath, true);
    } catch (err) {
      return this.recover(`${INDEX_FILE} is unreadable: ${(err as Error).message}`);
    }
    if (idx.getCurrentCount() !== meta.count) return this.recover(`${INDEX_FILE} holds an unexpected count`);
    const labels = idx.getIdsList();
    const deleted = new Set(meta.deleted);
    this.index = idx;
    this.ef = 0;
    for (const id of labels) if (!deleted.has(id)) this.live.add(id);
    this.deleted = new Set(labels.filter((id) => deleted.has(id)));
    this.dirty = false;
  }

  private recover(reason: string): void {
    this.recovered = true;
    this.recoveryReason = reason;
  }

  size(): number {
    if (!this.pending) return this.live.size;
    let n = this.live.size;
    for (const [id, v] of this.pending) n += (v ? 1 : 0) - (this.live.has(id) ? 1 : 0);
    return n;
  }

  has(id: number): boolean {
    const p = this.pending?.get(id);
    return p === undefined ? this.live.has(id) : p !== null;
  }

  ids(): number[] {
    if (!this.pending) return [...this.live];
    const out = new Set(this.live);
    for (const [id, v] of this.pending) v ? out.add(id) : out.delete(id);
    return [...out];
  }

  /** Adds or replaces vectors. The whole batch is validated before anything changes. */
  add(ids: number[], vectors: ArrayLike<number>[]): void {
    if (ids.length !== vectors.length) throw new Error(`add: ${ids.length} ids but ${vectors.length} vectors`);
    const arrays = ids.map((id, i) => this.checked(id, vectors[i]!));
    this.dirty = true;
    for (let i = 0; i < ids.length; i++) {
      if (this.pending) this.pending.set(ids[i]!, arrays[i]!);
      else this.addNow(ids[i]!, arrays[i]!);
    }
  }

  private checked(id: number, v: ArrayLike<number>): number[] {
    if (!Number.isInteger(id) || id < 0 || id > MAX_LABEL) throw new Error(`vector id must be an integer in 0..2^32-1, got ${id}`);
    if (v.length !== this.dim) throw new Error(`vector ${id} has ${v.length} dimensions, expected ${this.dim}`);
    const arr = Array.from(v); // hnswlib-node takes plain arrays only
    let norm = 0;
    for (const x of arr) norm += x * x;
    if (!(norm > 0 && Number.isFinite(norm))) throw new Error(`vector ${id} is zero or not finite`);
    return arr;
  }

  private addNow(id: number, v: number[]): void {
    const idx = this.index;
    if (this.live.has(id)) {
      idx.addPoint(v, id); // existing live label: updated in place
      return;
    }
    if (this.deleted.delete(id) && unmark(idx, id)) {
      idx.addPoint(v, id); // un-deleted label: updated in place
      this.live.add(id);
      return;
    }
    const freeSlots = idx.getCurrentCount() - this.live.size; // marked-deleted elements, reusable
    if (freeSlots === 0 && idx.getCurrentCount() >= idx.getMaxElements()) {
      idx.resizeIndex(Math.max(2 * idx.getMaxElements(), this.tuning.initialCapacity));
    }
    idx.addPoint(v, id, true);
    this.live.add(id);
    // Reuse removed some unknown deleted label from hnswlib's table; prune our superset now and then.
    if (this.deleted.size > 2 * (idx.getCurrentCount() - this.live.size) + 64) {
      this.deleted = new Set(idx.getIdsList().filter((l) => !this.live.has(l)));
    }
  }

  /** Removes ids; unknown ids are ignored. */
  remove(ids: number[]): void {
    for (const id of ids) {
      if (!this.has(id)) continue;
      this.dirty = true;
      if (this.pending) this.pending.set(id, null);
      else this.removeNow(id);
    }
  }

  private removeNow(id: number): void {
    if (!this.live.delete(id)) return;
    this.index.markDelete(id);
    this.deleted.add(id);
  }

  search(query: ArrayLike<number>, k: number, filter?: (id: number) => boolean): Array<{ id: number; score: number }> {
    if (query.length !== this.dim) throw new Error(`query has ${query.length} dimensions, expected ${this.dim}`);
    const q = Array.from(query);
    const pending = this.pending;
    let filterError: unknown;
    // A throw inside the native search callback would surface oddly: catch it and rethrow after.
    const accept = (id: number): boolean => {
      if (pending?.has(id)) return false; // superseded by the overlay
      try {
        return filter ? filter(id) : true;
      } catch (err) {
        filterError ??= err;
        return false;
      }
    };
    const want = Math.floor(k);
    if (!(want >= 1)) return [];
    // Ask for extra while an overlay hides some ids, so k survive the exclusion.
    const n = Math.min(want + (pending?.size ?? 0), this.live.size);
    let hits: Array<{ id: number; score: number }> = [];
    if (n > 0) {
      const ef = Math.max(this.tuning.efSearch, n);
      if (ef !== this.ef) {
        this.ef = ef;
        this.index.setEf(ef);
      }
      const r = this.index.searchKnn(q, n, filter || pending ? accept : undefined);
      hits = r.neighbors.map((id, i) => ({ id, score: 1 - r.distances[i]! }));
    }
    if (filterError !== undefined) throw filterError;
    if (pending && pending.size > 0) {
      for (const [id, v] of pending) if (v && (!filter || filter(id))) hits.push({ id, score: cosine(q, v) });
      hits.sort((a, b) => b.score - a.score);
    }
    return hits.length > want ? hits.slice(0, want) : hits;
  }

  /**
   * Persists atomically: writes `vectors.hnsw.tmp-<pid>` (on a worker thread) and the meta temp, fsyncs
   * both, renames the index then the meta, fsyncs the directory. A crash at any point leaves either
   * the previous pair or a pair whose mismatch is detected on open. The snapshot is taken when
   * `save()` is called (or, behind a save in flight, when that one ends); saves are serialised, and a
   * save with nothing changed since the last one does nothing.
   */
  save(): Promise<void> {
    const run = this.saving === 0 ? this.saveNow() : this.saveChain.then(() => this.saveNow());
    this.saving++;
    const settled = run.finally(() => {
      this.saving--;
    });
    this.saveChain = settled.catch(() => undefined);
    return settled;
  }

  private async saveNow(): Promise<void> {
    if (!this.dirty) return;
    fs.mkdirSync(this.dir, { recursive: true });
    const indexPath = path.join(this.dir, INDEX_FILE);
    const metaPath = path.join(this.dir, META_FILE);
    const indexTmp = tempName(indexPath);
    const metaTmp = tempName(metaPath);
    const snapshot = { count: this.index.getCurrentCount(), live: this.live.size, deleted: [...this.deleted] };
    this.dirty = false;
    activeTemps.add(indexTmp).add(metaTmp);
    try {
      this.pending = new Map();
      try {
        if (typeof this.index.writeIndex === 'function') await this.index.writeIndex(indexTmp);
        else this.index.writeIndexSync(indexTmp);
      } finally {
        this.flushPending();
      }
      fsyncPath(indexTmp);
      const { bytes, fingerprint } = fingerprintFile(indexTmp);
      const meta = newMeta({ embedderId: this.embedderId, dim: this.dim, ...snapshot, indexBytes: bytes, fingerprint });
      fs.writeFileSync(metaTmp, JSON.stringify(meta));
      fsyncPath(metaTmp);
      fs.renameSync(indexTmp, indexPath);
      fs.renameSync(metaTmp, metaPath);
      fsyncDir(this.dir);
    } catch (err) {
      this.dirty = true;
      fs.rmSync(indexTmp, { force: true });
      fs.rmSync(metaTmp, { force: true });
      throw saveError(this.dir, err);
    } finally {
      activeTemps.delete(indexTmp);
      activeTemps.delete(metaTmp);
    }
  }

  private flushPending(): void {
    const pending = this.pending;
    this.pending = null;
    if (!pending) return;
    for (const [id, v] of pending) v ? this.addNow(id, v) : this.removeNow(id);
  }
}

/** The real cause, said plainly: a full disk is the operator's to fix, not a bug. */
function saveError(dir: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const why = err instanceof Error ? err.message : String(err);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new UserError(
      'disk-full',
      `The disk is full: saving the vector index in ${dir} failed (${why}). Free some space and run the command again; nothing stored is lost (the index is rebuilt from the store on the next start).`,
      { cause: err },
    );
  }
  return new Error(`saving the vector index in ${dir} failed: ${why}`, { cause: err });
}

/** False when the label is gone: a deleted slot is reused by a new label, dropping the old one. */
function unmark(idx: Hnsw, id: number): boolean {
  try {
    idx.unmarkDelete(id);
    return true;
  } catch {
    return false;
  }
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * Opens `dir/vectors.hnsw` + `dir/vectors.json`, or starts empty when there is none. Throws
 * `UserError('embedder-mismatch')` when the saved index was built by another embedder or dimension,
 * unless `recreate` (start empty; the next save replaces the files). A damaged or half-saved index
 * opens empty with `recovered: true`: reconcile it from SQLite.
 */
export async function openHnswIndex(o: {
  dir: string;
  dim: number;
  embedderId: string;
  recreate?: boolean;
  tuning?: Partial<HnswTuning>;
}): Promise<HnswVectorIndex> {
  const index = new HnswVectorIndex(o.dir, o.dim, o.embedderId, { ...DEFAULT_HNSW, ...o.tuning });
  await index.load({ recreate: o.recreate });
  return index;
}
