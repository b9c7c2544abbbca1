import type { ArticleInput } from '../types.ts';
import { extractArticle, htmlToText } from './extract-article.ts';

/**
 * Wire-service boilerplate found in plain-text article dumps. Each rule may recover metadata
 * before its lines are dropped, so the trailer that carries the date is read, then removed.
 */
interface BoilerplateRule {
  /** Matches a whole paragraph (after trimming). */
  test: RegExp;
  /** Metadata the paragraph reveals. */
  recover?: (m: RegExpExecArray) => Partial<Pick<ArticleInput, 'outlet' | 'published'>>;
  /** Drop this paragraph and everything after it (legal trailers). */
  truncate?: boolean;
}

const RULES: BoilerplateRule[] = [
  // MENAFN article ids: "MENAFN" + DDMMYYYY + digits + "ID" + digits.
  {
    test: /^MENAFN(\d{2})(\d{2})(\d{4})\d*ID\d+$/,
    recover: (m) => ({ outlet: 'MENAFN', published: validDate(`${m[3]}-${m[2]}-${m[1]}`) }),
  },
  // A bare outlet line left by the syndication template.
  { test: /^MENAFN$/, recover: () => ({ outlet: 'MENAFN' }) },
  { test: /^Legal Disclaimer:?/i, truncate: true },
];

// "(MENAFN) Russian Foreign Minister…", "(Reuters) — …": an outlet dateline at the start of the body.
const DATELINE = /^\((MENAFN|Reuters|AP|AFP|Bloomberg|dpa)\)\s*[-–—]?\s*/;

function validDate(s: string): string | null {
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isNaN(t) ? null : new Date(t).toISOString().slice(0, 10) === s ? s : null;
}

/** Optional front matter in Markdown files: `title:`, `source:`/`outlet:`, `published:`/`date:`, `url:`, `author:`. */
function readFrontMatter(text: string): { fields: Record<string, string>; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!m) return { fields: {}, body: text };
  const fields: Record<string, string> = {};
  for (const line of m[1]!.split(/\r?\n/)) {
    const kv = /^([A-Za-z_]+):\s*(.*)$/.exec(line);
    if (kv) fields[kv[1]!.toLowerCase()] = kv[2]!.replace(/^["']|["']$/g, '').trim();
  }
  return { fields, body: text.slice(m[0].length) };
}

/**
 * A plain-text or Markdown article: the first non-empty line is the title, the rest the body.
 * Known syndication boilerplate is removed after the metadata it carries is recovered.
 */
export function parseTextArticle(raw: string, fileName: string): ArticleInput {
  const { fields, body } = readFrontMatter(raw.replace(/\r\n?/g, '\n').replace(/^\uFEFF/, ''));
  const paragraphs = body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  let title = fields.title ?? null;
  if (!title && paragraphs.length > 0) {
    const first = paragraphs[0]!;
    const nl = first.indexOf('\n');
    title = (nl === -1 ? first : first.slice(0, nl)).replace(/^#+\s*/, '').trim();
    if (nl === -1) paragraphs.shift();
    else paragraphs[0] = first.slice(nl + 1).trim();
  }
  let outlet: string | null = fields.source ?? fields.outlet ?? null;
  let published: string | null = fields.published ? validDate(fields.published.slice(0, 10)) : fields.date ? validDate(fields.date.slice(0, 10)) : null;
  const kept: string[] = [];
  for (const p of paragraphs) {
    const rule = RULES.map((r) => ({ r, m: r.test.exec(p) })).find((x) => x.m);
    if (!rule) {
      kept.push(p);
      continue;
    }
    const found = rule.r.recover?.(rule.m!) ?? {};
    outlet = outlet ?? found.outlet ?? null;
    published = published ?? found.published ?? null;
    if (rule.r.truncate) break;
  }
  if (kept[0]) {
    const d = DATELINE.exec(kept[0]);
    if (d) {
      outlet = outlet ?? d[1]!;
      kept[0] = kept[0].slice(d[0].length);
    }
  }
  return {
    url: fields.url ?? null,
    title: title || fileName.replace(/\.[^.]+$/, ''),
    text: kept.join('\n\n'),
    outlet,
    published,
    author: fields.author ?? null,
  };
}

/** An HTML file on disk: the article extractor, falling back to the page title and body text. */
export function parseHtmlFile(html: string, fileName: string): { kind: 'article'; article: ArticleInput } | { kind: 'skipped'; reason: string } {
  const r = extractArticle(html, `file:///${encodeURIComponent(fileName)}`);
  if (r.kind === 'article') return { kind: 'article', article: { ...r.article, url: null, aliases: [] } };
  const text = htmlToText(html);
  if (text.split(/\s+/).length < 20) return { kind: 'skipped', reason: r.reason };
  const t = /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1]?.trim();
  return { kind: 'article', article: { url: null, title: t || fileName, text, outlet: null, published: null } };
}
