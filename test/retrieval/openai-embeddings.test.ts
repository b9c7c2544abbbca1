import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import { UserError } from '../../src/errors.ts';
import { createOpenAIEmbeddings, embedderId, probeEmbeddingDimension } from '../../src/retrieval/openai-embeddings.ts';
import { fakeEmbedding, startFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai.ts';

const KEY = 'sk-test-SECRET-embed-0123456789';

function makeConfig(baseURL: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    NEWSDESK_EMBEDDER: 'openai',
    OPENAI_BASE_URL: baseURL,
    OPENAI_API_KEY: KEY,
    OPENAI_TIMEOUT_MS: '5000',
    ...env,
  });
}

const TEXTS = ['The council approved the budget.', 'Floods hit the northern valley\nafter storms.', 'Budget vote delayed'];

describe('createOpenAIEmbeddings', () => {
  let fake: FakeOpenAI;
  beforeEach(async () => {
    fake = await startFakeOpenAI({ dimension: 48, apiKey: KEY });
  });
  afterEach(async () => {
    await fake.close();
  });

  it('gets the same, correct vectors with float and base64 wire formats', async () => {
    const config = makeConfig(fake.baseURL);
    const float = await createOpenAIEmbeddings(config, { wireFormat: 'float' }).embedDocuments(TEXTS);
    const b64 = await createOpenAIEmbeddings(config, { wireFormat: 'base64' }).embedDocuments(TEXTS);
    // LangChain strips newlines before sending (stripNewLines defaults to true).
    const expected = TEXTS.map((t) => fakeEmbedding(t.replace(/\n/g, ' '), 48));
    expect(float).toEqual(expected);
    expect(b64).toEqual(expected);
    expect(fake.requests.map((r) => r.body.encoding_format)).toEqual(['float', 'base64']);
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(fake.requests[0]!.body.model).toBe('text-embedding-3-small');
  });

  it('embeds a query as one input and batches documents', async () => {
    const embeddings = createOpenAIEmbeddings(makeConfig(fake.baseURL), { batchSize: 2 });
    expect(await embeddings.embedQuery('budget vote')).toEqual(fakeEmbedding('budget vote', 48));
    await embeddings.embedDocuments([...TEXTS, 'a', 'b']);
    expect(fake.requests.map((r) => (Array.isArray(r.body.input) ? r.body.input.length : 'one'))).toEqual(['one', 2, 2, 1]);
  });

  it('sends configured dimensions and probes them at start-up', async () => {
    const embeddings = createOpenAIEmbeddings(makeConfig(fake.baseURL, { OPENAI_EMBEDDING_DIMENSIONS: '16' }));
    expect(await probeEmbeddingDimension(embeddings)).toBe(16);
    expect(fake.requests[0]!.body.dimensions).toBe(16);
  });

  it('fails the probe with an actionable config error on an unexpected dimension', async () => {
    const embeddings = createOpenAIEmbeddings(makeConfig(fake.baseURL));
    await expect(probeEmbeddingDimension(embeddings, 1536)).rejects.toMatchObject({
      code: 'config',
      message: expect.stringMatching(/got 48-dimensional vectors, expected 1536/),
    });
    expect(await probeEmbeddingDimension(embeddings)).toBe(48);
  });

  it('fails the probe with a config error naming OPENAI_BASE_URL when the server is unreachable', async () => {
    const dead = await startFakeOpenAI();
    const url = dead.baseURL;
    await dead.close();
    const embeddings = createOpenAIEmbeddings(makeConfig(url), { maxRetries: 0 });
    const err = await probeEmbeddingDimension(embeddings).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err).toMatchObject({ code: 'config', message: expect.stringContaining('OPENAI_BASE_URL') });
  });

  it('retries a 429 after the Retry-After delay, not the default back-off', async () => {
    fake.failNext(2, 429, 0.02);
    const started = Date.now();
    const v = await createOpenAIEmbeddings(makeConfig(fake.baseURL), { maxRetries: 2 }).embedQuery('budget');
    expect(v).toEqual(fakeEmbedding('budget', 48));
    expect(fake.requests).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(700); // the SDK default would wait ≥ 1.1 s for two retries
  });

  it('gives up after maxRetries with an upstream error', async () => {
    fake.failNext(5, 500, 0.01);
    const err = await createOpenAIEmbeddings(makeConfig(fake.baseURL), { maxRetries: 1 })
      .embedQuery('x')
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'upstream', message: expect.stringContaining('HTTP 500') });
    expect(fake.requests).toHaveLength(2);
  });

  it('never puts the API key in errors, even when the server echoes it', async () => {
    const wrong = 'sk-test-WRONG-key-9876543210';
    const config = makeConfig(fake.baseURL, { OPENAI_API_KEY: wrong });
    const err = await createOpenAIEmbeddings(config)
      .embedQuery('x')
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'upstream', message: expect.stringContaining('OPENAI_API_KEY') });
    expect(fake.requests).toHaveLength(1); // 401 is not retried
    const dump = chain(err);
    expect(dump).toContain('[redacted]');
    expect(dump).not.toContain(wrong);
  });
});

describe('embedderId', () => {
  it('names model and dimension so an index built by another embedder is detected', () => {
    expect(embedderId(makeConfig('http://x/v1'))).toBe('openai:text-embedding-3-small:1536');
    expect(embedderId(makeConfig('http://x/v1', { OPENAI_EMBEDDING_DIMENSIONS: '256' }))).toBe('openai:text-embedding-3-small:256');
    expect(embedderId(makeConfig('http://x/v1', { OPENAI_EMBEDDING_MODEL: 'nomic-embed-text' }))).toBe('openai:nomic-embed-text:native');
    expect(embedderId(loadConfig({ NEWSDESK_LOCAL_DIM: '128' }))).toBe('local:128');
  });
});

/** Everything an edge logger could print about an error and its causes. */
function chain(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  while (e instanceof Error) {
    parts.push(e.message, e.stack ?? '', JSON.stringify(e));
    e = e.cause;
  }
  return parts.join('\n');
}
