import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Document } from '@langchain/core/documents';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHnswIndex } from '../../src/retrieval/hnsw-index.ts';
import { NewsdeskVectorStore } from '../../src/retrieval/langchain-store.ts';
import { LocalHashEmbeddings } from '../../src/retrieval/local-embeddings.ts';

const TEXTS: Record<number, string> = {
  11: 'European regulators will require a common USB-C charger for all smartphones.',
  12: 'Netflix renewed the South Korean drama Squid Game for a second season.',
  13: 'Russia said it is open to talks with the incoming US administration.',
};

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-lcstore-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function makeStore() {
  const embeddings = new LocalHashEmbeddings({ dim: 64 });
  const index = await openHnswIndex({ dir, dim: 64, embedderId: embeddings.id });
  // Stands in for SQLite: the store keeps no text of its own.
  const stored = new Map<number, string>();
  const store = new NewsdeskVectorStore(embeddings, {
    index,
    lookup: (ids) => ids.map((id) => (stored.has(id) ? new Document({ pageContent: stored.get(id)!, metadata: { chunkId: id } }) : undefined)),
  });
  return { store, index, stored };
}

describe('NewsdeskVectorStore', () => {
  it('adds documents under chunk ids and finds them by similarity with cosine scores', async () => {
    const { store, index, stored } = await makeStore();
    const docs = Object.entries(TEXTS).map(([id, text]) => {
      stored.set(Number(id), text);
      return new Document({ pageContent: text, id });
    });
    expect(await store.addDocuments(docs)).toEqual(['11', '12', '13']);
    expect(store._vectorstoreType()).toBe('newsdesk-hnsw');
    expect(index.size()).toBe(3);

    const [[doc, score]] = (await store.similaritySearchWithScore('common phone charger rules in Europe', 1)) as [[Document, number]];
    expect(doc.pageContent).toBe(TEXTS[11]);
    expect(doc.id).toBe('11');
    expect(score).toBeGreaterThan(0.2);
    expect(score).toBeLessThanOrEqual(1);

    const filtered = await store.similaritySearch('common phone charger rules in Europe', 3, (id) => id !== 11);
    expect(filtered.map((d) => d.metadata.chunkId)).not.toContain(11);

    const retrieved = await store.asRetriever({ k: 1 }).invoke('Squid Game season two');
    expect(retrieved[0]!.pageContent).toBe(TEXTS[12]);
  });

  it('takes ids from options, deletes by id, and skips hits the lookup no longer knows', async () => {
    const { store, index, stored } = await makeStore();
    const embeddings = new LocalHashEmbeddings({ dim: 64 });
    const vectors = await embeddings.embedDocuments([TEXTS[11]!, TEXTS[12]!]);
    await store.addVectors(vectors, [new Document({ pageContent: '' }), new Document({ pageContent: '' })], { ids: [21, '22'] });
    expect(index.ids().sort()).toEqual([21, 22]);
    stored.set(22, TEXTS[12]!);
    const hits = await store.similaritySearchVectorWithScore(vectors[0]!, 2);
    expect(hits.map(([d]) => d.id)).toEqual(['22']); // 21 has no stored text
    await store.delete({ ids: ['22'] });
    expect(index.ids()).toEqual([21]);
  });

  it('rejects documents without integer ids before embedding anything', async () => {
    const { store, index } = await makeStore();
    await expect(store.addDocuments([new Document({ pageContent: 'x' })])).rejects.toThrow(/integer chunk ids/);
    await expect(store.addDocuments([new Document({ pageContent: 'x' })], { ids: ['abc'] })).rejects.toThrow(/integer chunk ids/);
    await expect(store.delete()).rejects.toThrow(/ids/);
    expect(index.size()).toBe(0);
  });
});
