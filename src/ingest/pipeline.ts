import type { Embeddings } from '@langchain/core/embeddings';
import type { Corpus, PutTarget } from '../indexing/corpus.ts';
import { decideIdentity, sameOrigin } from '../indexing/identity-rule.ts';
import { embeddingText } from '../indexing/embedding-text.ts';
import type { ArticleInput, EmbeddedChunk, PreparedArticle, Provenance } from '../types.ts';
import { contentHash, simhash64 } from '../text/near-duplicate.ts';
import { chunkText } from './chunker.ts';
import { tooShortReason } from '../text/word-count.ts';
import { canonicalizeUrl } from './canonical-url.ts';

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
  corpus: Pick<
    Corpus,
    'findByUrl' | 'findByHash' | 'findNearDuplicate' | 'findApart' | 'holders' | 'guildOfSource' | 'put' | 'addAlternate' | 'linkSource' | 'checkpoint' | 'save'
  >;
  embeddings: Embeddings;
  /** Embedding requests are sent in batches of this many chunks. */
  embedBatch?: number;
}

/** Turns fetched or imported articles into stored, indexed ones. */
export interface IngestPipeline {
  /** Ingests a batch for a source (null: no source link); item problems are reported, not thrown. */
  ingest(items: ArticleInput[], sourceId: number | null): Promise<IngestReport>;
  /**
   * Links stored stories a feed lists (by canonical link) to the source without fetching them again:
   * a second server adding a shared feed gets them at once. Returns how many it found.
   */
  linkKnown(urls: string[], sourceId: number): number;
  /** Saves the vector index (after a batch or a whole import). */
  save(): Promise<void>;
}

/**
 * Orchestration only: prepare → dedupe → chunk → embed (batched across articles) → `corpus.put`.
 * Every write, and keeping the derived indexes in step with SQLite, is the corpus's job.
 */
