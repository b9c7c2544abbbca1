import type { Embeddings } from '@langchain/core/embeddings';
import type { Db } from '../db/database.ts';
import type { ArticleRepo, EmbeddedChunk, NewArticle } from '../db/article-repo.ts';
import type { ChunkCatalog } from '../retrieval/chunk-catalog.ts';
import type { KeywordIndexWriter } from '../retrieval/keyword-search.ts';
import type { VectorIndex } from '../retrieval/vector-index.ts';
import type { Logger } from '../logger.ts';
import type { ArticleInput } from '../types.ts';
import { chunkText } from './chunker.ts';
import { canonicalizeUrl } from './canonical-url.ts';
import { contentHash, simhash64 } from '../text/near-duplicate.ts';
import { createNearDuplicateIndex } from '../indexing/near-duplicate-index.ts';

export type ItemOutcome =
  | { kind: 'added'; articleId: number; chunks: number }
  | { kind: 'updated'; articleId: number; chunks: number }
  | { kind: 'unchanged'; articleId: number }
  | { kind: 'alternate'; articleId: number; of: number }
  | { kind: 'skipped'; reason: string };

export interface IngestReport {
  added: number;
  updated: number;
  unchanged: number;
  alternates: number;
  skipped: Array<{ title: string; reason: string }>;
  chunks: number;
  articleIds: number[];
  /** Stage timings in ms, summed over the batch. */
  timings: { chunk: number; embed: number; store: number; index: number };
}

export interface PipelineDeps {
  db: Db;
  articles: ArticleRepo;
  embeddings: Embeddings;
  index: VectorIndex;
  catalog: ChunkCatalog;
  keyword: KeywordIndexWriter;
  logger: Logger;
  /** Embedding requests are sent in batches of this many chunks. */
  embedBatch?: number;
  /** Save the index after this many new chunks during a long import (crash recovery covers the rest). */
  saveEvery?: number;
}

const MIN_WORDS = 20;

/** The text a chunk is embedded with: the title travels with every passage. */
export function embeddingText(title: string, chunk: string): string {
  return `${title}\n\n${chunk}`;
}

/**
 * sources → … → store/index for a batch of articles. Each article is one SQLite transaction; the HNSW
 * index is updated after the commit and reconciled from SQLite at start-up, so a crash anywhere
 * loses nothing and duplicates nothing.
 */
