import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small OpenAI-compatible server on 127.0.0.1 for tests: `/v1/embeddings`, `/v1/chat/completions`
 * (JSON and SSE streaming) and `/v1/models`, with the real wire format, so the production openai SDK
 * and @langchain/openai clients run unchanged against it.
 */

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body (undefined for GET or unparsable bodies). */
  body: any;
}

/** A custom reply: a string is the assistant's message; `{ status, body }` is sent raw as JSON. */
export type ChatReply = string | { status: number; body: unknown };
export type ChatReplyFn = (body: any) => ChatReply | Promise<ChatReply>;

export interface FakeOpenAIOptions {
  /** Native embedding dimension when the request has no `dimensions` (default 64). */
  dimension?: number;
  /** When set, every request must carry `Authorization: Bearer <apiKey>` or gets a 401. */
  apiKey?: string;
  /** Model ids listed by `GET /v1/models`. */
  models?: string[];
}

export interface FakeOpenAI {
  /** e.g. `http://127.0.0.1:41234/v1` */
  baseURL: string;
  requests: RecordedRequest[];
  setChatReply(fn: ChatReplyFn): void;
  /** The next `n` POST requests fail with `status`; `retryAfter` (seconds, may be fractional) sets Retry-After. */
  failNext(n: number, status?: 429 | 500, retryAfter?: number): void;
  close(): Promise<void>;
}

const DEFAULT_MODELS = ['gpt-4o-mini', 'text-embedding-3-small'];

/**
 * Deterministic text-dependent unit vector: a hashed bag of lower-cased words (FNV-1a, signed buckets),
 * rounded to float32 so the `float` and `base64` encodings carry exactly the same numbers.
 */
export function fakeEmbedding(text: string, dimension: number): number[] {
  const v = new Array<number>(dimension).fill(0);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const w of words) {
    const h = fnv1a(w);
    v[h % dimension]! += (h >>> 16) & 1 ? 1 : -1;
  }
  if (words.length === 0) v[0] = 1;
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => Math.fround(x / norm));
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Little-endian float32, base64: what the real API returns for `encoding_format: "base64"`. */
export function toBase64Float32(v: number[]): string {
  const buf = Buffer.alloc(v.length * 4);
  for (const [i, x] of v.entries()) buf.writeFloatLE(x, i * 4);
  return buf.toString('base64');
}

function countTokens(text: string): number {
  return (text.match(/\S+/g) ?? []).length;
}

