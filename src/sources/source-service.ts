import path from 'node:path';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { GuildScope, Source, SourceRepo } from '../db/source-repo.ts';
import type { Corpus } from '../indexing/corpus.ts';
import type { IngestPipeline, IngestReport } from '../ingest/pipeline.ts';
import type { UrlFetchResult } from '../ingest/url-importer.ts';
import { readArticles, scanPath, SUPPORTED_TYPES, type SkipKind } from '../ingest/file-importer.ts';

import type { ArticleInput } from '../types.ts';
import { describeSkips } from './describe-skips.ts';

export interface SourceResult {
  source: Source;
  report: IngestReport;
  /** Title of the newest article found, for "found 12 articles, newest: …". */
  newestTitle: string | null;
  /** What the source listed (feed items), including ones already known. */
  listed: number;
  notModified?: boolean;
  /** Item pages fetched, and items the time budget left for the next poll. */
  fetchedPages?: number;
  skippedForTime?: number;
  /** Set when the source listed items but none could be stored: counted as a failed poll. */
  failure?: string;
  /** Local paths: what happened to each file that was not read. */
  files?: FileReport;
  /** True when nothing could be read and the source was not kept. */
  removed?: boolean;
}

export interface FileReport {
  /** Files found under the path (supported or not). */
  total: number;
  /** Files that gave at least one article. */
  read: number;
  skipped: Array<{ file: string; skip: SkipKind; reason: string }>;
  warnings: Array<{ file: string; message: string }>;
}

export interface FileProgress {
  done: number;
  total: number;
  file: string;
}

/** Add, list, refresh and remove the sources a guild (or the operator) tracks. */
export interface SourceService {
  /**
   * A file or a folder becomes one global source (one result). Bad files are reported in
   * `files.skipped` and skipped; when nothing could be read, no source is kept (`removed`).
   */
  addPath(target: string, onProgress?: (r: IngestReport, files: FileProgress) => void, opts?: { name?: string }): Promise<SourceResult[]>;
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
  /** Fetches and parses a source URL, spending at most `budgetMs` on it in total. */
  fetchUrl: (url: string, conditional: { etag?: string | null; lastModified?: string | null }, budgetMs: number) => Promise<UrlFetchResult>;
  polling: { intervalMin: number; maxFailures: number };
  /** Local files (and JSONL lines) larger than this are refused. */
  maxFileBytes: number;
  budgets: { pollMs: number; addMs: number; sourcesPerGuild: number };
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

