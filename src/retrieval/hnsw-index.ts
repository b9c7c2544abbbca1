import fs from 'node:fs';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { UserError } from '../errors.ts';
import type { VectorIndex } from './vector-index.ts';

const { HierarchicalNSW } = hnswlib;

const INDEX_FILE = 'vectors.hnsw';
const META_FILE = 'vectors.json';

export interface HnswTuning {
  m: number;
  efConstruction: number;
  /** Search breadth; raised to k when k is larger. */
  efSearch: number;
}

export const DEFAULT_HNSW: HnswTuning = { m: 16, efConstruction: 100, efSearch: 96 };

interface Meta {
  embedderId: string;
  dim: number;
  space: 'cosine';
  indexBytes: number;
  /** Labels marked deleted: hnswlib keeps them in its label table, so they are remembered here. */
  deleted: number[];
  savedAt: string;
}

/**
 * HNSW over hnswlib-node, labels = chunk ids. The index is a cache derived from SQLite (which keeps
 * every vector), so anything doubtful on load — a missing, truncated or mismatched file — yields an
 * empty index with `recovered` set, and the caller rebuilds it from the store.
 */
export class HnswVectorIndex implements VectorIndex {
  readonly dim: number;
  recovered = false;
  private index: InstanceType<typeof HierarchicalNSW>;
  private live = new Set<number>();
  private deleted = new Set<number>();

  constructor(
    private readonly dir: string,
    dim: number,
    private readonly embedderId: string,
    private readonly tuning: HnswTuning = DEFAULT_HNSW,
  ) {
    this.dim = dim;
    this.index = this.fresh();
  }

  private fresh() {
    const idx = new HierarchicalNSW('cosine', this.dim);
    idx.initIndex({ maxElements: 1024, m: this.tuning.m, efConstruction: this.tuning.efConstruction });
    idx.setEf(this.tuning.efSearch);
    return idx;
  }

  /** Loads the saved index if it is complete and was built by the same embedder. */
  load(opts: { recreate?: boolean } = {}): void {
    fs.mkdirSync(this.dir, { recursive: true });
    this.cleanTemps();
    const metaPath = path.join(this.dir, META_FILE);
    const indexPath = path.join(this.dir, INDEX_FILE);
    if (opts.recreate || !fs.existsSync(metaPath) || !fs.existsSync(indexPath)) return;
    let meta: Meta;
    try {
      meta = JSON.parse(fs.readFileSync(metaPath, 'utf8')) as Meta;
    } catch {
      this.recovered = true;
      return;
    }
    if (meta.embedderId !== this.embedderId || meta.dim !== this.dim) {
      throw new UserError(
        'embedder-mismatch',
        `The vector index in ${this.dir} was built by "${meta.embedderId}" (${meta.dim}-d), but "${this.embedderId}" (${this.dim}-d) is configured. Run \`npx newsdesk reindex\`.`,
      );
    }
    if (fs.statSync(indexPath).size !== meta.indexBytes) {
      this.recovered = true;
      return;
    }
    try {
      const idx = new HierarchicalNSW('cosine', this.dim);
      idx.readIndexSync(indexPath);
      idx.setEf(this.tuning.efSearch);
      this.index = idx;
      this.deleted = new Set(meta.deleted);
      this.live = new Set(idx.getIdsList().filter((id) => !this.deleted.has(id)));
    } catch {
      this.index = this.fresh();
      this.recovered = true;
    }
  }

  size(): number {
    return this.live.size;
  }

  has(id: number): boolean {
    return this.live.has(id);
  }

  ids(): number[] {
    return [...this.live];
  }

  add(ids: number[], vectors: ArrayLike<number>[]): void {
    const need = this.index.getCurrentCount() + ids.length;
    if (need > this.index.getMaxElements()) {
      this.index.resizeIndex(Math.max(need, this.index.getMaxElements() * 2));
    }
    ids.forEach((id, i) => {
      const v = vectors[i]!;
      if (v.length !== this.dim) throw new Error(`vector for ${id} has ${v.length} dimensions, expected ${this.dim}`);
      // hnswlib-node wants a plain array; re-adding a deleted label un-deletes and updates it.
      this.index.addPoint(Array.from(v), id);
      this.live.add(id);
      this.deleted.delete(id);
    });
  }

  remove(ids: number[]): void {
    for (const id of ids) {
      if (!this.live.delete(id)) continue;
      this.index.markDelete(id);
      this.deleted.add(id);
    }
  }

  search(query: ArrayLike<number>, k: number, filter?: (id: number) => boolean): Array<{ id: number; score: number }> {
    const n = Math.min(k, this.live.size);
    if (n <= 0) return [];
    this.index.setEf(Math.max(this.tuning.efSearch, n));
    const r = this.index.searchKnn(Array.from(query), n, filter);
    return r.neighbors.map((id, i) => ({ id, score: 1 - r.distances[i]! }));
  }

  /** Writes to temporary files, flushes them, then renames: the index first, the meta (with its size) last. */
  async save(): Promise<void> {
    fs.mkdirSync(this.dir, { recursive: true });
    const tag = `.tmp-${process.pid}`;
    const indexPath = path.join(this.dir, INDEX_FILE);
    const metaPath = path.join(this.dir, META_FILE);
    // Synchronous on purpose: an async write runs on a worker thread while the main thread may add points.
    this.index.writeIndexSync(indexPath + tag);
    fsyncFile(indexPath + tag);
    const meta: Meta = {
      embedderId: this.embedderId,
      dim: this.dim,
      space: 'cosine',
      indexBytes: fs.statSync(indexPath + tag).size,
      deleted: [...this.deleted],
      savedAt: new Date().toISOString(),
    };
    fs.writeFileSync(metaPath + tag, JSON.stringify(meta));
    fsyncFile(metaPath + tag);
    fs.renameSync(indexPath + tag, indexPath);
    fs.renameSync(metaPath + tag, metaPath);
  }

  private cleanTemps(): void {
    for (const f of fs.readdirSync(this.dir)) if (f.includes('.tmp-')) fs.rmSync(path.join(this.dir, f), { force: true });
  }
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export async function openHnswIndex(o: {
  dir: string;
  dim: number;
  embedderId: string;
  recreate?: boolean;
  tuning?: HnswTuning;
}): Promise<HnswVectorIndex> {
  const index = new HnswVectorIndex(o.dir, o.dim, o.embedderId, o.tuning);
  index.load({ recreate: o.recreate });
  return index;
}
