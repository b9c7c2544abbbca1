import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { Document } from '@langchain/core/documents';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import type { ArticleReader } from '../db/article-repo.ts';
import type { Passage } from '../types.ts';
import { TutorialHnswStore } from './tutorial-hnsw-store.ts';

export interface LangchainBaseline {
  /** Top-k passages for a question, restricted to articles published on or before `asOf` (or undated). */
  search(question: string, k: number, asOf: string, opts?: { ef?: number }): Promise<Passage[]>;
  build: { articles: number; chunks: number; split_ms: number; embed_index_ms: number };
}

const HNSWLIB_DEFAULT_EF = 10;

interface ChunkMeta {
  articleId: number;
  title: string;
  url: string | null;
  outlet: string | null;
  published: string | null;
  /** Offset of the chunk in the article text (-1 when the splitter's output is not a verbatim slice). */
  start: number;
}

/**
 * What a developer following LangChain's RAG tutorial builds, over the same stored articles the
 * engine indexed: `RecursiveCharacterTextSplitter` with its defaults (chunkSize 1000, chunkOverlap 200)
 * over each article's text, `HNSWLib.fromDocuments(splits, embeddings)` (see TutorialHnswStore), and
 * `similaritySearch(question, k, filter)` with a publication-date filter for the as-of date.
 */
export async function buildLangchainBaseline(articles: Pick<ArticleReader, 'canonicalArticles'>, embeddings: EmbeddingsInterface): Promise<LangchainBaseline> {
  const rows = [...articles.canonicalArticles({ withChunks: true })];

  let t = performance.now();
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 1000, chunkOverlap: 200 });
  const docs = rows.map(
    (r) => new Document({ pageContent: r.text, metadata: { articleId: r.id, title: r.title, url: r.url, outlet: r.outlet, published: r.published } }),
  );
  const splits = await splitter.splitDocuments(docs);
  const textOf = new Map(rows.map((r) => [r.id, r.text]));
  // Where each split sits in its article, so a citation quote can be checked against the article.
  const cursor = new Map<number, number>();
  for (const s of splits) {
    const id = s.metadata.articleId as number;
    const text = textOf.get(id)!;
    let at = text.indexOf(s.pageContent, cursor.get(id) ?? 0);
    if (at < 0) at = text.indexOf(s.pageContent);
    if (at >= 0) cursor.set(id, at + 1);
    s.metadata.start = at;
  }
  const splitMs = performance.now() - t;

  t = performance.now();
  const store = await TutorialHnswStore.fromDocuments(splits, embeddings);
  const embedIndexMs = performance.now() - t;

  return {
    build: { articles: rows.length, chunks: splits.length, split_ms: Math.round(splitMs), embed_index_ms: Math.round(embedIndexMs) },
    async search(question, k, asOf, opts = {}) {
      store.setEf(opts.ef ?? HNSWLIB_DEFAULT_EF);
      const visible = (doc: { metadata: Record<string, unknown> }) => {
        const p = doc.metadata.published as string | null;
        return !p || p <= asOf;
      };
      const hits = await store.similaritySearchWithScore(question, k, visible);
      return hits.map(([doc, distance], i) => {
        const m = doc.metadata as ChunkMeta;
        const start = m.start >= 0 ? m.start : 0;
        return {
          chunkId: -(i + 1),
          articleId: m.articleId,
          text: doc.pageContent,
          start,
          end: start + doc.pageContent.length,
          title: m.title,
          url: m.url,
          outlet: m.outlet,
          published: m.published,
          score: 1 - distance,
        } satisfies Passage;
      });
    },
  };
}
