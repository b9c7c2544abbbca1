import path from 'node:path';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { GuildScope, Source, SourceRepo } from '../db/source-repo.ts';
import type { Corpus } from '../indexing/corpus.ts';
import type { IngestPipeline, IngestReport } from '../ingest/pipeline.ts';
import type { UrlFetchResult } from '../ingest/url-importer.ts';
import { listFiles, readArticles } from '../ingest/file-importer.ts';
import type { ArticleInput } from '../types.ts';

export interface SourceResult {
  source: Source;
  report: IngestReport;
  /** Title of the newest article found, for "found 12 articles, newest: …". */
  newestTitle: string | null;
  /** What the source listed (feed items), including ones already known. */
  listed: number;
  notModified?: boolean;
}

/** Add, list, refresh and remove the sources a guild (or the operator) tracks. */
export interface SourceService {
  /** Files and directories: one global source per file; JSONL is streamed in batches. */
  addPath(target: string, onProgress?: (r: IngestReport) => void): Promise<SourceResult[]>;
  /**
   * Tracks a feed or article URL in a guild (null: globally). The URL is fetched and parsed before
   * anything is stored, so a bad URL leaves no trace.
   */
  addUrl(url: string, opts: { guildId: string | null; name?: string | null }): Promise<SourceResult>;
  /** Polls one source now: conditional GET, new items only; failures are recorded with back-off. */
  refresh(id: number): Promise<SourceResult>;
  /** Removes a source; articles no other source links to leave the store and the index. */
  remove(id: number, scope?: GuildScope): Promise<{ removedArticles: number }>;
  /** Sets a source's own poll interval in minutes (null: the global default) and reschedules it. */
  setInterval(id: number, minutes: number | null, scope?: GuildScope): Source;
  list(scope?: GuildScope): Source[];
  get(id: number): Source | undefined;
  /** Sources whose next poll is due (enabled, URL-based). */
  due(now?: Date): Source[];
}

export interface SourceServiceDeps {
  sources: SourceRepo;
  corpus: Pick<Corpus, 'removeSource'>;
  pipeline: IngestPipeline;
  fetchUrl: (url: string, conditional: { etag?: string | null; lastModified?: string | null }) => Promise<UrlFetchResult>;
  polling: { intervalMin: number; maxFailures: number };
  logger: Logger;
}

const BATCH = 64;

