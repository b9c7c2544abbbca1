import { randomBytes } from 'node:crypto';

export interface PagedResult<T> {
  userId: string;
  query: string;
  items: T[];
  createdAt: number;
}

export interface ResultPages {
  put<T>(entry: Omit<PagedResult<T>, 'createdAt'>): string;
  get<T>(key: string): PagedResult<T> | undefined;
}

/**
 * Keeps recent result lists in memory so buttons can page through them without asking the engine
 * again. Bounded by count and age; an expired key just means "run the command again".
 */
export function createResultPages(opts: { max?: number; ttlMs?: number; now?: () => number } = {}): ResultPages {
  const max = opts.max ?? 500;
  const ttlMs = opts.ttlMs ?? 15 * 60_000; // 15 min: a button older than that answers "expired"
  const now = opts.now ?? Date.now;
  const entries = new Map<string, PagedResult<unknown>>();
  return {
    put(entry) {
      const key = randomBytes(6).toString('base64url');
      entries.set(key, { ...entry, createdAt: now() });
      while (entries.size > max) entries.delete(entries.keys().next().value!);
      return key;
    },
    get<T>(key: string) {
      const e = entries.get(key);
      if (!e) return undefined;
      if (now() - e.createdAt > ttlMs) {
        entries.delete(key);
        return undefined;
      }
      return e as PagedResult<T>;
    },
  };
}
