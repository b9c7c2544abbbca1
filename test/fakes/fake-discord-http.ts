/**
 * HTTP plumbing of the fake Discord: turning a request into a {@link RecordedCall} (JSON or
 * multipart bodies, decoded paths) and the call log tests wait on.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RecordedFile } from './fake-discord-state.ts';

/** One REST request as the fake received it, with what it answered. */
export interface RecordedCall {
  method: string;
  /** Decoded and relative to `/api/v10`, e.g. `/webhooks/1000/<token>/messages/@original`. */
  path: string;
  /** As received, e.g. `/api/v10/webhooks/1000/<token>/messages/%40original`. */
  rawPath: string;
  query: Record<string, string>;
  /** Parsed JSON, or a multipart request's `payload_json`; `undefined` without a body. */
  body: unknown;
  /** Uploaded files of a multipart request. */
  files: RecordedFile[];
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Filled in once the fake has answered. */
  status: number;
  /** The JSON the fake answered (`undefined` for 204). */
  response: unknown;
}

/** A request read off the wire, before it is answered. */
export interface ReadRequest {
  call: RecordedCall;
  query: URLSearchParams;
  /** Under `/api` (unversioned or v10). */
  isApi: boolean;
  /** The body was not valid JSON (or multipart). */
  bodyError: boolean;
}

const API_PATH = /^\/api(?:\/v(\d+))?(\/.*)?$/;

/** Reads and parses a whole request. */
export async function readRequest(req: IncomingMessage, url: URL): Promise<ReadRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const parsed = await parseBody(Buffer.concat(chunks), req.headers['content-type'] ?? '');
  const apiMatch = API_PATH.exec(url.pathname);
  const path = (apiMatch?.[2] ?? url.pathname).split('/').map(safeDecode).join('/');
  return {
    call: {
      method: req.method ?? 'GET',
      path,
      rawPath: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: parsed.body,
      files: parsed.files,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')])),
      status: 0,
      response: undefined,
    },
    query: url.searchParams,
    isApi: apiMatch !== null && (apiMatch[1] === undefined || apiMatch[1] === '10'),
    bodyError: parsed.error,
  };
}

/** Sends a JSON body (or none: 204-style) with extra headers. */
export function sendJson(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const json = body === undefined ? undefined : JSON.stringify(body);
  res.writeHead(status, { ...(json !== undefined ? { 'content-type': 'application/json' } : {}), ...headers });
  res.end(json);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** JSON, or multipart/form-data as discord.js sends it with files (`payload_json` + `files[n]`). */
async function parseBody(raw: Buffer, contentType: string): Promise<{ body: unknown; files: RecordedFile[]; error: boolean }> {
  if (raw.length === 0) return { body: undefined, files: [], error: false };
  try {
    if (contentType.startsWith('multipart/form-data')) {
      // undici's Response parses multipart for us; no dependency needed.
      const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
      const files: RecordedFile[] = [];
      let body: unknown;
      for (const [field, value] of form.entries()) {
        if (typeof value === 'string') {
          if (field === 'payload_json') body = JSON.parse(value);
          continue;
        }
        const data = Buffer.from(await value.arrayBuffer());
        files.push({ field, filename: value.name, contentType: value.type || 'application/octet-stream', size: data.length, data });
      }
      return { body, files, error: false };
    }
    return { body: JSON.parse(raw.toString('utf8')), files: [], error: false };
  } catch {
    return { body: raw.toString('utf8'), files: [], error: true };
  }
}

interface Waiter {
  predicate: (call: RecordedCall) => boolean;
  resolve: (call: RecordedCall) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Every answered call, in order, and promises waiting for one that matches. */
export class CallLog {
  readonly calls: RecordedCall[] = [];
  private readonly waiters = new Set<Waiter>();

  add(call: RecordedCall): void {
    this.calls.push(call);
    for (const w of [...this.waiters]) {
      let hit = false;
      try {
        hit = w.predicate(call);
      } catch {
        hit = false; // a predicate that throws on an unrelated call just does not match it
      }
      if (hit) {
        clearTimeout(w.timer);
        this.waiters.delete(w);
        w.resolve(call);
      }
    }
  }

  /** The first call (past or future) matching `predicate`; rejects after `timeoutMs` listing what came. */
  waitFor(predicate: (call: RecordedCall) => boolean, timeoutMs: number): Promise<RecordedCall> {
    const past = this.calls.find((c) => {
      try {
        return predicate(c);
      } catch {
        return false;
      }
    });
    if (past) return Promise.resolve(past);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          const seen = this.calls.map((c) => `  ${c.method} ${c.path} → ${c.status}`).join('\n') || '  (none)';
          reject(new Error(`fake-discord: no matching REST call within ${timeoutMs} ms. Calls so far:\n${seen}`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Rejects every pending wait (the fake is closing). */
  close(): void {
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new Error('fake-discord: closed'));
    }
    this.waiters.clear();
  }
}
