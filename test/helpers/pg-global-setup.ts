/** Vitest global setup: one PostgreSQL server for the run (test/helpers/pg-cluster.ts). */
export { setupPgCluster as default } from './pg-cluster.ts';
