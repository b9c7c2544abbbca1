import type { ChangeLogRepo, ChangeRecord } from '../db/change-log-repo.ts';

/**
 * Keeps one process's in-memory indexes (HNSW, BM25, catalog) current with writes other processes
 * make to the same data dir: every write appends to `change_log` in its own transaction, and this
 * applies the entries it has not seen, skipping its own. Applying is idempotent (chunk ids are never
 * reused; adding a chunk that is gone again is skipped), so overlap with a reconcile is harmless.
 */
export interface ChangeTarget {
  /** Chunks another process committed: load them from the store into the indexes. */
  addChunks(chunkIds: number[]): void;
  removeChunks(chunkIds: number[]): void;
  /** Source links changed: scope caches are stale. */
  scopesChanged(): void;
  /** Too much changed (a reindex, or the log was pruned past us): rebuild from the store. */
  reload(): void;
  /**
   * Articles another process stored (`added`: with new chunks; `linked`: a copy without chunks, an
   * alternate, or a new source link), after the indexes have them: alerts are raised for them too.
   */
  articlesArrived?(articles: Array<{ articleId: number; kind: 'added' | 'linked' }>): void;
}

export interface ChangeFollower {
  /** Applies what other processes wrote since the last call; returns how many entries it applied. */
  catchUp(): number;
  /** Catches up every `intervalMs` until `stop()` (the timer never keeps the process alive). */
  start(intervalMs: number, onError: (err: unknown) => void): void;
  stop(): void;
  /** The last sequence number seen. */
  readonly seen: number;
}

export function createChangeFollower(log: ChangeLogRepo, writer: string, target: ChangeTarget, from = log.head()): ChangeFollower {
  let seen = from;
  let timer: NodeJS.Timeout | null = null;

  function apply(batch: ChangeRecord[]): void {
    const added = new Set<number>();
    const removed = new Set<number>();
    const arrived = new Map<number, 'added' | 'linked'>();
    let scopes = false;
    for (const c of batch) {
      if (c.writer === writer) continue;
      // A replaced article (chunks removed too) is an update, not news.
      if (c.articleId !== null && c.kind === 'chunks' && c.removed.length === 0) arrived.set(c.articleId, 'added');
      else if (c.articleId !== null && c.kind === 'scope' && !arrived.has(c.articleId)) arrived.set(c.articleId, 'linked');
      if (c.kind === 'reload') {
        target.reload();
        added.clear();
        removed.clear();
        scopes = false;
        continue;
      }
      for (const id of c.removed) {
        added.delete(id);
        removed.add(id);
      }
      for (const id of c.added) added.add(id);
      scopes = true; // chunk changes can move articles in and out of scopes too
    }
    if (removed.size) target.removeChunks([...removed]);
    if (added.size) target.addChunks([...added]);
    if (scopes) target.scopesChanged();
    if (arrived.size) target.articlesArrived?.([...arrived].map(([articleId, kind]) => ({ articleId, kind })));
  }

  return {
    catchUp() {
      // Entries we needed were pruned: we cannot replay them, so rebuild.
      const tail = log.tail();
      if (tail > seen + 1) {
        target.reload();
        seen = log.head();
        return 1;
      }
      let n = 0;
      for (;;) {
        const batch = log.since(seen, 5000);
        if (batch.length === 0) return n;
        apply(batch);
        seen = batch[batch.length - 1]!.seq;
        n += batch.length;
      }
    },
    start(intervalMs, onError) {
      if (timer) return;
      timer = setInterval(() => {
        try {
          this.catchUp();
        } catch (err) {
          onError(err);
        }
      }, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    get seen() {
      return seen;
    },
  };
}
