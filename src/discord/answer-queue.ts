import { UserError } from '../errors.ts';

export interface AnswerQueue {
  /** Runs `fn` when a slot is free; rejects at once with a UserError when the queue is full. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Jobs running plus waiting. */
  readonly size: number;
  /** Resolves when nothing is running or waiting. */
  idle(): Promise<void>;
}

/**
 * A bounded FIFO queue: at most `concurrency` jobs run at once and at most `maxPending` wait. Past
 * that, callers get a friendly "busy" error instead of waiting for minutes.
 */
export function createAnswerQueue(opts: { concurrency: number; maxPending: number }): AnswerQueue {
  let running = 0;
  const waiting: Array<() => void> = [];
  let idleWaiters: Array<() => void> = [];

  function next(): void {
    if (running < opts.concurrency) {
      const start = waiting.shift();
      if (start) {
        running++;
        start();
        return;
      }
    }
    if (running === 0 && waiting.length === 0) {
      for (const w of idleWaiters) w();
      idleWaiters = [];
    }
  }

  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      if (waiting.length >= opts.maxPending) {
        return Promise.reject(new UserError('rate-limited', 'Newsdesk is busy answering other questions right now. Please try again in a minute.'));
      }
      return new Promise<T>((resolve, reject) => {
        waiting.push(() => {
          Promise.resolve()
            .then(fn)
            .then(resolve, reject)
            .finally(() => {
              running--;
              next();
            });
        });
        next();
      });
    },
    get size() {
      return running + waiting.length;
    },
    idle() {
      if (running === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}
