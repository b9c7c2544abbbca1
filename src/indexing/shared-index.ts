import path from 'node:path';
import type { ChunkRepo } from '../db/chunk-repo.ts';
import type { ChangeLogRepo } from '../db/change-log-repo.ts';
import type { ChunkCatalog } from '../retrieval/chunk-catalog.ts';
import type { KeywordIndexWriter } from '../retrieval/keyword-search.ts';
import type { VectorIndex } from '../retrieval/vector-index.ts';
import { reconcileIndex } from './reconcile.ts';
import type { Logger } from '../logger.ts';
import { createChangeFollower, type ChangeFollower, type ChangeTarget } from './change-follower.ts';
import { acquireLock } from './file-lock.ts';

/** Entries kept in `change_log`; a process further behind than this rebuilds from the store. */
const LOG_KEEP = 50_000;
/** How long a save waits for another process's save before giving up (the index is a cache). */
const SAVE_LOCK_WAIT_MS = 30_000;
export const INDEX_LOCK_FILE = 'vectors.lock';

export interface SharedIndexDeps {
  indexDir: string;
  /** The current index (reindex swaps it). */
  index: () => VectorIndex;
  chunks: Pick<ChunkRepo, 'vectors' | 'getChunks' | 'ids'>;
  catalog: ChunkCatalog;
  keyword: KeywordIndexWriter;
  changes: ChangeLogRepo;
  writer: string;
  /** Read-only commands (ask, stats) never write the index file. */
  readOnly: boolean;
  logger: Logger;
  /** The change-log position the in-memory state was loaded at (read before reconciling). */
  from: number;
  /** Articles other processes stored, once the indexes have them (the corpus tells its listeners). */
  articlesArrived?: ChangeTarget['articlesArrived'];
}

export interface SharedIndex {
  /** The index, whose `save()` writes the file under a lock after catching up with other writers. */
  index: VectorIndex;
  follower: ChangeFollower;
}

/**
 * One data dir, many processes. Each keeps its own in-memory indexes and follows the others through
 * the change log (see `createChangeFollower`); only one of them writes `vectors.hnsw` at a time (a
 * lock file), and it first applies what the others committed, so the file it writes is complete.
 */
export function shareIndex(deps: SharedIndexDeps): SharedIndex {
  const { catalog, keyword, chunks } = deps;
  const lockFile = path.join(deps.indexDir, INDEX_LOCK_FILE);

  const follower = createChangeFollower(
    deps.changes,
    deps.writer,
    {
      addChunks(ids) {
        const vectors = chunks.vectors(ids);
        if (vectors.length === 0) return;
        deps.index().add(
          vectors.map((v) => v.id),
          vectors.map((v) => v.vector),
        );
        const byArticle = new Map<number, ReturnType<typeof chunks.getChunks>>();
        for (const c of chunks.getChunks(vectors.map((v) => v.id))) {
          const list = byArticle.get(c.articleId) ?? [];
          list.push(c);
          byArticle.set(c.articleId, list);
        }
        for (const [articleId, list] of byArticle) {
          catalog.addArticle(
            articleId,
            list[0]!.published,
            list.map((c) => c.chunkId),
          );
          keyword.added(
            list.map((c) => c.chunkId),
            list[0]!.title,
            list.map((c) => c.text),
          );
        }
      },
      removeChunks(ids) {
        deps.index().remove(ids);
        catalog.removeChunks(ids);
        keyword.removed(ids);
      },
      scopesChanged() {
        catalog.invalidateScopes();
      },
      reload() {
        catalog.load();
        reconcileIndex(chunks, deps.index());
        keyword.reload();
      },
      articlesArrived: deps.articlesArrived,
    },
    deps.from,
  );

  const index: VectorIndex = {
    get dim() {
      return deps.index().dim;
    },
    size: () => deps.index().size(),
    add: (ids, vectors) => deps.index().add(ids, vectors),
    remove: (ids) => deps.index().remove(ids),
    has: (id) => deps.index().has(id),
    search: (q, k, filter) => deps.index().search(q, k, filter),
    ids: () => deps.index().ids(),
    async save() {
      if (deps.readOnly) return;
      const lock = await acquireLock(lockFile, SAVE_LOCK_WAIT_MS);
      if (!lock) {
        deps.logger.warn('another process kept the index lock; not saving (the next start reconciles)', { lockFile });
        return;
      }
      try {
        follower.catchUp();
        await deps.index().save();
        deps.changes.prune(LOG_KEEP);
      } finally {
        lock.release();
      }
    },
  };
  return { index, follower };
}
