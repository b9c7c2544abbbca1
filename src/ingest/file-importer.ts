import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { isUserError, UserError } from '../errors.ts';
import { decodeText } from '../text/decode-text.ts';
import type { ArticleInput } from '../types.ts';
import { parseTextArticle, parseHtmlFile } from './parse-text-file.ts';

const TEXT_EXT = new Set(['.txt', '.md', '.markdown']);
const HTML_EXT = new Set(['.html', '.htm']);
const JSONL_EXT = ['.jsonl', '.jsonl.gz', '.ndjson'];

/** Why a file (or a JSONL line) was not read, grouped for the one-line summary. */
export type SkipKind = 'unsupported' | 'empty' | 'binary' | 'too-large' | 'not-an-article' | 'bad-line' | 'unreadable';

export type FileItem =
  | { kind: 'article'; article: ArticleInput }
  | { kind: 'bad'; where: string; reason: string; skip: SkipKind }
  /** The file was read, with a caveat (e.g. not UTF-8). */
  | { kind: 'warning'; where: string; message: string };

export interface ReadOptions {
  /** Larger files (or JSONL lines) are refused: one article is not megabytes long. */
  maxBytes: number;
}

export const SUPPORTED_TYPES = '.txt, .md, .html, .htm, .jsonl and .jsonl.gz';

export function isSupportedFile(file: string): boolean {
  const lower = file.toLowerCase();
  const ext = path.extname(lower);
  return TEXT_EXT.has(ext) || HTML_EXT.has(ext) || JSONL_EXT.some((e) => lower.endsWith(e));
}

export interface ScannedFile {
  path: string;
  supported: boolean;
}

/**
 * Every file under `target` (a file or a directory), sorted for a stable order, with unsupported
 * ones included so they can be reported rather than skipped silently. A single file of an
 * unsupported type is an error. Hidden files and folders are left out.
 */
export function scanPath(target: string): ScannedFile[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch (err) {
    throw new UserError('not-found', `No such file or directory: ${target}`, { cause: err });
  }
  if (stat.isFile()) {
    if (!isSupportedFile(target)) {
      throw new UserError('unsupported-file', `Unsupported file type: ${target}. Newsdesk reads ${SUPPORTED_TYPES} files.`);
    }
    return [{ path: path.resolve(target), supported: true }];
  }
  const out: ScannedFile[] = [];
  for (const entry of fs.readdirSync(target, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(target, entry.name);
    // A Newsdesk data dir inside the folder is our own store, not articles.
    if (entry.isDirectory() && !fs.existsSync(path.join(full, 'newsdesk.db'))) out.push(...scanPath(full));
    else if (entry.isFile()) out.push({ path: path.resolve(full), supported: isSupportedFile(full) });
  }
  return out;
}

/** Every supported file under `target`. */
export function listFiles(target: string): string[] {
  return scanPath(target)
    .filter((f) => f.supported)
    .map((f) => f.path);
}

/**
 * Articles from one file. JSONL is streamed line by line; a bad line is reported, not fatal. A text
 * or HTML file is one article: it is refused (as a `bad` item, never thrown) when it is empty,
 * binary, larger than `maxBytes`, or has no article text.
 */
export async function* readArticles(file: string, opts: ReadOptions = { maxBytes: Infinity }): AsyncGenerator<FileItem> {
  const lower = file.toLowerCase();
  const ext = path.extname(lower);
  if (JSONL_EXT.some((e) => lower.endsWith(e))) {
    yield* readJsonl(file, opts);
    return;
  }
  const bad = (skip: SkipKind, reason: string): FileItem => ({ kind: 'bad', where: file, reason, skip });
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (err) {
    yield bad('unreadable', `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    return;
  }
  if (size > opts.maxBytes) {
    yield bad('too-large', `too large for one article (${formatBytes(size)}; the limit is ${formatBytes(opts.maxBytes)}, set by NEWSDESK_MAX_FILE_BYTES)`);
    return;
  }
  const decoded = decodeText(fs.readFileSync(file), { html: HTML_EXT.has(ext) });
  if (decoded.kind === 'binary') {
    yield bad('binary', decoded.reason);
    return;
  }
  const raw = decoded.text;
  if (!raw.trim()) {
    yield bad('empty', 'is empty');
    return;
  }
  if (decoded.warning) yield { kind: 'warning', where: file, message: decoded.warning };
  if (HTML_EXT.has(ext)) {
    const r = parseHtmlFile(raw, path.basename(file));
    if (r.kind === 'article') yield { kind: 'article', article: r.article };
    else yield bad('not-an-article', r.reason);
    return;
  }
  try {
    yield { kind: 'article', article: parseTextArticle(raw, path.basename(file)) };
  } catch (err) {
    if (!isUserError(err)) throw err;
    yield bad('not-an-article', err.message);
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

async function* readJsonl(file: string, opts: ReadOptions): AsyncGenerator<FileItem> {
  const stream = file.toLowerCase().endsWith('.gz') ? fs.createReadStream(file).pipe(zlib.createGunzip()) : fs.createReadStream(file, 'utf8');
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  for await (const raw of lines) {
    n++;
    // Editors on Windows start UTF-8 files with a byte-order mark; JSON.parse refuses it.
    const line = n === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (!line.trim()) continue;
    const where = `${file}:${n}`;
    if (line.length > opts.maxBytes) {
      yield {
        kind: 'bad',
        where,
        reason: `line too large for one article (the limit is ${formatBytes(opts.maxBytes)}, NEWSDESK_MAX_FILE_BYTES)`,
        skip: 'too-large',
      };
      continue;
    }
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      yield { kind: 'bad', where, reason: 'not valid JSON', skip: 'bad-line' };
      continue;
    }
    const article = jsonToArticle(obj);
    if (typeof article === 'string') yield { kind: 'bad', where, reason: article, skip: 'bad-line' };
    else yield { kind: 'article', article };
  }
}

/** `{url, title, text, published, source}` per line; RealTime QA's `id`, `authors`, `aliases` are used too. */
export function jsonToArticle(obj: unknown): ArticleInput | string {
  if (!obj || typeof obj !== 'object') return 'not a JSON object';
  const o = obj as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
  const text = str(o.text);
  if (!text) return 'missing "text"';
  const authors = Array.isArray(o.authors) ? o.authors.filter((a) => typeof a === 'string').join(', ') : null;
  return {
    url: str(o.url),
    title: str(o.title) ?? text.slice(0, 80),
    text,
    outlet: str(o.source) ?? str(o.outlet),
    published: str(o.published)?.slice(0, 10) ?? null,
    author: str(o.author) ?? (authors || null),
    externalId: str(o.id),
    aliases: Array.isArray(o.aliases) ? o.aliases.filter((a): a is string => typeof a === 'string') : [],
  };
}
