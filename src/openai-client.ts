import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { Config } from './config.ts';
import { UserError } from './errors.ts';

/**
 * The one place that builds an openai SDK client from `Config` and turns its failures into
 * `UserError('upstream')` messages that are safe to show and never carry the API key.
 */

/** Sent as the key when only a base URL is configured (Ollama, llama.cpp and vLLM ignore it). */
export const PLACEHOLDER_API_KEY = 'not-needed';

export const OPENAI_DEFAULTS = {
  baseURL: 'https://api.openai.com/v1',
  maxRetries: 2, // the SDK backs off 0.5 s × 2^n, or as long as Retry-After / retry-after-ms asks
};

export function createOpenAIClient(config: Config, opts: { maxRetries?: number } = {}): OpenAI {
  return new OpenAI({
    apiKey: config.openai.apiKey ?? PLACEHOLDER_API_KEY,
    // Explicit values, so the SDK does not read OPENAI_BASE_URL / OPENAI_ORG_ID from process.env itself.
    baseURL: config.openai.baseURL ?? OPENAI_DEFAULTS.baseURL,
    organization: null,
    project: null,
    timeout: config.openai.timeoutMs,
    maxRetries: opts.maxRetries ?? OPENAI_DEFAULTS.maxRetries,
  });
}

/** True when the caller's own AbortSignal ended the request (not a timeout): rethrow it as is. */
export function isAbort(err: unknown): boolean {
  return err instanceof APIUserAbortError || (err instanceof Error && err.name === 'AbortError' && !(err instanceof APIConnectionTimeoutError));
}

/**
 * Classify an SDK (or @langchain/openai-wrapped) failure. `service` names what failed for the reader
 * ("The language model", "The embedding service"); `setting` names the model variable to check.
 */
export function toUpstreamError(err: unknown, config: Config, service: string, setting: string): UserError {
  const secrets = [config.openai.apiKey];
  const cause = scrubbedCause(err, secrets, 3);
  const status = statusOf(err);
  const timeoutS = Math.round(config.openai.timeoutMs / 1000);
  let message: string;
  if (err instanceof APIConnectionTimeoutError || (err instanceof Error && err.name === 'TimeoutError')) {
    message = `${service} did not answer within ${timeoutS} s. Try again later; the operator can raise OPENAI_TIMEOUT_MS.`;
  } else if (err instanceof APIConnectionError || (status === undefined && isNetworkError(err))) {
    message = `${service} could not be reached. The operator should check OPENAI_BASE_URL and that the server is running.`;
  } else if (status === 401 || status === 403) {
    message = `${service} rejected our credentials (HTTP ${status}). The operator should check OPENAI_API_KEY.`;
  } else if (status === 404) {
    message = `${service} does not know the configured model (HTTP 404). The operator should check ${setting} and OPENAI_BASE_URL.`;
  } else if (status === 429) {
    message = `${service} is rate-limiting us (HTTP 429). Try again in a minute.`;
  } else if (status !== undefined && status >= 500) {
    message = `${service} failed (HTTP ${status}). Try again later.`;
  } else if (status !== undefined) {
    message = `${service} refused the request (HTTP ${status}).`;
  } else {
    message = `${service} failed unexpectedly.`;
  }
  return new UserError('upstream', message, { cause });
}

function statusOf(err: unknown): number | undefined {
  if (err instanceof APIError && typeof err.status === 'number') return err.status;
  if (err && typeof err === 'object' && 'status' in err && typeof err.status === 'number') return err.status;
  return undefined;
}

function isNetworkError(err: unknown): boolean {
  const code = (err as { code?: unknown; cause?: { code?: unknown } } | null)?.cause?.code ?? (err as { code?: unknown })?.code;
  return typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|UND_ERR_)/.test(code);
}

/**
 * A copy of the failure whose text cannot carry a secret: some servers echo the key they were given
 * in their error message, and the SDK puts that message in `err.message` and `err.error`.
 */
function scrubbedCause(err: unknown, secrets: Array<string | undefined>, depth: number): Error {
  const scrub = (s: string) => {
    let out = s;
    for (const k of secrets) if (k && k.length >= 4) out = out.split(k).join('[redacted]');
    return out;
  };
  const original = err instanceof Error ? err : new Error(String(err));
  const copy = new Error(scrub(original.message));
  copy.name = original.name;
  const status = statusOf(err);
  if (status !== undefined) Object.assign(copy, { status });
  const requestID = (err as { requestID?: unknown } | null)?.requestID;
  if (typeof requestID === 'string') Object.assign(copy, { requestID });
  if (original.stack) copy.stack = scrub(original.stack);
  // Keep the chain (e.g. "fetch failed" ← ECONNREFUSED) for the logs, scrubbed the same way.
  if (depth > 0 && original.cause !== undefined) copy.cause = scrubbedCause(original.cause, secrets, depth - 1);
  const code = (original as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code });
  return copy;
}
