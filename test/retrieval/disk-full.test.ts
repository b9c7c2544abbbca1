import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHnswIndex } from '../../src/retrieval/hnsw-index.ts';
import { tempDir } from '../helpers/test-core.ts';

/** A full disk is reported as what it is (Linux's /dev/full answers every write with ENOSPC). */

describe.runIf(fs.existsSync('/dev/full'))('saving the index on a full disk', () => {
  it('says the disk is full, not just that saving failed', async () => {
    const dir = tempDir();
    const index = await openHnswIndex({ dir, dim: 4, embedderId: 'test' });
    index.add([1], [[1, 0, 0, 0]]);
    // The meta file is written last, through its temp name: make that a write to a full device.
    fs.symlinkSync('/dev/full', path.join(dir, `vectors.json.tmp-${process.pid}`));
    const err = (await index.save().catch((e: unknown) => e)) as Error & { code?: string };
    expect(err.message).toMatch(/^The disk is full: saving the vector index in .* failed \(ENOSPC: no space left on device/);
    expect(err.code).toBe('disk-full');
    // Nothing half-written is left behind; a later save (space freed) works.
    expect(fs.readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
    await index.save();
    expect(fs.existsSync(path.join(dir, 'vectors.json'))).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
