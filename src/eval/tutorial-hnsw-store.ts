import hnswlib from 'hnswlib-node';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { Document, type DocumentInterface } from '@langchain/core/documents';
import { VectorStore } from '@langchain/core/vectorstores';

const { HierarchicalNSW } = hnswlib;

/**
 * A stand-in for `@langchain/community`'s `HNSWLib` store (not installed: see STACK.md), reproducing
 * what a LangChain tutorial gets from `HNSWLib.fromDocuments(splits, embeddings)` — and nothing more:
 * cosine space, hnswlib defaults (M 16, efConstruction 200, search ef left at its default of 10),
 * documents kept as objects in memory keyed by label, a filter that is a predicate over documents,
 * and scores that are cosine *distances* (lower is closer). It exists only to be a fair baseline.
 */
export class TutorialHnswStore extends VectorStore {
  declare FilterType: (doc: DocumentInterface) => boolean;
  private index: InstanceType<typeof HierarchicalNSW> | null = null;
  private readonly docstore = new Map<number, DocumentInterface>();

  constructor(embeddings: EmbeddingsInterface) {
    super(embeddings, {});
  }

  override _vectorstoreType(): string {
    return 'tutorial-hnswlib';
  }

  /** `HNSWLib.fromDocuments`: embed every document, add it to a fresh index. */
  static override async fromDocuments(
    docs: DocumentInterface[],
    embeddings: EmbeddingsInterface,
    dbConfig: { batch?: number } = {},
  ): Promise<TutorialHnswStore> {
    const store = new TutorialHnswStore(embeddings);
    const batch = dbConfig.batch ?? 1024;
    // The real store embeds all texts in one call; batching only bounds memory, vectors are identical.
    for (let i = 0; i < docs.length; i += batch) await store.addDocuments(docs.slice(i, i + batch));
    return store;
  }

  override async addDocuments(documents: DocumentInterface[]): Promise<void> {
    const vectors = await this.embeddings.embedDocuments(documents.map((d) => d.pageContent));
    await this.addVectors(vectors, documents);
  }

  override async addVectors(vectors: number[][], documents: DocumentInterface[]): Promise<void> {
    if (vectors.length === 0) return;
    if (vectors.length !== documents.length) throw new Error('vectors and documents must have the same length');
    if (!this.index) {
      this.index = new HierarchicalNSW('cosine', vectors[0]!.length);
      this.index.initIndex(vectors.length);
    }
    const needed = this.index.getCurrentCount() + vectors.length;
    if (needed > this.index.getMaxElements()) this.index.resizeIndex(needed);
    const base = this.index.getCurrentCount();
    vectors.forEach((v, i) => {
      this.index!.addPoint(v, base + i);
      this.docstore.set(base + i, documents[i]!);
    });
  }

  override async similaritySearchVectorWithScore(query: number[], k: number, filter?: this['FilterType']): Promise<[DocumentInterface, number][]> {
    if (!this.index) return [];
    const n = Math.min(k, this.index.getCurrentCount());
    const predicate = filter
      ? (label: number) => {
          const doc = this.docstore.get(label);
          return doc !== undefined && filter(doc);
        }
      : undefined;
    const result = this.index.searchKnn(query, n, predicate);
    return result.neighbors.map((label, i) => [this.docstore.get(label) ?? new Document({ pageContent: '' }), result.distances[i]!]);
  }

  /** Search breadth (hnswlib's ef); the tutorial never sets it, leaving hnswlib's default of 10. */
  setEf(ef: number): void {
    this.index?.setEf(ef);
  }

  size(): number {
    return this.index?.getCurrentCount() ?? 0;
  }
}