export function createSourceService(deps: SourceServiceDeps): SourceService {
  const { sources, pipeline, logger } = deps;

  function emptyReport(): IngestReport {
    return { added: 0, updated: 0, unchanged: 0, alternates: 0, skipped: [], chunks: 0, articleIds: [], timings: { chunk: 0, embed: 0, store: 0, index: 0 } };
  }

  function merge(into: IngestReport, r: IngestReport): void {
    into.added += r.added;
    into.updated += r.updated;
    into.unchanged += r.unchanged;
    into.alternates += r.alternates;
    into.chunks += r.chunks;
    into.skipped.push(...r.skipped);
    into.articleIds.push(...r.articleIds);
    for (const k of Object.keys(into.timings) as Array<keyof IngestReport['timings']>) into.timings[k] += r.timings[k];
  }

  function newest(articles: ArticleInput[]): string | null {
    const sorted = [...articles].sort((a, b) => (b.published ?? '').localeCompare(a.published ?? ''));
    return sorted[0]?.title ?? null;
  }

  async function addPath(target: string, onProgress?: (r: IngestReport) => void): Promise<SourceResult[]> {
    const results: SourceResult[] = [];
    for (const file of listFiles(target)) {
      const source = sources.upsert({ guildId: null, kind: 'file', url: file, name: path.basename(file) });
      const report = emptyReport();
      let batch: ArticleInput[] = [];
      let newestTitle: string | null = null;
      let listed = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        merge(report, await pipeline.ingest(batch, source.id));
        newestTitle = newestTitle ?? newest(batch);
        onProgress?.(report);
        batch = [];
      };
      for await (const item of readArticles(file)) {
        listed++;
        if (item.kind === 'bad') {
          report.skipped.push({ title: item.where, reason: item.reason });
          continue;
        }
        batch.push(item.article);
        if (batch.length >= BATCH) await flush();
      }
      await flush();
      await pipeline.save();
      markSuccess(source.id, null, null);
      results.push({ source: sources.get(source.id)!, report, newestTitle, listed });
    }
    return results;
  }

  async function addUrl(url: string, opts: { guildId: string | null; name?: string | null }): Promise<SourceResult> {
    const parsed = parseUserUrl(url);
    const existing = sources.find(opts.guildId, parsed);
    if (existing) return refresh(existing.id);
    const fetched = await deps.fetchUrl(parsed, {});
    const source = sources.upsert({
      guildId: opts.guildId,
      kind: fetched.kind,
      url: parsed,
      name: opts.name ?? fetched.title,
    });
    const report = await pipeline.ingest(fetched.articles, source.id);
    report.skipped.push(...fetched.skipped);
    await pipeline.save();
    markSuccess(source.id, fetched.etag, fetched.lastModified);
    logger.info('source added', { sourceId: source.id, guildId: opts.guildId, kind: fetched.kind, added: report.added });
    return { source: sources.get(source.id)!, report, newestTitle: newest(fetched.articles), listed: fetched.listed };
  }

  async function refresh(id: number): Promise<SourceResult> {
    const source = sources.get(id);
    if (!source) throw new UserError('not-found', `No source with id ${id}.`);
    if (source.kind === 'file') {
      const [r] = await addPath(source.url);
      return r!;
    }
    sources.update(id, { lastFetchAt: new Date().toISOString() });
    try {
      const fetched = await deps.fetchUrl(source.url, { etag: source.etag, lastModified: source.lastModified });
      const report = await pipeline.ingest(fetched.articles, id);
      report.skipped.push(...fetched.skipped);
      if (report.added + report.updated > 0) await pipeline.save(); // a 304 or nothing new: no index rewrite
      markSuccess(id, fetched.etag ?? source.etag, fetched.lastModified ?? source.lastModified);
      return {
        source: sources.get(id)!,
        report,
        newestTitle: newest(fetched.articles),
        listed: fetched.listed,
        notModified: fetched.notModified,
      };
    } catch (err) {
      markFailure(source, err);
      throw err;
    }
  }

  function markSuccess(id: number, etag: string | null, lastModified: string | null): void {
    const s = sources.get(id)!;
    const now = Date.now();
    sources.update(id, {
      etag,
      lastModified,
      lastSuccessAt: new Date(now).toISOString(),
      lastFetchAt: new Date(now).toISOString(),
      lastError: null,
      consecutiveFailures: 0,
      pausedReason: null,
      enabled: true,
      nextPollAt: new Date(now + intervalMs(s) * jitter()).toISOString(),
    });
  }

  function markFailure(s: Source, err: unknown): void {
    const failures = s.consecutiveFailures + 1;
    const message = err instanceof Error ? err.message : String(err);
    const paused = failures >= deps.polling.maxFailures;
    // Back off exponentially from the poll interval, capped at a day.
    const backoff = Math.min(intervalMs(s) * 2 ** (failures - 1), 24 * 3_600_000);
    sources.update(s.id, {
      lastError: message.slice(0, 500),
      consecutiveFailures: failures,
      nextPollAt: paused ? null : new Date(Date.now() + backoff * jitter()).toISOString(),
      enabled: !paused,
      pausedReason: paused ? `paused after ${failures} consecutive failures; last: ${message.slice(0, 200)}` : null,
    });
  }

  /** ±10 %, so sources added together do not stay in lock-step. */
  const jitter = () => 0.9 + Math.random() * 0.2;

  function intervalMs(s: Source): number {
    return (s.pollIntervalMin ?? deps.polling.intervalMin) * 60_000;
  }

  async function remove(id: number, scope: GuildScope = { kind: 'all' }): Promise<{ removedArticles: number }> {
    const s = sources.get(id);
    if (!s || (scope.kind === 'guild' && s.guildId !== scope.guildId)) {
      throw new UserError('not-found', `No source with id ${id} in this server. Use /sources list to see ids.`);
    }
    return deps.corpus.removeSource(id);
  }

  function setInterval(id: number, minutes: number | null, scope: GuildScope = { kind: 'all' }): Source {
    const s = sources.get(id);
    if (!s || (scope.kind === 'guild' && s.guildId !== scope.guildId)) throw new UserError('not-found', `No source with id ${id}.`);
    if (minutes !== null && !(minutes >= 1 && minutes <= 7 * 24 * 60)) {
      throw new UserError('bad-input', 'A poll interval is a number of minutes from 1 to 10080 (a week).');
    }
    sources.update(id, { pollIntervalMin: minutes, nextPollAt: new Date(Date.now() + (minutes ?? deps.polling.intervalMin) * 60_000).toISOString() });
    return sources.get(id)!;
  }

  return {
    addPath,
    setInterval,
    addUrl,
    refresh,
    remove,
    list: (scope: GuildScope = { kind: 'all' }) => sources.list(scope),
    get: (id: number) => sources.get(id),
    due(now = new Date()): Source[] {
      return sources
        .list()
        .filter((s) => s.kind !== 'file' && s.enabled && (!s.nextPollAt || Date.parse(s.nextPollAt) <= now.getTime()));
    },
  };
}

function parseUserUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new UserError('bad-input', `"${raw}" is not a URL. Give a full address such as https://example.org/feed.xml.`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new UserError('fetch-refused', `Only http and https URLs can be tracked (got ${u.protocol}).`);
  }
  u.hash = '';
  return u.toString();
}
