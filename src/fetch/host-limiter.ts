import type { Fetcher, FetchOptions, FetchResult } from './fetcher.ts';

/**
 * Politeness per host: at most `perHost` tasks for one host name run at a time, the rest wait in
 * arrival order. Keys are lower-case host names without the port, so two feeds on one site share
 * a slot whatever port they use.
 */
export interface HostLimiter {
  run<T>(host: string, task: () => Promise<T>): Promise<T>;
  /** Tasks running now for `host`. */
  active(host: string): number;
}

/** The politeness key of a URL: its host name, lower-case, without port or brackets. */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  } catch {
    return url.toLowerCase();
  }
}

export function createHostLimiter(perHost = 1): HostLimiter {
  const running = new Map<string, number>();
  const waiting = new Map<string, Array<() => void>>();

  function release(host: string): void {
    const next = waiting.get(host)?.shift();
    if (waiting.get(host)?.length === 0) waiting.delete(host);
    // Hand the slot straight to the next waiter so a newcomer cannot jump the queue.
    if (next) next();
    else {
      const n = (running.get(host) ?? 1) - 1;
      if (n <= 0) running.delete(host);
      else running.set(host, n);
    }
  }

  async function acquire(host: string): Promise<void> {
    const n = running.get(host) ?? 0;
    if (n < perHost) {
      running.set(host, n + 1);
      return;
    }
    await new Promise<void>((resolve) => {
      const q = waiting.get(host) ?? [];
      q.push(resolve);
      waiting.set(host, q);
    });
  }

  return {
    async run(host, task) {
      const key = host.toLowerCase();
      await acquire(key);
      try {
        return await task();
      } finally {
        release(key);
      }
    },
    active: (host) => running.get(host.toLowerCase()) ?? 0,
  };
}

/**
 * Wraps a fetcher so that every request (feed, article page, robots.txt) waits for its host's slot.
 * A redirect to another host is followed inside the first host's slot: the fetcher owns redirects.
 */
export function limitFetcherPerHost(fetcher: Fetcher, limiter: HostLimiter = createHostLimiter(1)): Fetcher {
  return {
    fetch: (url: string, opts?: FetchOptions): Promise<FetchResult> => limiter.run(hostOf(url), () => fetcher.fetch(url, opts)),
  };
}