export function createIngestPipeline(deps: PipelineDeps) {
  const { db, articles, embeddings, index, catalog } = deps;
  const embedBatch = deps.embedBatch ?? 256;
  const saveEvery = deps.saveEvery ?? 20_000;
  const nearDup = createNearDuplicateIndex({ loadAll: () => articles.simhashes(), textOf: (id) => articles.articleText(id) });
  let unsaved = 0;

  async function ingest(items: ArticleInput[], sourceId: number | null): Promise<IngestReport> {
    const report: IngestReport = {
      added: 0,
      updated: 0,
      unchanged: 0,
      alternates: 0,
      skipped: [],
      chunks: 0,
      articleIds: [],
      timings: { chunk: 0, embed: 0, store: 0, index: 0 },
    };
    // Work in slices so embedding requests are batched across articles.
    let slice: Array<{ article: NewArticle; chunks: ReturnType<typeof chunkText> }> = [];
    let sliceChunks = 0;
    const flush = async () => {
      if (slice.length === 0) return;
      const texts = slice.flatMap((p) => p.chunks.map((c) => embeddingText(p.article.title, c.text)));
      let t = performance.now();
      const vectors = await embedAll(texts);
      report.timings.embed += performance.now() - t;
      let v = 0;
      for (const p of slice) {
        const embedded: EmbeddedChunk[] = p.chunks.map((c) => ({ ...c, embedding: vectors[v++]! }));
        t = performance.now();
        const outcome = store(p.article, embedded, sourceId);
        report.timings.store += performance.now() - t;
        t = performance.now();
        if (outcome.kind === 'added' || outcome.kind === 'updated') {
          index.remove(outcome.removed);
          index.add(outcome.chunkIds, embedded.map((c) => c.embedding));
          unsaved += outcome.chunkIds.length;
        }
        report.timings.index += performance.now() - t;
        tally(report, outcome.kind === 'added' || outcome.kind === 'updated' ? { ...outcome, chunks: outcome.chunkIds.length } : outcome, p.article.title);
      }
      if (unsaved >= saveEvery) await save();
      slice = [];
      sliceChunks = 0;
    };

    for (const raw of items) {
      const prepared = prepare(raw);
      if ('reason' in prepared) {
        report.skipped.push({ title: raw.title || raw.url || '(untitled)', reason: prepared.reason });
        continue;
      }
      const pre = precheck(prepared, sourceId);
      if (pre) {
        tally(report, pre, prepared.title);
        continue;
      }
      const t = performance.now();
      const chunks = chunkText(prepared.text);
      report.timings.chunk += performance.now() - t;
      slice.push({ article: prepared, chunks });
      sliceChunks += chunks.length;
      if (sliceChunks >= embedBatch) await flush();
    }
    await flush();
    return report;
  }

  async function embedAll(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += embedBatch) {
      const vs = await embeddings.embedDocuments(texts.slice(i, i + embedBatch));
      for (const vec of vs) out.push(Float32Array.from(vec));
    }
    return out;
  }

  function prepare(a: ArticleInput): NewArticle | { reason: string } {
    const text = a.text.replace(/\r\n?/g, '\n').replace(/[ \t]+\n/g, '\n').trim();
    const title = (a.title || '').replace(/\s+/g, ' ').trim();
    if (text.split(/\s+/).length < MIN_WORDS) return { reason: `too little text (fewer than ${MIN_WORDS} words)` };
    let url: string | null = null;
    if (a.url) {
      try {
        url = canonicalizeUrl(a.url);
      } catch {
        url = a.url;
      }
    }
    const aliases = (a.aliases ?? []).map((u) => {
      try {
        return canonicalizeUrl(u);
      } catch {
        return u;
      }
    });
    return {
      ...a,
      url,
      aliases,
      title: title || text.slice(0, 80),
      text,
      published: a.published && /^\d{4}-\d{2}-\d{2}/.test(a.published) ? a.published.slice(0, 10) : null,
      contentHash: contentHash(text),
      simhash: text.split(/\s+/).length >= 80 ? simhash64(text).toString(16).padStart(16, '0') : null,
    };
  }

  /** Decides, before any embedding work, whether an article is already known. */
  function precheck(a: NewArticle, sourceId: number | null): ItemOutcome | null {
    const byUrl = a.url ? articles.findByUrl(a.url) : undefined;
    if (byUrl && byUrl.contentHash === a.contentHash) return linkOnly(byUrl.id, sourceId, 'unchanged');
    if (byUrl && byUrl.duplicateOf !== null) return linkOnly(byUrl.id, sourceId, 'unchanged');
    if (!byUrl) {
      const byHash = articles.findByHash(a.contentHash);
      // The same text at the same (or no) URL is a re-ingest; at another URL it is another outlet's copy.
      if (byHash && (!a.url || !byHash.url || a.url === byHash.url)) {
        return linkOnly(byHash.duplicateOf ?? byHash.id, sourceId, 'unchanged');
      }
      const similar = byHash ? (byHash.duplicateOf ?? byHash.id) : a.simhash ? nearDup.find(a.simhash, a.text) : undefined;
      if (similar !== undefined) {
        const outcome = db.transaction(() => {
          const { articleId } = articles.insert(a, [], sourceId, similar);
          return { kind: 'alternate' as const, articleId, of: similar };
        })();
        catalog.invalidateScopes();
        return outcome;
      }
    }
    return null;
  }

  function linkOnly(articleId: number, sourceId: number | null, kind: 'unchanged'): ItemOutcome {
    if (sourceId !== null) {
      articles.linkSource(articleId, sourceId);
      catalog.invalidateScopes();
    }
    return { kind, articleId };
  }

  function store(a: NewArticle, chunks: EmbeddedChunk[], sourceId: number | null) {
    const existing = a.url ? articles.findByUrl(a.url) : undefined;
    const result = db.transaction(() => {
      if (existing) {
        // Same URL, new text: the story was updated in place; its old chunks go.
        const r = articles.replace(existing.id, a, chunks);
        if (sourceId !== null) articles.linkSource(existing.id, sourceId);
        return { kind: 'updated' as const, articleId: existing.id, chunkIds: r.chunkIds, removed: r.removedChunkIds };
      }
      const r = articles.insert(a, chunks, sourceId);
      return { kind: 'added' as const, articleId: r.articleId, chunkIds: r.chunkIds, removed: [] as number[] };
    })();
    catalog.removeChunks(result.removed);
    catalog.addArticle(result.articleId, a.published, result.chunkIds);
    deps.keyword.removed(result.removed);
    deps.keyword.added(result.chunkIds, a.title, chunks.map((c) => c.text));
    if (a.simhash) nearDup.add(result.articleId, a.simhash);
    return result;
  }

  async function save(): Promise<void> {
    await index.save();
    unsaved = 0;
  }

  return { ingest, save };
}

function tally(report: IngestReport, o: ItemOutcome, title: string): void {
  switch (o.kind) {
    case 'added':
      report.added++;
      report.chunks += o.chunks;
      report.articleIds.push(o.articleId);
      break;
    case 'updated':
      report.updated++;
      report.chunks += o.chunks;
      report.articleIds.push(o.articleId);
      break;
    case 'unchanged':
      report.unchanged++;
      break;
    case 'alternate':
      report.alternates++;
      break;
    case 'skipped':
      report.skipped.push({ title, reason: o.reason });
      break;
  }
}

export type IngestPipeline = ReturnType<typeof createIngestPipeline>;
