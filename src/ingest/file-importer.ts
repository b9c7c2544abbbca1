import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { UserError } from '../errors.ts';
import type { ArticleInput } from '../types.ts';
import { parseTextArticle, parseHtmlFile } from './parse-text-file.ts';

const TEXT_EXT = new Set(['.txt', '.md', '.markdown']);
const HTML_EXT = new Set(['.html', '.htm']);
const JSONL_EXT = ['.jsonl', '.jsonl.gz', '.ndjson'];

export type FileItem = { kind: 'article'; article: ArticleInput } | { kind: 'bad'; where: string; reason: string };

export function isSupportedFile(file: string): boolean {
  const lower = file.toLowerCase();
  const ext = path.extname(lower);
  return TEXT_EXT.has(ext) || HTML_EXT.has(ext) || JSONL_EXT.some((e) => lower.endsWith(e));
}

/** Every supported file under `target` (a file or a directory), sorted for a stable order. */
export function listFiles(target: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch (err) {
    throw new UserError('not-found', `No such file or directory: ${target}`, { cause: err });
  }
  if (stat.isFile()) {
    if (!isSupportedFile(target)) {
      throw new UserError(
        'unsupported-file',
        `Unsupported file type: ${target}. Newsdesk reads .txt, .md, .html, .htm and .jsonl (also .jsonl.gz) files.`,
      );
    }
    return [path.resolve(target)];
  }
  const out: string[] = [];
  for (const entry of fs.readdirSync(target, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.isFile() && isSupportedFile(full)) out.push(path.resolve(full));
  }
  return out;
}

/** Articles from one file. JSONL is streamed line by line; a bad line is reported, not fatal. */
export async function* readArticles(file: string): AsyncGenerator<FileItem> {
  const lower = file.toLowerCase();
  const ext = path.extname(lower);
  if (JSONL_EXT.some((e) => lower.endsWith(e))) {
    yield* readJsonl(file);
    return;
  }
  const raw = fs.readFileSync(file, 'utf8');
  if (HTML_EXT.has(ext)) {
    const r = parseHtmlFile(raw, path.basename(file));
    if (r.kind === 'article') yield { kind: 'article', article: r.article };
    else yield { kind: 'bad', where: file, reason: r.reason };
    return;
  }
  yield { kind: 'article', article: parseTextArticle(raw, path.basename(file)) };
}

async function* readJsonl(file: string): AsyncGenerator<FileItem> {
  const stream = file.toLowerCase().endsWith('.gz')
    ? fs.createReadStream(file).pipe(zlib.createGunzip())
    : fs.createReadStream(file, 'utf8');
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    const where = `${file}:${n}`;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      yield { kind: 'bad', where, reason: 'not valid JSON' };
      continue;
    }
    const article = jsonToArticle(obj);
    if (typeof article === 'string') yield { kind: 'bad', where, reason: article };
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