export function createIngestPipeline(deps: PipelineDeps): IngestPipeline {
  const { corpus, embeddings } = deps;
  const embedBatch = deps.embedBatch ?? 256;

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
    let slice: Array<{ article: PreparedArticle; chunks: ReturnType<typeof chunkText>; target: PutTarget }> = [];
    let sliceChunks = 0;
    const flush = async () => {
      if (slice.length === 0) return;
      const texts = slice.flatMap((p) => p.chunks.map((c) => embeddingText(p.article.title, c.text)));
      const t = performance.now();
      const vectors = await embedAll(texts);
      report.timings.embed += performance.now() - t;
      let v = 0;
      for (const p of slice) {
        const embedded: EmbeddedChunk[] = p.chunks.map((c) => ({ ...c, embedding: vectors[v++]! }));
        const outcome = corpus.put(p.article, embedded, sourceId, p.target);
        report.timings.store += outcome.timings.store;
        report.timings.index += outcome.timings.index;
        tally(report, { kind: outcome.kind, articleId: outcome.articleId, chunks: outcome.chunkIds.length }, p.article.title);
      }
      await corpus.checkpoint();
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
      if ('kind' in pre) {
        tally(report, pre, prepared.title);
        continue;
      }
      const { article, target } = pre;
      const t = performance.now();
      const chunks = chunkText(article.text);
      report.timings.chunk += performance.now() - t;
      slice.push({ article, chunks, target });
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

  function prepare(a: ArticleInput): PreparedArticle | { reason: string } {
    const text = a.text
      .replace(/\r\n?/g, '\n')
      .replace(/[ \t]+\n/g, '\n')
      .trim();
    const title = (a.title || '').replace(/\s+/g, ' ').trim();
    const short = tooShortReason(text);
    if (short) return { reason: short };
    let url: string | null = null;
    if (a.url) {
      try {
        url = canonicalizeUrl(a.url);
      } catch {
        url = a.url;
      }
    }
    let aliases = (a.aliases ?? []).map((u) => {
      try {
        return canonicalizeUrl(u);
      } catch {
        return u;
      }
    });
    const fetchedFrom = a.provenance?.from ?? null;
    // A page speaks only for its own origin (scheme, host and port): a canonical elsewhere is ignored.
    if (a.provenance?.via === 'page' && url && !sameOrigin(url, fetchedFrom)) {
      url = fetchedFrom;
      aliases = [];
    }
    return {
      ...a,
      url,
      aliases,
      fetchedFrom,
      claimedUrl: null,
      title: title || text.slice(0, 80),
      text,
      published: a.published && /^\d{4}-\d{2}-\d{2}/.test(a.published) ? a.published.slice(0, 10) : null,
      contentHash: contentHash(text),
      simhash: text.split(/\s+/).length >= 80 ? simhash64(text).toString(16).padStart(16, '0') : null,
    };
  }

  type Planned = { article: PreparedArticle; target: PutTarget };

  /**
   * Decides, before any embedding work, whether an article is already known, and what a new text may
   * do to a stored article it names (see `decideIdentity`): a claim it may not act on is stored apart
   * — under the page's own URL, or without a URL — and never changes the stored article.
   */
  function precheck(a: PreparedArticle, sourceId: number | null): ItemOutcome | Planned {
    const byUrl = a.url ? corpus.findByUrl(a.url) : undefined;
    if (byUrl && byUrl.contentHash === a.contentHash) return linkOnly(byUrl.id, sourceId);
    if (byUrl && byUrl.duplicateOf !== null) return linkOnly(byUrl.id, sourceId);
    if (byUrl) {
      const guildId = sourceId === null ? null : (corpus.guildOfSource(sourceId) ?? null);
      const provenance = a.fetchedFrom ? { via: viaOf(a), from: a.fetchedFrom } : null;
      const decision = decideIdentity(
        { claimedUrl: a.url!, provenance, sourceId, guildId, contentHash: a.contentHash },
        { ...byUrl, holders: corpus.holders(byUrl.id) },
      );
      if (decision.kind === 'same') return linkOnly(byUrl.id, sourceId);
      if (decision.kind === 'replace' || decision.kind === 'reclaim') return { article: a, target: decision };
      return precheckApart(a, sourceId);
    }
    {
      const byHash = corpus.findByHash(a.contentHash);
      // The same text at the same (or no) URL is a re-ingest; at another URL it is another outlet's copy.
      if (byHash && (!a.url || !byHash.url || a.url === byHash.url)) {
        return linkOnly(byHash.duplicateOf ?? byHash.id, sourceId);
      }
      const similar = byHash ? (byHash.duplicateOf ?? byHash.id) : a.simhash ? corpus.findNearDuplicate(a.simhash, a.text) : undefined;
      if (similar !== undefined) {
        const { articleId } = corpus.addAlternate(a, similar, sourceId);
        return { kind: 'alternate', articleId, of: similar };
      }
    }
    return { article: a, target: { kind: 'insert' } };
  }

  /** A claim that may not change what it names: its page's own URL, or its own copy without a URL. */
  function precheckApart(a: PreparedArticle, sourceId: number | null): ItemOutcome | Planned {
    const claimed = a.url!;
    const own = viaOf(a) === 'page' && a.fetchedFrom && a.fetchedFrom !== claimed ? a.fetchedFrom : null;
    if (own) return precheck({ ...a, url: own, aliases: [], claimedUrl: null }, sourceId);
    const apart: PreparedArticle = { ...a, url: null, aliases: [], claimedUrl: claimed };
    const mine = sourceId !== null ? corpus.findApart(claimed, sourceId) : undefined;
    if (mine && mine.contentHash === a.contentHash) return linkOnly(mine.id, sourceId);
    if (mine) return { article: apart, target: { kind: 'replace', articleId: mine.id } };
    return precheck(apart, sourceId);
  }

  function linkKnown(urls: string[], sourceId: number): number {
    let n = 0;
    for (const url of urls) {
      const stored = corpus.findByUrl(url);
      if (!stored) continue;
      corpus.linkSource(stored.id, sourceId);
      n++;
    }
    return n;
  }

  function linkOnly(articleId: number, sourceId: number | null): ItemOutcome {
    if (sourceId !== null) corpus.linkSource(articleId, sourceId);
    return { kind: 'unchanged', articleId };
  }

  return { ingest, linkKnown, save: () => corpus.save() };
}

/** Items without provenance come from the operator's files (or tests calling the pipeline directly). */
function viaOf(a: ArticleInput): Provenance['via'] {
  return a.provenance?.via ?? 'file';
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
