/**
 * A synchronous PostgreSQL client: the maintained `pg` driver runs on one connection in a worker
 * thread (sync-worker.js), and each call here blocks the calling thread (Atomics.wait on a shared
 * flag) until the worker's reply is there to read (receiveMessageOnPort). This keeps the Store's
 * repositories synchronous on both adapters (docs/adr/0007-postgres-sync-store.md): a call costs one
 * round trip of blocked event loop, which is fine for writes and small look-ups, while the hot read
 * path (BM25, HNSW, the chunk catalog) is in memory.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

/** A statement failed on the server (or the connection did): SQLSTATE in `code` when PostgreSQL sent one. */
export class PgError extends Error {
  readonly code: string | undefined;
  readonly detail: string | undefined;
  readonly constraint: string | undefined;
  constructor(info: PgErrorInfo) {
    super(info.message);
    this.name = 'PgError';
    this.code = info.code;
    this.detail = info.detail;
    this.constraint = info.constraint;
  }
}

interface PgErrorInfo {
  message: string;
  code?: string;
  detail?: string;
  constraint?: string;
}

export interface PgField {
  name: string;
  /** The type OID (17 = bytea). */
  type: number;
}

export interface PgResult<R = Record<string, unknown>> {
  rows: R[];
  rowCount: number;
  fields: PgField[];
}

export interface SyncPgClient {
  /** One statement with `$n` parameters (prepared once per connection and reused). */
  query<R = Record<string, unknown>>(text: string, values?: unknown[], opts?: { rowMode?: 'array' }): PgResult<R>;
  /** Statements without parameters, separated by semicolons (simple query protocol: DDL, BEGIN, …). */
  exec(text: string): void;
  /** True between `exec('BEGIN')` and its COMMIT/ROLLBACK, as tracked by the caller (no reconnect then). */
  inTransaction: boolean;
  close(): void;
}

export interface SyncPgOptions {
  /** Statements run on every (re)connection, e.g. `SET lock_timeout = '15s'`. */
  session?: string[];
  /** How long one call may block before it gives up (the worker may be stuck). */
  timeoutMs?: number;
  applicationName?: string;
}

const BYTEA = 17;
/** The worker sets the flag to this when its thread exits. */
const GONE = 2;
const DEFAULT_TIMEOUT_MS = 10 * 60_000; // 10 min: a migration or an export query may be long

/** Opens the connection (blocking until it is up); throws PgError when it cannot connect. */
export function openSyncPgClient(connectionString: string, opts: SyncPgOptions = {}): SyncPgClient {
  const signal = new SharedArrayBuffer(4);
  const flag = new Int32Array(signal);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./sync-worker.js', import.meta.url), {
    workerData: { port: port2, signal, connectionString, applicationName: opts.applicationName ?? 'newsdesk', session: opts.session ?? [] },
    transferList: [port2],
    // The parent's loader flags (tsx) are not needed by plain JavaScript and slow the thread's start.
    execArgv: [],
  });
  // A store that is never closed must not keep the process alive.
  worker.unref();
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let nextId = 1;
  let closed = false;

  function call(req: Record<string, unknown>): PgResult<never> {
    if (closed) throw new PgError({ message: 'the PostgreSQL connection is closed' });
    const id = nextId++;
    Atomics.store(flag, 0, 0);
    port1.postMessage({ ...req, id });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(flag, 0, 0, left) === 'timed-out') {
        throw new PgError({ message: `no answer from the PostgreSQL worker within ${Math.round(timeoutMs / 1000)} s` });
      }
      const got = receiveMessageOnPort(port1 as MessagePort) as { message: Reply } | undefined;
      if (!got) {
        if (Atomics.load(flag, 0) === GONE) {
          closed = true;
          throw new PgError({ message: 'the PostgreSQL worker thread stopped (see the log); reopen the store' });
        }
        Atomics.store(flag, 0, 0);
        continue;
      }
      // A reply to an earlier call that timed out is stale: wait for ours.
      if (got.message.id !== id) {
        Atomics.store(flag, 0, 0);
        continue;
      }
      const reply = got.message;
      if (!reply.ok) throw new PgError(reply.error);
      return { rows: reviveRows(reply.rows, reply.fields) as never[], rowCount: reply.rowCount, fields: reply.fields };
    }
  }

  const client: SyncPgClient = {
    inTransaction: false,
    query<R>(text: string, values?: unknown[], o: { rowMode?: 'array' } = {}): PgResult<R> {
      return call({ op: 'query', text, values, rowMode: o.rowMode, mayReconnect: !client.inTransaction }) as PgResult<R>;
    },
    exec(text: string): void {
      call({ op: 'query', text, mayReconnect: !client.inTransaction });
    },
    close(): void {
      if (closed) return;
      try {
        call({ op: 'close' });
      } finally {
        closed = true;
        port1.close();
      }
    },
  };
  try {
    call({ op: 'connect' });
  } catch (err) {
    closed = true;
    port1.close();
    void worker.terminate();
    throw err;
  }
  return client;
}

type Reply = { id: number; ok: true; rows: unknown[]; rowCount: number; fields: PgField[] } | { id: number; ok: false; error: PgErrorInfo };

/** bytea values cross the thread as Uint8Array (structured clone); the repositories expect Buffers. */
function reviveRows(rows: unknown[], fields: PgField[]): unknown[] {
  const bytea = fields.flatMap((f, i) => (f.type === BYTEA ? [{ name: f.name, i }] : []));
  if (bytea.length === 0) return rows;
  for (const row of rows) {
    for (const { name, i } of bytea) {
      if (Array.isArray(row)) row[i] = toBuffer(row[i]);
      else (row as Record<string, unknown>)[name] = toBuffer((row as Record<string, unknown>)[name]);
    }
  }
  return rows;
}

function toBuffer(v: unknown): unknown {
  return v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v;
}
