import { describe, expect, it } from 'vitest';
import { createHostLimiter, hostOf, limitFetcherPerHost } from '../../src/fetch/host-limiter.ts';
import type { Fetcher, FetchResult } from '../../src/fetch/fetcher.ts';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('host limiter', () => {
  it('keys by host name, lower-case, without port', () => {
    expect(hostOf('http://News.Example:8080/feed.xml')).toBe('news.example');
    expect(hostOf('https://[::1]:443/x')).toBe('::1');
  });

  it('runs one task per host at a time, in arrival order, while other hosts go ahead', async () => {
    const limiter = createHostLimiter(1);
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([
      limiter.run('a', task('a1', 30)),
      limiter.run('A', task('a2', 5)),
      limiter.run('b', task('b1', 5)),
      limiter.run('a', task('a3', 5)),
    ]);
    expect(results).toEqual(['a1', 'a2', 'b1', 'a3']);
    expect(log.slice(0, 2)).toEqual(['start a1', 'start b1']);
    expect(log.indexOf('start a2')).toBeGreaterThan(log.indexOf('end a1'));
    expect(log.indexOf('start a3')).toBeGreaterThan(log.indexOf('end a2'));
    expect(limiter.active('a')).toBe(0);
  });

  it('releases the slot when a task fails', async () => {
    const limiter = createHostLimiter(1);
    await expect(limiter.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run('a', async () => 'next')).resolves.toBe('next');
  });

  it('serialises a wrapped fetcher per host', async () => {
    let inFlight = 0;
    let max = 0;
    const inner: Fetcher = {
      async fetch(url) {
        inFlight++;
        max = Math.max(max, inFlight);
        await sleep(10);
        inFlight--;
        return { status: 200, url, headers: {}, contentType: null, body: Buffer.alloc(0), notModified: false } satisfies FetchResult;
      },
    };
    const f = limitFetcherPerHost(inner);
    await Promise.all([1, 2, 3].map((i) => f.fetch(`http://same.example/${i}`)));
    expect(max).toBe(1);
  });
});
