import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeEmbedding, startFakeOpenAI, type FakeOpenAI } from './fake-openai.ts';

const KEY = 'sk-fake-key-123456';

describe('startFakeOpenAI', () => {
  let fake: FakeOpenAI;
  const post = (path: string, body: unknown, key = KEY) =>
    fetch(`${fake.baseURL}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
  beforeEach(async () => {
    fake = await startFakeOpenAI({ apiKey: KEY, dimension: 8 });
  });
  afterEach(async () => {
    await fake.close();
  });

  it('lists models and rejects a wrong key with a 401 error object', async () => {
    const models = await fetch(`${fake.baseURL}/models`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(await models.json()).toMatchObject({ object: 'list', data: [{ object: 'model', id: 'gpt-4o-mini' }, {}] });
    const bad = await post('/embeddings', { model: 'm', input: 'x' }, 'nope');
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_api_key' } });
  });

  it('encodes embeddings as float arrays or little-endian float32 base64, honouring dimensions', async () => {
    const float = await (await post('/embeddings', { model: 'm', input: ['a b', 'c'], encoding_format: 'float' })).json();
    const b64 = await (await post('/embeddings', { model: 'm', input: ['a b', 'c'], encoding_format: 'base64' })).json();
    expect(float).toMatchObject({ object: 'list', model: 'm', usage: { prompt_tokens: 3, total_tokens: 3 } });
    expect(float.data[0]).toEqual({ object: 'embedding', index: 0, embedding: fakeEmbedding('a b', 8) });
    const buf = Buffer.from(b64.data[1].embedding, 'base64');
    expect(Array.from(new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4))).toEqual(float.data[1].embedding);
    const small = await (await post('/embeddings', { model: 'm', input: 'a', dimensions: 4 })).json();
    expect(small.data[0].embedding).toHaveLength(4);
    const norm = Math.hypot(...(float.data[0].embedding as number[]));
    expect(norm).toBeCloseTo(1, 5);
  });

  it('streams SSE chunks with a final usage chunk and [DONE]', async () => {
    fake.setChatReply(() => 'Hello there world');
    const res = await post('/chat/completions', {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = (await res.text()).split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.replace(/^data: /, '')));
    expect(chunks[0]).toMatchObject({ object: 'chat.completion.chunk', choices: [{ delta: { role: 'assistant' } }] });
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe('Hello there world');
    expect(chunks.at(-2).choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 3 } });
  });

  it('fails the next requests with 429 and Retry-After, then serves normally', async () => {
    fake.failNext(1, 429, 2);
    const limited = await post('/chat/completions', { model: 'm', messages: [] });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    const ok = await post('/chat/completions', { model: 'm', messages: [] });
    expect(await ok.json()).toMatchObject({
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant' }, finish_reason: 'stop' }],
    });
    expect(fake.requests).toHaveLength(2);
  });
});
