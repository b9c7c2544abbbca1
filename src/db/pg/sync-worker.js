// The PostgreSQL side of the synchronous client (sync-client.ts): one `pg` connection in a worker
// thread. Plain JavaScript on purpose: a worker does not inherit the tsx loader that the main thread
// registered, so a .ts worker would load under vitest but not under `node bin/newsdesk.js`.
//
// Protocol: the main thread posts { id, op, ... } on `port` and blocks in Atomics.wait on `signal`;
// every reply is posted on `port` first and the signal raised after, so the reply is there to read
// (receiveMessageOnPort) when the main thread wakes.
import { workerData } from 'node:worker_threads';
import pg from 'pg';

const { port, signal, connectionString, applicationName, session } = workerData;
const flag = new Int32Array(signal);

// int8 (counts, bigint ids) and numeric as JS numbers: the repositories expect numbers, and ids stay
// far below 2^53 (they are also HNSW labels, which are 32-bit).
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/** @type {pg.Client | null} */
let client = null;
/** Set when the connection broke while idle; the next request that may retry reconnects. */
let broken = null;
/** SQL text → prepared-statement name (per connection; pg re-prepares on a new client). */
const names = new Map();

// A thread that dies (a bug, out of memory) must not leave the caller waiting: 2 means "gone".
process.on('exit', () => {
  Atomics.store(flag, 0, 2);
  Atomics.notify(flag, 0);
});

function reply(msg) {
  port.postMessage(msg);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

function errorInfo(err) {
  const e = err ?? {};
  return {
    message: String(e.message ?? e),
    code: e.code,
    detail: e.detail,
    hint: e.hint,
    constraint: e.constraint,
    table: e.table,
    column: e.column,
    severity: e.severity,
  };
}

async function connect() {
  const c = new pg.Client({ connectionString, application_name: applicationName });
  c.on('error', (err) => {
    // An idle connection dropped (server restart, network): remembered, not fatal to the thread.
    broken = err;
  });
  await c.connect();
  for (const statement of session) await c.query(statement);
  client = c;
  broken = null;
}

async function handle(req) {
  switch (req.op) {
    case 'connect':
      await connect();
      return { rows: [], rowCount: 0, fields: [] };
    case 'query': {
      if (broken || !client) await reconnect(req);
      try {
        return await run(req);
      } catch (err) {
        // The connection died while idle and pg noticed only now: nothing was sent, so one retry on
        // a new connection is safe (outside a transaction only).
        if (!NOT_SENT.test(String(err?.message))) throw err;
        await reconnect(req);
        return await run(req);
      }
    }
    case 'close':
      await client?.end();
      client = null;
      return { rows: [], rowCount: 0, fields: [] };
    default:
      throw new Error(`unknown op ${req.op}`);
  }
}

const NOT_SENT = /not queryable|Client was closed/;

async function reconnect(req) {
  if (!req.mayReconnect) throw broken ?? new Error('the PostgreSQL connection was lost inside a transaction');
  await client?.end().catch(() => {});
  client = null;
  await connect();
}

async function run(req) {
  const config = { text: req.text, values: req.values, rowMode: req.rowMode };
  if (req.values && req.values.length > 0) {
    let name = names.get(req.text);
    if (!name) {
      name = `nd${names.size + 1}`;
      names.set(req.text, name);
    }
    config.name = name;
  }
  const r = await client.query(config);
  // A multi-statement simple query returns one result per statement: the last one counts.
  const last = Array.isArray(r) ? r[r.length - 1] : r;
  return {
    rows: last?.rows ?? [],
    rowCount: last?.rowCount ?? 0,
    fields: (last?.fields ?? []).map((f) => ({ name: f.name, type: f.dataTypeID })),
  };
}

port.on('message', (req) => {
  handle(req)
    .then(
      (result) => reply({ id: req.id, ok: true, ...result }),
      (err) => reply({ id: req.id, ok: false, error: errorInfo(err) }),
    )
    .finally(() => {
      // Nothing else keeps the thread alive once the port is closed: it exits.
      if (req.op === 'close') port.close();
    });
});
