import { hammingDistance } from './near-duplicate.ts';

/** Maximum Hamming distance between 64-bit simhashes that still counts as the same story. */
export const NEAR_DUPLICATE_BITS = 3;

/**
 * Finds a stored article whose simhash is within NEAR_DUPLICATE_BITS of a new one without comparing
 * against every article: with 4 bands of 16 bits, two hashes ≤ 3 bits apart share at least one band
 * exactly (pigeonhole), so only band collisions are checked.
 */
export function createNearDuplicateIndex(loadAll: () => Array<{ id: number; simhash: string }>) {
  let bands: Array<Map<string, number[]>> | null = null;
  const hashes = new Map<number, bigint>();

  function ensure(): Array<Map<string, number[]>> {
    if (bands) return bands;
    bands = [new Map(), new Map(), new Map(), new Map()];
    for (const r of loadAll()) put(r.id, r.simhash);
    return bands;
  }

  function put(id: number, hex: string): void {
    const b = bands!;
    hashes.set(id, BigInt('0x' + hex));
    for (let i = 0; i < 4; i++) {
      const key = hex.slice(i * 4, i * 4 + 4);
      const list = b[i]!.get(key);
      if (list) list.push(id);
      else b[i]!.set(key, [id]);
    }
  }

  return {
    find(hex: string): number | undefined {
      const b = ensure();
      const h = BigInt('0x' + hex);
      for (let i = 0; i < 4; i++) {
        for (const id of b[i]!.get(hex.slice(i * 4, i * 4 + 4)) ?? []) {
          const other = hashes.get(id);
          if (other !== undefined && hammingDistance(h, other) <= NEAR_DUPLICATE_BITS) return id;
        }
      }
      return undefined;
    },
    add(id: number, hex: string): void {
      if (!bands) return; // loaded lazily from the store on first use, which will include this row
      put(id, hex);
    },
  };
}