export async function startFakeOpenAI(opts: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const dimension = opts.dimension ?? 64;
  const models = opts.models ?? DEFAULT_MODELS;
  const requests: RecordedRequest[] = [];
  let chatReply: ChatReplyFn = () => 'This is a fake reply.';
  let failures: Array<{ status: number; retryAfter?: number }> = [];
  let seq = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, Buffer.concat(chunks).toString('utf8'), res).catch((err: unknown) => {
        if (!res.headersSent) sendError(res, 500, String(err), 'server_error');
        else res.end();
      });
    });
  });

  async function handle(req: http.IncomingMessage, raw: string, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });

    if (opts.apiKey !== undefined && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
      const given = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
      // Echoes the key it was given, verbatim: harsher than the real API (which masks it), on purpose,
      // so tests can prove the client never passes server text containing the key to the user.
      sendError(res, 401, `Incorrect API key provided: ${given}.`, 'invalid_request_error', 'invalid_api_key');
      return;
    }
    if (req.method === 'POST' && failures.length > 0) {
      const f = failures.shift()!;
      const headers: Record<string, string> = {};
      if (f.retryAfter !== undefined) {
        headers['retry-after'] = String(f.retryAfter);
        headers['retry-after-ms'] = String(Math.round(f.retryAfter * 1000));
      }
      if (f.status === 429) {
        sendError(res, 429, 'Rate limit reached for requests. Please try again shortly.', 'requests', 'rate_limit_exceeded', headers);
      } else {
        sendError(res, f.status, 'The server had an error while processing your request.', 'server_error', null, headers);
      }
      return;
    }

    if (req.method === 'GET' && path === '/v1/models') {
      sendJson(res, 200, {
        object: 'list',
        data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' })),
      });
    } else if (req.method === 'POST' && path === '/v1/embeddings') {
      embeddings(body, res);
    } else if (req.method === 'POST' && path === '/v1/chat/completions') {
      await chat(body, res);
    } else {
      sendError(res, 404, `Unknown request URL: ${req.method} ${path}.`, 'invalid_request_error', 'unknown_url');
    }
  }

  function embeddings(body: any, res: http.ServerResponse): void {
    if (!body || typeof body.model !== 'string' || body.input === undefined) {
      sendError(res, 400, "'model' and 'input' are required.", 'invalid_request_error');
      return;
    }
    const dim = typeof body.dimensions === 'number' ? body.dimensions : dimension;
    const format = body.encoding_format ?? 'float';
    if (format !== 'float' && format !== 'base64') {
      sendError(res, 400, `Invalid encoding_format: ${String(format)}`, 'invalid_request_error');
      return;
    }
    // input: string | string[] | number[] (token ids) | number[][]
    const input: unknown[] = typeof body.input === 'string' || (Array.isArray(body.input) && typeof body.input[0] === 'number') ? [body.input] : body.input;
    const texts = input.map((x) => (Array.isArray(x) ? x.join(' ') : String(x)));
    const tokens = texts.reduce((n, t) => n + countTokens(t), 0);
    sendJson(res, 200, {
      object: 'list',
      data: texts.map((t, index) => {
        const v = fakeEmbedding(t, dim);
        return { object: 'embedding', index, embedding: format === 'base64' ? toBase64Float32(v) : v };
      }),
      model: body.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  }

  async function chat(body: any, res: http.ServerResponse): Promise<void> {
    if (!body || typeof body.model !== 'string' || !Array.isArray(body.messages)) {
      sendError(res, 400, "'model' and 'messages' are required.", 'invalid_request_error');
      return;
    }
    const reply = await chatReply(body);
    if (res.destroyed) return; // the client gave up (timeout, abort) or the server closed
    if (typeof reply !== 'string') {
      sendJson(res, reply.status, reply.body);
      return;
    }
    const id = `chatcmpl-fake${++seq}`;
    const created = Math.floor(Date.now() / 1000);
    const promptTokens = body.messages.reduce((n: number, m: any) => n + countTokens(typeof m.content === 'string' ? m.content : JSON.stringify(m.content)), 0);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: countTokens(reply),
      total_tokens: promptTokens + countTokens(reply),
    };
    if (!body.stream) {
      sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: reply, refusal: null }, logprobs: null, finish_reason: 'stop' }],
        usage,
        system_fingerprint: 'fp_fake',
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const includeUsage = body.stream_options?.include_usage === true;
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created,
        model: body.model,
        system_fingerprint: 'fp_fake',
        choices,
        ...(includeUsage ? { usage: null } : {}),
        ...extra,
      })}\n\n`;
    res.write(chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }]));
    for (const piece of reply.match(/\S+\s*|\s+/g) ?? []) {
      res.write(chunk([{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }]));
    }
    res.write(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]));
    if (includeUsage) res.write(chunk([], { usage }));
    res.end('data: [DONE]\n\n');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    setChatReply(fn) {
      chatReply = fn;
    },
    failNext(n, status = 429, retryAfter) {
      failures = [...failures, ...Array.from({ length: n }, () => ({ status, retryAfter }))];
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': `req_fake${Math.random().toString(16).slice(2, 10)}`,
    ...headers,
  });
  res.end(text);
}

function sendError(
  res: http.ServerResponse,
  status: number,
  message: string,
  type: string,
  code: string | null = null,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error: { message, type, param: null, code } }, headers);
}
