import type OpenAI from 'openai';
import { OpenAIEmbeddings } from '@langchain/openai';
import type { Embeddings } from '@langchain/core/embeddings';
import type { Config } from '../config.ts';
import { UserError, isUserError } from '../errors.ts';
import { PLACEHOLDER_API_KEY, createOpenAIClient, toUpstreamError } from '../openai-client.ts';

/** Native output sizes of well-known models, so `embedderId` is stable before any request is made. */
const KNOWN_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

export const EMBEDDING_DEFAULTS = {
  batchSize: 128, // inputs per request: well under OpenAI's 2,048-input / 300k-token caps for our chunk sizes
  maxConcurrency: 2, // requests in flight per embedder
};

export interface OpenAIEmbeddingsOptions {
  /** A ready client (tests, or to share one); otherwise one is built from `config.openai`. */
  client?: OpenAI;
  /** SDK retries on 429 / 5xx / connection errors, honouring Retry-After (default 2). */
  maxRetries?: number;
  batchSize?: number;
  /**
   * `float` (default) asks for JSON numbers, which every compatible server understands. `base64` leaves
   * `encoding_format` unset so the SDK asks for base64 and decodes it itself. (Passing "base64" through
   * LangChain's `encodingFormat` would hand back undecoded strings instead of vectors.)
   */
  wireFormat?: 'float' | 'base64';
}

/**
 * `OpenAIEmbeddings` with our client (LangChain's own builds its client with `maxRetries: 0` and retries
 * with ≥1 s back-off in its caller; the SDK's retry honours Retry-After and the configured timeout), errors
 * turned into `UserError('upstream')`, and every returned vector checked for shape and dimension.
 */
class CheckedOpenAIEmbeddings extends OpenAIEmbeddings {
  /** Configured `dimensions`, else the size of the first vector seen. */
  expectedDim: number | undefined;
  private readonly config: Config;

  constructor(config: Config, fields: ConstructorParameters<typeof OpenAIEmbeddings>[0], client: OpenAI) {
    super(fields);
    this.client = client;
    this.config = config;
    this.expectedDim = fields?.dimensions;
  }

  override async embedDocuments(texts: string[]): Promise<number[][]> {
    if (texts.length === 0) return [];
    let vectors: number[][];
    try {
      vectors = await super.embedDocuments(texts);
    } catch (err) {
      throw this.wrap(err);
    }
    if (vectors.length !== texts.length) {
      throw new UserError('upstream', `The embedding service returned ${vectors.length} vectors for ${texts.length} texts.`);
    }
    for (const v of vectors) this.check(v);
    return vectors;
  }

  override async embedQuery(text: string): Promise<number[]> {
    let vector: number[];
    try {
      vector = await super.embedQuery(text);
    } catch (err) {
      throw this.wrap(err);
    }
    this.check(vector);
    return vector;
  }

  private wrap(err: unknown): unknown {
    if (isUserError(err)) return err;
    return toUpstreamError(err, this.config, 'The embedding service', 'OPENAI_EMBEDDING_MODEL');
  }

  private check(v: unknown): asserts v is number[] {
    if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new UserError(
        'upstream',
        'The embedding service returned something that is not a vector of numbers. Check that OPENAI_BASE_URL points at an OpenAI-compatible /v1 endpoint.',
      );
    }
    if (this.expectedDim === undefined) this.expectedDim = v.length;
    else if (v.length !== this.expectedDim) {
      throw new UserError(
        'embedder-mismatch',
        `The embedding service returned a ${v.length}-dimensional vector where ${this.expectedDim} were expected. ` +
          'If OPENAI_EMBEDDING_DIMENSIONS is set, the model may not support it; otherwise the model behind OPENAI_EMBEDDING_MODEL changed.',
      );
    }
  }
}

/** A LangChain `Embeddings` backed by an OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, Ollama, vLLM…). */
export function createOpenAIEmbeddings(config: Config, opts: OpenAIEmbeddingsOptions = {}): OpenAIEmbeddings {
  if (config.embedder.kind !== 'openai') {
    throw new UserError('config', 'createOpenAIEmbeddings needs NEWSDESK_EMBEDDER=openai.');
  }
  const client = opts.client ?? createOpenAIClient(config, { maxRetries: opts.maxRetries });
  return new CheckedOpenAIEmbeddings(
    config,
    {
      model: config.embedder.model,
      dimensions: config.embedder.dimensions,
      apiKey: config.openai.apiKey ?? PLACEHOLDER_API_KEY,
      configuration: { baseURL: config.openai.baseURL },
      batchSize: opts.batchSize ?? EMBEDDING_DEFAULTS.batchSize,
      maxConcurrency: EMBEDDING_DEFAULTS.maxConcurrency,
      maxRetries: 0, // retries happen once, in the SDK client
      timeout: config.openai.timeoutMs,
      encodingFormat: (opts.wireFormat ?? 'float') === 'float' ? 'float' : undefined,
    },
    client,
  );
}

/**
 * Embed one string at start-up and return the vector size. Throws `UserError('config')` with what to
 * check when the server cannot be reached, answers with something that is not a vector, or returns a
 * size other than `expected` (default: the configured `dimensions`, when the embedder is ours).
 */
export async function probeEmbeddingDimension(embeddings: Embeddings, expected?: number): Promise<number> {
  const want = expected ?? (embeddings instanceof CheckedOpenAIEmbeddings ? embeddings.dimensions : undefined);
  let vector: unknown;
  try {
    vector = await embeddings.embedQuery('Newsdesk start-up check: embedding dimension probe.');
  } catch (err) {
    const detail = isUserError(err) ? err.message : 'The embedder failed unexpectedly.';
    throw new UserError('config', `Embedding start-up check failed. ${detail}`, { cause: err });
  }
  if (!Array.isArray(vector) || vector.length === 0 || !vector.every((x) => Number.isFinite(x))) {
    throw new UserError('config', 'Embedding start-up check failed: the embedder did not return a vector of numbers.');
  }
  if (want !== undefined && vector.length !== want) {
    throw new UserError(
      'config',
      `Embedding start-up check failed: got ${vector.length}-dimensional vectors, expected ${want}. ` +
        'Unset OPENAI_EMBEDDING_DIMENSIONS or choose a model that supports it (text-embedding-3-*).',
    );
  }
  return vector.length;
}

/**
 * Identifies the vector space an index was built in, e.g. `openai:text-embedding-3-small:1536` or
 * `local:384`; an index whose stored id differs must be rebuilt. Unknown models without configured
 * dimensions get `native`, since their size is only known after a request.
 */
export function embedderId(config: Config): string {
  const e = config.embedder;
  if (e.kind === 'local') return `local:${e.dim}`;
  return `openai:${e.model}:${e.dimensions ?? KNOWN_DIMENSIONS[e.model] ?? 'native'}`;
}
