import { parseHTML } from 'linkedom';
import { UserError } from '../errors.ts';
import type { ArticleInput } from '../types.ts';
import { canonicalizeUrl } from './canonical-url.ts';
import { toIsoDate } from '../text/dates.ts';
import { normalizeSpace } from '../text/plain-text.ts';
import { extractArticle } from './extract-article.ts';
import { stripRawTextElements } from './html-markup.ts';
import { elementToParagraphs } from './html-text.ts';
import type { ExtractResult } from './extract-article.ts';

interface Recovered {
  outlet: string | null;
  published: string | null;
}

/**
 * What a paragraph can be besides article text. `drop` removes the paragraph, `cut` removes it and
 * everything after it (trailers), `strip` removes a matched prefix from the first paragraph only.
 * Each rule may recover metadata the marker carries.
 */
interface BoilerplateRule {
  name: string;
  match: RegExp;
  action: 'drop' | 'cut' | 'strip';
  recover?: (m: RegExpMatchArray) => Partial<Recovered>;
}

const BOILERPLATE_RULES: BoilerplateRule[] = [
  {
    // MENAFN story ids: "MENAFN" + DDMMYYYY + serials, e.g. MENAFN07112024000045015839ID1108861531.
    name: 'menafn-id',
    match: /^MENAFN(\d{2})(\d{2})(\d{4})\d*ID\d+$/,
    action: 'drop',
    recover: (m) => ({ outlet: 'MENAFN', published: toIsoDate(`${m[3]}-${m[2]}-${m[1]}`) }),
  },
  { name: 'legal-disclaimer', match: /^Legal Disclaimer:?/i, action: 'cut' },
  // A year is required so a paragraph about copyright law is not mistaken for a trailer.
  { name: 'copyright-trailer', match: /^(?:©|\(c\)|Copyright\s*(?:©|\(c\))?)\s*\d{4}\b[^\n]{0,200}$/i, action: 'cut' },
  { name: 'feed-footer', match: /^The post .+ appeared first on .+$/i, action: 'drop' },
  {
    // "(MENAFN) Russia…", "(Reuters) - The…", "WASHINGTON (AP) — The…": the outlet marker goes, a
    // leading place name stays because it says where the story happened.
    name: 'outlet-dateline',
    match: /^((?:[A-Z]{2}[A-Z .'-]{0,30}(?:,[^()\n]{1,25})?\s+)?)\(([A-Z][\w.&'-]*(?: [\w.&'-]+){0,3})\)\s*(?:[-–—:]\s*)?/,
    action: 'strip',
    recover: (m) => ({ outlet: m[2]!.trim() }),
  },
];

/** Bare lines that only repeat the outlet's name, as wire exports often end. */
function isOutletLine(p: string, outlet: string | null): boolean {
  return !!outlet && p.trim().toLowerCase() === outlet.toLowerCase();
}

interface FrontMatter {
  title?: string;
  outlet?: string;
  published?: string;
  url?: string;
  author?: string;
}

const FRONT_MATTER_KEYS: Record<string, keyof FrontMatter> = {
  title: 'title',
  source: 'outlet',
  outlet: 'outlet',
  publisher: 'outlet',
  published: 'published',
  date: 'published',
  url: 'url',
  link: 'url',
  canonical: 'url',
  author: 'author',
  byline: 'author',
};

/** YAML-ish `key: value` lines between `---` fences; only the keys we understand are kept. */
function readFrontMatter(lines: string[]): { fm: FrontMatter; rest: string[] } {
  if (lines[0]?.trim() !== '---') return { fm: {}, rest: lines };
  const end = lines.findIndex((l, i) => i > 0 && /^(?:---|\.\.\.)\s*$/.test(l));
  if (end === -1 || end > 60) return { fm: {}, rest: lines };
  const fm: FrontMatter = {};
  for (const line of lines.slice(1, end)) {
    const m = line.match(/^([A-Za-z_][\w-]*)\s*:\s*(.*)$/);
    const key = m && FRONT_MATTER_KEYS[m[1]!.toLowerCase()];
    const value = m?.[2]?.trim().replace(/^(['"])(.*)\1$/, '$2');
    if (key && value && !fm[key]) fm[key] = value;
  }
  return { fm, rest: lines.slice(end + 1) };
}

/** Inline Markdown reduced to its words: links keep their text, images and emphasis marks go. */
function stripMarkdown(p: string): string {
  return p
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/, '')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[\s(])[*_](\S(?:.*?\S)?)[*_](?=[\s).,;:!?]|$)/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1');
}

/** Paragraphs split on blank lines; hard-wrapped lines rejoined; list items kept apart. */
function toParagraphs(lines: string[], markdown: boolean): string[] {
  const out: string[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length) out.push(normalizeSpace(current.join(' ')));
    current = [];
  };
  for (const line of lines) {
    if (!line.trim()) flush();
    else {
      if (markdown && /^\s{0,3}(?:[-*+]\s|\d+[.)]\s|#{1,6}\s)/.test(line)) flush();
      current.push(markdown ? stripMarkdown(line) : line);
    }
  }
  flush();
  return out.filter(Boolean);
}

/**
 * A `.txt` or `.md` article: optional front matter (title, source, published, url, author), then
 * the first non-empty line as title and the rest as body, with known wire boilerplate removed and the
 * metadata it encodes (outlet, date) recovered. Throws `UserError('not-an-article')` when there is
 * no body.
 */
export function parseTextArticle(text: string, fileName: string): ArticleInput {
  const markdown = /\.(?:md|markdown)$/i.test(fileName);
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const { fm, rest } = readFrontMatter(lines);
  let paragraphs = toParagraphs(rest, markdown);

  let title = fm.title ? normalizeSpace(fm.title) : null;
  if (title && paragraphs[0] && sameText(paragraphs[0], title)) paragraphs.shift();
  if (!title) {
    const first = (rest.find((l) => l.trim()) ?? '').replace(/^\s*#+\s*/, '');
    // A very long first line is the lede of an untitled file, not a headline.
    if (first.length <= 200 && paragraphs.length > 1) {
      title = normalizeSpace(markdown ? stripMarkdown(first) : first);
      paragraphs = toParagraphs(rest.slice(rest.indexOf(rest.find((l) => l.trim())!) + 1), markdown);
    } else if (first.length <= 200) {
      throw new UserError('not-an-article', `${fileName} has a title line but no article text.`);
    } else {
      title = fileTitle(fileName);
    }
  }

  const recovered: Recovered = { outlet: null, published: null };
  const body: string[] = [];
  for (const p of paragraphs) {
    const rule = BOILERPLATE_RULES.find((r) => r.action !== 'strip' && r.match.test(p));
    if (rule) {
      Object.assign(recovered, definedOnly(rule.recover?.(p.match(rule.match)!)));
      if (rule.action === 'cut') break;
      continue;
    }
    body.push(p);
  }
  const dateline = BOILERPLATE_RULES.find((r) => r.action === 'strip')!;
  if (body[0]) {
    const m = body[0].match(dateline.match);
    if (m) {
      body[0] = `${m[1] ? `${m[1].trim()} — ` : ''}${body[0].slice(m[0].length)}`;
      recovered.outlet ??= dateline.recover!(m).outlet ?? null;
    }
  }
  const outlet = fm.outlet ?? recovered.outlet;
  while (body.length && isOutletLine(body[body.length - 1]!, outlet)) body.pop();

  const textOut = body.join('\n\n');
  if (!textOut) throw new UserError('not-an-article', `${fileName} has no article text.`);
  return {
    url: fileUrl(fm.url),
    title,
    text: textOut,
    outlet,
    published: (fm.published ? toIsoDate(fm.published) : null) ?? recovered.published,
    author: fm.author ?? null,
  };
}

/**
 * An `.html` file: the same extraction as a fetched page, but a file the user chose is not skipped
 * for looking thin or like a listing — when Readability finds no article we fall back to `<title>`
 * plus the body text. Skipped only when the file has no text at all.
 */
export function parseHtmlFile(html: string, fileName: string): ExtractResult {
  const result = extractArticle(html, `file:///${encodeURIComponent(fileName)}`);
  if (result.kind === 'article' || result.code === 'too-deep' || result.code === 'too-large') return result;

  const doc = parseHTML(stripRawTextElements(`<!doctype html><html><body>${html}</body></html>`)).document;
  const title =
    normalizeSpace(doc.querySelector('title')?.textContent ?? '') || normalizeSpace(doc.querySelector('h1')?.textContent ?? '') || fileTitle(fileName);
  const paragraphs = elementToParagraphs(doc.body as unknown as Node);
  if (paragraphs[0] && sameText(paragraphs[0], title)) paragraphs.shift();
  const text = paragraphs.join('\n\n');
  if (!text) return { kind: 'skipped', code: 'too-short', reason: `${fileName} has no readable text` };
  return { kind: 'article', article: { url: null, title, text, outlet: null, published: null, updated: null } };
}

function fileTitle(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return normalizeSpace(base.replace(/\.[^.]+$/, '').replace(/[_-]+/g, ' ')) || 'Untitled';
}

function fileUrl(raw: string | undefined): string | null {
  if (!raw || !/^https?:\/\//i.test(raw)) return null;
  try {
    return canonicalizeUrl(raw);
  } catch {
    return null;
  }
}

function sameText(a: string, b: string): boolean {
  const n = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  return n(a) === n(b);
}

function definedOnly(r: Partial<Recovered> | undefined): Partial<Recovered> {
  return Object.fromEntries(Object.entries(r ?? {}).filter(([, v]) => v != null));
}
