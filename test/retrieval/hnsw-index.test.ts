import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import { fingerprintFile } from '../../src/retrieval/hnsw-files.ts';
import { openHnswIndex } from '../../src/retrieval/hnsw-index.ts';

const DIM = 16;
const EMB = 'test-embedder:16';

/** Deterministic unit vectors (mulberry32). */
function vectors(n: number, seed = 1): Float32Array[] {
  let s = seed >>> 0;
  const rnd = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  return Array.from({ length: n }, () => {
    const v = Float32Array.from({ length: DIM }, rnd);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-hnsw-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const open = (o: { embedderId?: string; dim?: number; recreate?: boolean; initialCapacity?: number } = {}) =>
  openHnswIndex({
    dir,
    dim: o.dim ?? DIM,
    embedderId: o.embedderId ?? EMB,
    recreate: o.recreate,
    tuning: { initialCapacity: o.initialCapacity ?? 1024 },
  });

describe('HnswVectorIndex', () => {
  it('adds, finds, removes and re-adds by chunk id', async () => {
    const index = await open();
    const vs = vectors(20);
    index.add(range(100, 120), vs);
    expect(index.size()).toBe(20);
    const top = index.search(vs[5]!, 3);
    expect(top[0]).toEqual({ id: 105, score: expect.closeTo(1, 4) });
    expect(top.map((h) => h.score)).toEqual([...top.map((h) => h.score)].sort((a, b) => b - a));

    index.remove([105, 999]); // unknown ids are ignored
    expect(index.has(105)).toBe(false);
    expect(index.size()).toBe(19);
    expect(index.search(vs[5]!, 19).map((h) => h.id)).not.toContain(105);

    // Re-adding a removed id works, with its new vector.
    index.add([105], [vs[7]!]);
    expect(index.has(105)).toBe(true);
    expect(
      index
        .search(vs[7]!, 2)
        .map((h) => h.id)
        .sort(),
    ).toEqual([105, 107]);
    // Adding an existing id replaces its vector.
    index.add([110], [vs[0]!]);
    expect(
      index
        .search(vs[0]!, 2)
        .map((h) => h.id)
        .sort(),
    ).toEqual([100, 110]);
    expect(index.size()).toBe(20);
    expect(index.search(vs[0]!, 500)).toHaveLength(20);
  });

  it('applies a filter inside the search', async () => {
    const index = await open();
    const vs = vectors(200);
    index.add(range(0, 200), vs);
    const hits = index.search(vs[0]!, 10, (id) => id % 10 === 3);
    expect(hits).toHaveLength(10);
    expect(hits.every((h) => h.id % 10 === 3)).toBe(true);
    expect(() =>
      index.search(vs[0]!, 5, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
  });

  it('grows past its initial capacity and reuses deleted slots', async () => {
    const index = await open({ initialCapacity: 8 });
    const vs = vectors(300);
    index.add(range(0, 150), vs.slice(0, 150));
    expect(index.size()).toBe(150);
    for (const i of [0, 77, 149]) expect(index.search(vs[i]!, 1)[0]!.id).toBe(i);
    index.remove(range(0, 50));
    index.add(range(150, 200), vs.slice(150, 200)); // fills the 50 freed slots
    expect(index.size()).toBe(150);
    expect(index.search(vs[160]!, 1)[0]!.id).toBe(160);
    // An id whose slot was taken by another can still come back.
    index.add(range(0, 50), vs.slice(0, 50));
    expect(index.size()).toBe(200);
    expect(index.search(vs[3]!, 1)[0]!.id).toBe(3);
    expect(new Set(index.ids())).toEqual(new Set(range(0, 200)));
  });

  it('rejects a bad batch without applying any of it', async () => {
    const index = await open();
    const [a, b] = vectors(2);
    expect(() => index.add([1, 2], [a!, new Float32Array(DIM)])).toThrow(/zero/);
    expect(() => index.add([1, 2], [a!, b!.slice(0, 3)])).toThrow(/dimensions/);
    expect(() => index.add([-1], [a!])).toThrow(/integer/);
    expect(index.size()).toBe(0);
    expect(index.search(a!, 3)).toEqual([]);
  });

  it('saves atomically and reopens with the same contents and results', async () => {
    const index = await open({ initialCapacity: 16 });
    const vs = vectors(120);
    index.add(range(1, 121), vs);
    index.remove([3, 4, 5]);
    await index.save();
    expect(fs.readdirSync(dir).sort()).toEqual(['vectors.hnsw', 'vectors.json']);
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'vectors.json'), 'utf8'));
    expect(meta).toMatchObject({ embedderId: EMB, dim: DIM, space: 'cosine', count: 120, live: 117 });
    expect(meta.indexBytes).toBe(fs.statSync(path.join(dir, 'vectors.hnsw')).size);

    const again = await open();
    expect(again.recovered).toBe(false);
    expect(again.size()).toBe(117);
    expect(again.has(4)).toBe(false);
    expect(new Set(again.ids())).toEqual(new Set(index.ids()));
    for (const q of [vs[0]!, vs[50]!, vs[99]!]) expect(again.search(q, 5)).toEqual(index.search(q, 5));
    again.add([4], [vs[3]!]); // a deleted id stays re-addable after a reload
    expect(again.search(vs[3]!, 1)[0]!.id).toBe(4);
  });

  it('skips a save when nothing changed', async () => {
    const index = await open();
    index.add([1], vectors(1));
    await index.save();
    const before = fs.readFileSync(path.join(dir, 'vectors.json'), 'utf8');
    await new Promise((r) => setTimeout(r, 5));
    await index.save();
    expect(fs.readFileSync(path.join(dir, 'vectors.json'), 'utf8')).toBe(before);
  });

  it('keeps changes made while a save is writing, and searches see them', async () => {
    const index = await open();
    const vs = vectors(60);
    index.add(range(0, 50), vs.slice(0, 50));
    const saving = index.save();
    index.add([55], [vs[55]!]);
    index.remove([7]);
    expect(index.has(55)).toBe(true);
    expect(index.has(7)).toBe(false);
    expect(index.size()).toBe(50);
    expect(index.search(vs[55]!, 1)[0]!.id).toBe(55);
    expect(index.search(vs[7]!, 50).map((h) => h.id)).not.toContain(7);
    await saving;
    expect(index.size()).toBe(50);
    expect(index.search(vs[55]!, 1)[0]!.id).toBe(55);

    // The file holds the snapshot; the next save holds the rest.
    expect((await open()).has(55)).toBe(false);
    index.add([56], [vs[56]!]);
    await Promise.all([index.save(), index.save()]); // serialised, both resolve
    const reopened = await open();
    expect(reopened.has(55)).toBe(true);
    expect(reopened.has(56)).toBe(true);
    expect(reopened.has(7)).toBe(false);
  });

  it('refuses an index built by another embedder, unless asked to recreate', async () => {
    const index = await open();
    index.add([1], vectors(1));
    await index.save();
    const err = await open({ embedderId: 'other:16' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err).toMatchObject({ code: 'embedder-mismatch', message: expect.stringContaining('npx newsdesk reindex') });
    await expect(open({ dim: 8 })).rejects.toMatchObject({ code: 'embedder-mismatch' });
    const fresh = await openHnswIndex({ dir, dim: 8, embedderId: 'other:8', recreate: true });
    expect(fresh.size()).toBe(0);
    expect(fresh.recovered).toBe(false);
  });

  it('opens a truncated index file as empty and recovered, without crashing', async () => {
    const index = await open();
    index.add(range(0, 40), vectors(40));
    await index.save();
    const file = path.join(dir, 'vectors.hnsw');
    fs.truncateSync(file, fs.statSync(file).size - 100);
    const a = await open();
    expect(a.recovered).toBe(true);
    expect(a.recoveryReason).toMatch(/does not match/);
    expect(a.size()).toBe(0);

    // Even when the meta agrees with the damaged file, hnswlib's own check is survived.
    const metaFile = path.join(dir, 'vectors.json');
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
    const fp = fingerprintFile(file);
    fs.writeFileSync(metaFile, JSON.stringify({ ...meta, indexBytes: fp.bytes, fingerprint: fp.fingerprint }));
    const b = await open();
    expect(b.recovered).toBe(true);
    expect(b.recoveryReason).toMatch(/unreadable/);
    b.add([1], vectors(1)); // and it is usable
    expect(b.search(vectors(1)[0]!, 1)[0]!.id).toBe(1);
    await b.save();
    expect((await open()).size()).toBe(1);
  });

  it('detects a new index paired with an old meta (crash between the renames)', async () => {
    const index = await open();
    index.add(range(0, 30), vectors(30));
    await index.save();
    const oldMeta = fs.readFileSync(path.join(dir, 'vectors.json'));
    index.add([30], [vectors(31)[30]!]);
    index.remove([0]); // same element count: only the fingerprint tells the files apart
    await index.save();
    fs.writeFileSync(path.join(dir, 'vectors.json'), oldMeta);
    const reopened = await open();
    expect(reopened.recovered).toBe(true);
    expect(reopened.size()).toBe(0);
  });

  it('treats unreadable meta or an index without meta as recoverable', async () => {
    fs.writeFileSync(path.join(dir, 'vectors.hnsw'), 'not an index');
    expect((await open()).recovered).toBe(true);
    fs.writeFileSync(path.join(dir, 'vectors.json'), '{ half');
    expect((await open()).recovered).toBe(true);
  });

  it('cleans temp files left by a crashed save, but not those of a live process', async () => {
    const index = await open();
    index.add(range(0, 10), vectors(10));
    await index.save();
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
    const stale = [`vectors.hnsw.tmp-${deadPid}`, `vectors.json.tmp-${deadPid}`, `vectors.hnsw.tmp-${process.pid}`];
    for (const f of stale) fs.writeFileSync(path.join(dir, f), 'partial');
    const other = `vectors.hnsw.tmp-${process.ppid}`; // alive: maybe mid-save
    fs.writeFileSync(path.join(dir, other), 'partial');
    const reopened = await open();
    expect(reopened.size()).toBe(10);
    expect(fs.readdirSync(dir).sort()).toEqual([other, 'vectors.hnsw', 'vectors.json'].sort());
  });
});
