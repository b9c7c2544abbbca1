import { spawn } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgLeadership } from '../../src/db/pg-leadership.ts';
import { CHANGES_CHANNEL, pgChangeSignal } from '../../src/db/pg-change-signal.ts';
import { silentLogger } from '../../src/logger.ts';
import { createTestDatabase, hasPg, pgSkipReason, type TestDatabase } from '../helpers/pg-cluster.ts';
import { REPO_ROOT } from '../helpers/test-core.ts';

/** The PostgreSQL leader lock and change notifications, against a real server. */
let db: TestDatabase;

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

describe.skipIf(!hasPg)(`PostgreSQL leadership and change signal${hasPg ? '' : ` (skipped: ${pgSkipReason()})`}`, () => {
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('one holder of the advisory lock; a standby takes over when the holder process is SIGKILLed', async () => {
    // The holder is another process, killed as a crash would: its session ends and the server drops the lock.
    const script = `import { openPgLeadership } from './src/db/pg-leadership.ts';
      import { silentLogger } from './src/logger.ts';
      const l = openPgLeadership(process.env.URL, { logger: silentLogger, retryMs: 100 });
      l.onChange((v) => v && console.log('leader'));
      setInterval(() => {}, 1000);`;
    const holder = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, env: { ...process.env, URL: db.url } });
    let out = '';
    holder.stdout.on('data', (d) => (out += d));
    await expect.poll(() => out, { timeout: 20_000 }).toContain('leader');

    const standby = openPgLeadership(db.url, { logger: silentLogger, retryMs: 100 });
    const changes: boolean[] = [];
    standby.onChange((v) => changes.push(v));
    await new Promise((r) => setTimeout(r, 500));
    expect(standby.isLeader()).toBe(false);
    const held = await sql<{ n: string }>("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted");
    expect(Number(held[0]!.n)).toBe(1);

    holder.kill('SIGKILL');
    await expect.poll(() => standby.isLeader(), { timeout: 15_000 }).toBe(true);
    expect(changes).toEqual([true]);

    // A second standby stays one; after stop() the lock is free at once.
    const other = openPgLeadership(db.url, { logger: silentLogger, retryMs: 100 });
    await new Promise((r) => setTimeout(r, 400));
    expect(other.isLeader()).toBe(false);
    await standby.stop();
    await expect.poll(() => other.isLeader(), { timeout: 5_000 }).toBe(true);
    await other.stop();
  }, 60_000);

  it('the holder steps down at once when its connection is killed, and takes the lock again when it can', async () => {
    const l = openPgLeadership(db.url, { logger: silentLogger, retryMs: 100 });
    await expect.poll(() => l.isLeader()).toBe(true);
    const changes: boolean[] = [];
    l.onChange((v) => changes.push(v));
    await sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'newsdesk-leader'");
    await expect.poll(() => changes[0]).toBe(false);
    await expect.poll(() => changes).toEqual([false, true]);
    await l.stop();
  }, 30_000);

  it('NOTIFY after commit triggers a catch-up (bursts coalesced); a dropped listener reconnects and catches up', async () => {
    const signal = pgChangeSignal(db.url, { logger: silentLogger, backoffMs: 50 });
    let calls = 0;
    signal.start(() => calls++);
    await expect.poll(() => calls).toBe(1); // the catch-up on connect

    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    await c.query('BEGIN');
    for (let i = 0; i < 5; i++) await c.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, `w${i}`]);
    await new Promise((r) => setTimeout(r, 300));
    expect(calls).toBe(1); // nothing before the commit: the rows are not visible yet
    await c.query('COMMIT');
    await expect.poll(() => calls).toBe(2); // five notifications, one catch-up
    await new Promise((r) => setTimeout(r, 200));
    expect(calls).toBe(2);

    await c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'newsdesk-listen'");
    await expect.poll(() => calls, { timeout: 10_000 }).toBe(3); // reconnected: catch up on what was missed
    await c.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, 'after']);
    await expect.poll(() => calls).toBe(4);
    await c.end();
    await signal.stop();
  }, 30_000);
});
