import { afterEach, describe, expect, it } from 'vitest';
import { openFileLeadership, type Leadership } from '../../src/db/leadership.ts';
import { silentLogger } from '../../src/logger.ts';
import { whileLeader } from '../../src/sources/while-leader.ts';
import { tempDir } from '../helpers/test-core.ts';

const open: Leadership[] = [];
afterEach(async () => {
  for (const l of open.splice(0)) await l.stop();
});
function lead(dir: string): Leadership {
  const l = openFileLeadership(dir, { logger: silentLogger, retryMs: 50 });
  open.push(l);
  return l;
}

describe('the SQLite leader lock (one machine)', () => {
  it('one holder at a time; when it stops, a standby takes over at its next try and is told', async () => {
    const dir = tempDir('newsdesk-lead-');
    const a = lead(dir);
    const b = lead(dir);
    expect(a.isLeader()).toBe(true);
    expect(b.isLeader()).toBe(false);
    const seen: boolean[] = [];
    b.onChange((v) => seen.push(v));
    await a.stop();
    await expect.poll(() => b.isLeader()).toBe(true);
    expect(seen).toEqual([true]);
    // Other data dirs are other stores: each has its own leader.
    expect(lead(tempDir('newsdesk-lead-')).isLeader()).toBe(true);
  });

  it('whileLeader runs fresh services for each term and stops them before giving the lock up', async () => {
    const dir = tempDir('newsdesk-lead-');
    const holder = lead(dir);
    const standby = lead(dir);
    const events: string[] = [];
    let term = 0;
    const gate = whileLeader(
      standby,
      () => {
        const n = ++term;
        return [{ start: () => events.push(`start ${n}`), stop: async () => void events.push(`stop ${n}`) }];
      },
      silentLogger,
    );
    gate.start();
    expect(events).toEqual([]); // not the leader: nothing runs
    await holder.stop();
    await expect.poll(() => events).toEqual(['start 1']);
    await gate.stop();
    expect(events).toEqual(['start 1', 'stop 1']);
    expect(standby.isLeader()).toBe(false);
    expect(lead(dir).isLeader()).toBe(true); // released
  });
});
