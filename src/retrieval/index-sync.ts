import type { Db } from '../db/database.ts';
import { blobToVector } from '../db/article-repo.ts';
import type { VectorIndex } from './vector-index.ts';

/**
 * Makes the vector index agree with SQLite, the source of truth: chunks missing from the index are
 * added from their stored vectors (no re-embedding), ids the store no longer has are removed.
 * This is what makes a crash between a commit and an index save harmless.
 */
export function reconcileIndex(db: Db, index: VectorIndex): { added: number; removed: number } {
  const inIndex = new Set(index.ids());
  const inStore = new Set<number>();
  const missing: number[] = [];
  for (const r of db.prepare('SELECT id FROM chunks').iterate() as Iterable<{ id: number }>) {
    inStore.add(r.id);
    if (!inIndex.has(r.id)) missing.push(r.id);
  }
  const orphans = [...inIndex].filter((id) => !inStore.has(id));
  if (orphans.length > 0) index.remove(orphans);
  const stmt = db.prepare('SELECT id, embedding FROM chunks WHERE id IN (SELECT value FROM json_each(?))');
  for (let i = 0; i < missing.length; i += 2000) {
    const rows = stmt.all(JSON.stringify(missing.slice(i, i + 2000))) as Array<{ id: number; embedding: Buffer }>;
    index.add(
      rows.map((r) => r.id),
      rows.map((r) => blobToVector(r.embedding)),
    );
  }
  return { added: missing.length, removed: orphans.length };
}
