import { hammingDistance, NEAR_DUPLICATE_MAX_DISTANCE, normalizeForComparison } from '../text/near-duplicate.ts';

/** Maximum Hamming distance between 64-bit simhashes for a pair to be checked as the same story. */
export const NEAR_DUPLICATE_BITS = NEAR_DUPLICATE_MAX_DISTANCE;

// Eleven bands (ten of 6 bits, one of 4) cover all 64 bits. Two hashes at most 10 bits apart agree
// exactly on at least one band (pigeonhole); at 15 bits about 9 pairs in 10 still do. Only band
// collisions are compared, so a new article costs a few hundred comparisons, not one per article.
const BANDS: Array<[number, number]> = [...Array.from({ length: 10 }, (_, i) => [i * 6, 6] as [number, number]), [60, 4]];

function bandKeys(h: bigint): number[] {
  return BANDS.map(([shift, width]) => Number((h >> BigInt(shift)) & ((1n << BigInt(width)) - 1n)));
}

/** Share of the new text's word 3-grams that the stored text also has. */
export function shingleContainment(a: string, b: string): number {
  const grams = (t: string) => {
    const w = normalizeForComparison(t).split(' ');
    const s = new Set<string>();
    for (let i = 0; i + 3 <= w.length; i++) s.add(`${w[i]} ${w[i + 1]} ${w[i + 2]}`);
    return s;
  };
  const ga = grams(a);
  const gb = grams(b);
  if (ga.size === 0) return 0;
  let shared = 0;
  for (const g of ga) if (gb.has(g)) shared++;
  return shared / ga.size;
}

/**
 * Finds a stored article that carries the same story as a new text: simhash bands propose
 * candidates, and a candidate counts only if most of the new text's 3-grams are in it, so random
 * simhash collisions between unrelated articles never merge them.
 */
export function createNearDuplicateIndex(deps: {
  loadAll: () => Array<{ id: number; simhash: string }>;
  textOf: (id: number) => string | undefined;
  minContainment?: number;
}) {
  const minContainment = deps.minContainment ?? 0.5;
  let bands: Array<Map<number, number[]>> | null = null;
  const hashes = new Map<number, bigint>();

  function ensure(): Array<Map<number, number[]>> {
    if (bands) return bands;
    bands = BANDS.map(() => new Map());
    for (const r of deps.loadAll()) put(r.id, r.simhash);
    return bands;
  }

  function put(id: number, hex: string): void {
    const h = BigInt('0x' + hex);
    hashes.set(id, h);
    bandKeys(h).forEach((key, i) => {
      const list = bands![i]!.get(key);
      if (list) list.push(id);
      else bands![i]!.set(key, [id]);
    });
  }

  return {
    find(hex: string, text: string): number | undefined {
      const b = ensure();
      const h = BigInt('0x' + hex);
      const checked = new Set<number>();
      const keys = bandKeys(h);
      for (let i = 0; i < keys.length; i++) {
        for (const id of b[i]!.get(keys[i]!) ?? []) {
          if (checked.has(id)) continue;
          checked.add(id);
          const other = hashes.get(id);
          if (other === undefined || hammingDistance(h, other) > NEAR_DUPLICATE_BITS) continue;
          const stored = deps.textOf(id);
          if (stored !== undefined && shingleContainment(text, stored) >= minContainment) return id;
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
