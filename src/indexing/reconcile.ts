import type { ChunkRepo } from '../db/chunk-repo.ts';
import type { VectorIndex } from '../retrieval/vector-index.ts';

/**
 * Makes the vector index agree with SQLite, the source of truth: chunks missing from the index are
 * added from their stored vectors (no re-embedding), ids the store no longer has are removed.
 * This is what makes a crash between a commit and an index save harmless.
 */
export function reconcileIndex(chunks: Pick<ChunkRepo, 'ids' | 'vectors'>, index: VectorIndex): { added: number; removed: number } {
  const inIndex = new Set(index.ids());
  const inStore = new Set<number>();
  const missing: number[] = [];
  for (const id of chunks.ids()) {
    inStore.add(id);
    if (!inIndex.has(id)) missing.push(id);
  }
  const orphans = [...inIndex].filter((id) => !inStore.has(id));
  if (orphans.length > 0) index.remove(orphans);
  for (let i = 0; i < missing.length; i += 2000) {
    const rows = chunks.vectors(missing.slice(i, i + 2000));
    index.add(
      rows.map((r) => r.id),
      rows.map((r) => r.vector),
    );
  }
  return { added: missing.length, removed: orphans.length };
}
