import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One temporary root for the whole run, removed at the end (see test/helpers/temp-root.ts), and
    // one PostgreSQL server for the PG tests, stopped at the end (test/helpers/pg-cluster.ts).
    globalSetup: ['test/helpers/temp-root.ts', 'test/helpers/pg-global-setup.ts'],
    // Native addons (better-sqlite3, hnswlib-node) are happiest in child processes.
    pool: 'forks',
    testTimeout: 30_000, // 30 s: integration tests start real servers and child processes
    hookTimeout: 30_000,
  },
});
