import type { DocumentInterface } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { VectorStore } from '@langchain/core/vectorstores';
import type { VectorIndex } from './vector-index.ts';

/** One document per id, in the same order; `undefined` for an id the caller no longer has. */
export type DocumentLookup = (ids: number[]) => Array<DocumentInterface | undefined> | Promise<Array<DocumentInterface | undefined>>;

export interface NewsdeskVectorStoreFields {
  index: VectorIndex;
  /** Fetches chunk text and metadata (from SQLite): the store itself keeps no text. */
  lookup: DocumentLookup;
}

/**
 * A LangChain `VectorStore` over our `VectorIndex`, for interop (`asRetriever()`, LangChain chains).
 * Ids are our integer chunk ids, given as numbers or numeric strings in `options.ids` or as each
 * document's `id`. Adding only indexes the vector: the caller stores the text where `lookup` finds it.
 * Scores are cosine similarities (higher is closer), unlike LangChain's HNSWLib (a distance).
 * `filter` is a predicate on chunk ids.
 */
export class NewsdeskVectorStore extends VectorStore {
  declare FilterType: (id: number) => boolean;
  private readonly index: VectorIndex;
  private readonly lookup: DocumentLookup;

  constructor(embeddings: EmbeddingsInterface, fields: NewsdeskVectorStoreFields) {
    super(embeddings, {});
    this.index = fields.index;
    this.lookup = fields.lookup;
  }

  _vectorstoreType(): string {
    return 'newsdesk-hnsw';
  }

  async addVectors(vectors: number[][], documents: DocumentInterface[], options?: { ids?: Array<number | string> }): Promise<string[]> {
    if (vectors.length !== documents.length) {
      throw new Error(`addVectors: ${vectors.length} vectors for ${documents.length} documents`);
    }
    const ids = documents.map((doc, i) => toChunkId(options?.ids?.[i] ?? doc.id));
    this.index.add(ids, vectors);
    return ids.map(String);
  }

  async addDocuments(documents: DocumentInterface[], options?: { ids?: Array<number | string> }): Promise<string[]> {
    // Check the ids before paying for embeddings.
    for (const [i, doc] of documents.entries()) toChunkId(options?.ids?.[i] ?? doc.id);
    const vectors = await this.embeddings.embedDocuments(documents.map((d) => d.pageContent));
    return this.addVectors(vectors, documents, options);
  }

  async similaritySearchVectorWithScore(query: number[], k: number, filter?: this['FilterType']): Promise<[DocumentInterface, number][]> {
    const hits = this.index.search(query, k, filter);
    if (hits.length === 0) return [];
    const docs = await this.lookup(hits.map((h) => h.id));
    const out: [DocumentInterface, number][] = [];
    hits.forEach((h, i) => {
      const doc = docs[i];
      if (doc) out.push([{ ...doc, id: doc.id ?? String(h.id) }, h.score]);
    });
    return out;
  }

  /** Removes ids from the index only; the caller owns the stored text. */
  override async delete(params?: { ids?: Array<number | string> }): Promise<void> {
    if (!params?.ids) throw new Error('NewsdeskVectorStore.delete needs { ids }');
    this.index.remove(params.ids.map(toChunkId));
  }
}

function toChunkId(id: unknown): number {
  const n = typeof id === 'number' ? id : typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new Error(`NewsdeskVectorStore needs integer chunk ids (options.ids or document.id), got ${String(id)}`);
  }
  return n;
}