  /**
   * A file or a folder becomes one global source (a folder of 300 articles is one source, not 300).
   * Bad files are reported and skipped, never fatal; JSONL is streamed in batches. When nothing at
   * all could be read, a source created by this call is removed again, so no empty source is left.
   */
  async function addPath(target: string, onProgress?: (r: IngestReport, files: FileProgress) => void, opts: { name?: string } = {}): Promise<SourceResult[]> {
    const scanned = scanPath(target);
    const root = path.resolve(target);
    const prior = sources.find(null, root);
    const existed = prior !== undefined;
    const source = sources.upsert({ guildId: null, kind: 'file', url: root, name: prior?.name ?? opts.name ?? path.basename(root) });
    const report = emptyReport();
    const files: FileReport = { total: scanned.length, read: 0, skipped: [], warnings: [] };
    let batch: ArticleInput[] = [];
    let newestTitle: string | null = null;
    let listed = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      merge(report, await pipeline.ingest(batch, source.id));
      newestTitle = newestTitle ?? newest(batch);
      batch = [];
    };
    for (const [i, file] of scanned.entries()) {
      if (!file.supported) {
        files.skipped.push({ file: file.path, skip: 'unsupported', reason: `unsupported file type (Newsdesk reads ${SUPPORTED_TYPES})` });
        continue;
      }
      let fileArticles = 0;
      for await (const item of readArticles(file.path, { maxBytes: deps.maxFileBytes })) {
        if (item.kind === 'warning') {
          files.warnings.push({ file: item.where, message: item.message });
          continue;
        }
        if (item.kind === 'bad') {
          if (item.where === file.path) files.skipped.push({ file: item.where, skip: item.skip, reason: item.reason });
          else report.skipped.push({ title: item.where, reason: item.reason });
          continue;
        }
        listed++;
        fileArticles++;
        batch.push({ ...item.article, provenance: { via: 'file', from: file.path } });
        if (batch.length >= BATCH) {
          await flush();
          onProgress?.(report, { done: i, total: scanned.length, file: file.path });
        }
      }
      if (fileArticles > 0) files.read++;
      await flush();
      onProgress?.(report, { done: i + 1, total: scanned.length, file: file.path });
    }
    await flush();
    const stored = report.added + report.updated + report.unchanged + report.alternates;
    if (stored === 0 && !existed) {
      sources.remove(source.id);
      await pipeline.save();
      return [{ source: { ...source, articleCount: 0 }, report, newestTitle, listed, files, removed: true }];
    }
    await pipeline.save();
    markSuccess(source.id, null, null);
    return [{ source: sources.get(source.id)!, report, newestTitle, listed, files }];
  }

  /**
   * Tracks a feed or article URL in a guild (null: globally). The URL is fetched and parsed before
   * anything is stored, so a bad URL leaves no trace.
   */
  async function addUrl(url: string, opts: { guildId: string | null; name?: string | null }): Promise<SourceResult> {
    const parsed = parseUserUrl(url);
    const existing = sources.find(opts.guildId, parsed);
    if (existing) return refresh(existing.id);
    if (opts.guildId !== null) {
      const tracked = sources.list({ kind: 'guild', guildId: opts.guildId }).filter((s) => s.guildId === opts.guildId).length;
      const cap = deps.budgets.sourcesPerGuild;
      if (tracked >= cap) {
        throw new UserError(
          'limit-reached',
          `This server already tracks ${tracked} sources, the most allowed (${cap}). Remove one with /sources remove first, or ask the operator to raise NEWSDESK_MAX_SOURCES_PER_GUILD.`,
        );
      }
    }
    const fetched = await deps.fetchUrl(parsed, {}, deps.budgets.addMs);
    const source = sources.upsert({
      guildId: opts.guildId,
      kind: fetched.kind,
      url: parsed,
      name: opts.name ?? fetched.title,
    });
    // Not due while this add ingests what it just fetched: a poller (another process, too) must not fetch it again now.
    if (!source.nextPollAt) sources.update(source.id, { nextPollAt: new Date(Date.now() + intervalMs(source)).toISOString() });
    const report = await pipeline.ingest(fetched.articles, source.id);
    report.unchanged += pipeline.linkKnown(fetched.known, source.id);
    report.skipped.push(...fetched.skipped);
    const stored = report.added + report.updated + report.unchanged + report.alternates;
    if (stored === 0 && report.skipped.length > 0 && !fetched.skippedForTime) {
      // Every item was refused: tracking it would only add an empty source. (Items merely left for
      // time are not refused: a slow site is tracked, and later polls fetch the rest.)
      sources.remove(source.id);
      throw new UserError('not-an-article', `Nothing could be read from ${parsed}, so it is not tracked. ${describeSkips(report.skipped)}`);
    }
    await pipeline.save();
    const failure = failureOf(fetched, report);
    if (failure) markFailure(sources.get(source.id)!, new Error(failure));
    else markSuccess(source.id, fetched.etag, fetched.lastModified);
    logger.info('source added', {
      sourceId: source.id,
      guildId: opts.guildId,
      kind: fetched.kind,
      added: report.added,
      skippedForTime: fetched.skippedForTime,
    });
    return {
      source: sources.get(source.id)!,
      report,
      newestTitle: newest(fetched.articles),
      listed: fetched.listed,
      fetchedPages: fetched.fetchedPages,
      skippedForTime: fetched.skippedForTime,
      failure: failure ?? undefined,
    };
  }

  async function refresh(id: number): Promise<SourceResult> {
    const source = sources.get(id);
    if (!source) throw new UserError('not-found', `No source with id ${id}.`);
    if (source.kind === 'file') {
      const [r] = await addPath(source.url);
      return r!;
    }
    // A lease: the source is not due again while this poll runs, so a new leader taking over mid-poll
    // (the old one lost its lock connection) does not fetch it a second time. Success or failure then
    // sets the real next time; a poller that dies mid-poll leaves the source for one interval.
    sources.update(id, { lastFetchAt: new Date().toISOString(), nextPollAt: new Date(Date.now() + intervalMs(source)).toISOString() });
    try {
      const fetched = await deps.fetchUrl(source.url, { etag: source.etag, lastModified: source.lastModified }, deps.budgets.pollMs);
      const report = await pipeline.ingest(fetched.articles, id);
      report.unchanged += pipeline.linkKnown(fetched.known, id);
      report.skipped.push(...fetched.skipped);
      if (report.added + report.updated > 0) await pipeline.save(); // a 304 or nothing new: no index rewrite
      const failure = failureOf(fetched, report);
      // Every item failed: the poll failed, whatever the feed itself answered (back-off, then pause).
      if (failure) throw new UserError('fetch-failed', failure);
      markSuccess(id, fetched.etag ?? source.etag, fetched.lastModified ?? source.lastModified);
      return {
        source: sources.get(id)!,
        report,
        newestTitle: newest(fetched.articles),
        listed: fetched.listed,
        notModified: fetched.notModified,
        fetchedPages: fetched.fetchedPages,
        skippedForTime: fetched.skippedForTime,
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
      return sources.list().filter((s) => s.kind !== 'file' && s.enabled && (!s.nextPollAt || Date.parse(s.nextPollAt) <= now.getTime()));
    },
  };
}

/** Why a fetch that listed items but stored none of them counts as a failure, or null when it does not. */
function failureOf(fetched: UrlFetchResult, report: IngestReport): string | null {
  if (fetched.notModified || fetched.listed === 0) return null;
  const stored = report.added + report.updated + report.unchanged + report.alternates;
  if (stored > 0 || report.skipped.length === 0) return null;
  const first = report.skipped[0]!;
  const n = report.skipped.length;
  return `none of the ${n} item${n === 1 ? '' : 's'} could be stored (e.g. "${first.title.slice(0, 80)}": ${first.reason.slice(0, 200)})`;
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
