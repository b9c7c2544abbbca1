import { describe, expect, it } from 'vitest';
import { createAnswerQueue } from '../../src/discord/answer-queue.ts';
import { isUserError } from '../../src/errors.ts';

describe('createAnswerQueue', () => {
  it('runs at most `concurrency` jobs at once and refuses work past `maxPending`', async () => {
    const q = createAnswerQueue({ concurrency: 1, maxPending: 1 });
    const gates: Array<() => void> = [];
    let running = 0;
    let peak = 0;
    const job = () =>
      q.run(
        () =>
          new Promise<number>((resolve) => {
            running++;
            peak = Math.max(peak, running);
            gates.push(() => {
              running--;
              resolve(1);
            });
          }),
      );
    const a = job();
    const b = job();
    const c = job().catch((e: unknown) => e);
    expect(isUserError(await c)).toBe(true);
    expect(q.size).toBe(2);
    await new Promise((r) => setTimeout(r, 5));
    gates.shift()!();
    await a;
    await new Promise((r) => setTimeout(r, 5));
    gates.shift()!();
    await b;
    await q.idle();
    expect(peak).toBe(1);
    expect(q.size).toBe(0);
  });

  it('passes a job failure to its caller and keeps going', async () => {
    const q = createAnswerQueue({ concurrency: 2, maxPending: 5 });
    await expect(q.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(q.run(async () => 7)).resolves.toBe(7);
  });
});
