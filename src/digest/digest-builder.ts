import { analyzeUnique } from '../text/analyzer.ts';
import { splitSentences } from '../text/sentences.ts';
import type { StoryArticle } from '../db/story-repo.ts';

/** One numbered source a digest cites; `quote` is a verbatim substring of the article. */
export interface DigestCitation {
  n: number;
  articleId: number;
  title: string;
  url: string | null;
  outlet: string | null;
  published: string | null;
  quote: string;
  /** Other outlets that carried this same article (alternates in the guild's own sources). */
  alsoReportedBy: string[];
}

export interface DigestStory {
  title: string;
  url: string | null;
  /** Distinct outlets across the cluster, lead outlet first. */
  outlets: string[];
  newest: string | null;
  articles: number;
  /** One or two verbatim sentences, each with the citation it came from. */
  summary: Array<{ text: string; n: number }>;
}

export interface Digest {
  since: string;
  stories: DigestStory[];
  citations: DigestCitation[];
  /** Stories found beyond `maxStories`. */
  more: number;
}

export interface DigestOptions {
  maxStories: number;
  /** Stories whose title and opening share this much IDF-weighted vocabulary are one developing story (follow-ups). */
  followUpSimilarity: number;
  /** Characters of the opening compared, besides the title. */
  followUpLeadChars: number;
  summaryChars: number;
}

export const DIGEST_DEFAULTS: DigestOptions = { maxStories: 10, followUpSimilarity: 0.3, followUpLeadChars: 300, summaryChars: 320 };

/**
 * Clusters what a guild's sources added since a moment into stories and summarises each
 * extractively. Copies of one article (alternates) are one story by identity; distinct articles
 * whose titles overlap strongly are grouped as follow-ups. Ranked by how many outlets carry a story,
 * then by recency. Summaries are whole sentences of the lead article (and of the newest follow-up),
 * checked to be verbatim.
 */
export function buildDigest(
  articles: StoryArticle[],
  since: string,
  idf: (terms: string[]) => Map<string, number>,
  options: Partial<DigestOptions> = {},
): Digest {
  const o = { ...DIGEST_DEFAULTS, ...options };
  const byStory = new Map<number, StoryArticle[]>();
  for (const a of articles) byStory.set(a.storyId, [...(byStory.get(a.storyId) ?? []), a]);
  const stories = [...byStory.values()].map((copies) => copies.sort((a, b) => (a.id === a.storyId ? -1 : b.id === b.storyId ? 1 : a.id - b.id)));

  // Follow-ups: single-link clustering on IDF-weighted overlap of title and opening.
  const terms = stories.map((s) => analyzeUnique(`${s[0]!.title}\n${s[0]!.lead.slice(0, o.followUpLeadChars)}`));
  const titles = stories.map((s) => analyzeUnique(s[0]!.title));
  const weights = idf([...new Set(terms.flat())]);
  const parent = stories.map((_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root]!;
    parent[i] = root;
    return root;
  };
  for (let i = 0; i < stories.length; i++) {
    for (let j = i + 1; j < stories.length; j++) {
      // Either the openings overlap broadly, or most of the shorter headline's weight is in the other one.
      const related = similarity(terms[i]!, terms[j]!, weights) >= o.followUpSimilarity || overlap(titles[i]!, titles[j]!, weights) >= 0.6;
      if (related) parent[find(j)] = find(i);
    }
  }
  const clusters = new Map<number, StoryArticle[][]>();
  stories.forEach((s, i) => {
    clusters.set(find(i), [...(clusters.get(find(i)) ?? []), s]);
  });

  const ranked = [...clusters.values()]
    .map((group) => {
      const all = group.flat();
      const outlets = [...new Set(all.map((a) => a.outlet).filter((x): x is string => !!x))];
      const newest =
        all
          .map((a) => a.published)
          .filter((x): x is string => !!x)
          .sort()
          .at(-1) ?? null;
      return { group, outlets, newest, size: all.length };
    })
    .sort((a, b) => b.outlets.length - a.outlets.length || (b.newest ?? '').localeCompare(a.newest ?? '') || b.size - a.size);

  const citations: DigestCitation[] = [];
  const out: DigestStory[] = [];
  for (const c of ranked.slice(0, o.maxStories)) {
    // Lead: the story carried by the most copies; a different (newest) story of the cluster adds a follow-up sentence.
    const bySize = [...c.group].sort((a, b) => b.length - a.length || (b[0]!.published ?? '').localeCompare(a[0]!.published ?? ''));
    const lead = bySize[0]!;
    const followUp =
      c.group.length > 1 ? [...c.group].filter((s) => s !== lead).sort((a, b) => (b[0]!.published ?? '').localeCompare(a[0]!.published ?? ''))[0] : undefined;
    const summary: DigestStory['summary'] = [];
    const budget = followUp ? o.summaryChars / 2 : o.summaryChars;
    for (const story of followUp ? [lead, followUp] : [lead]) {
      const a = story[0]!;
      const sentences = leadSentences(a.lead, budget, followUp ? 1 : 2);
      if (sentences.length === 0) continue;
      const n = citations.length + 1;
      citations.push({
        n,
        articleId: a.id,
        title: a.title,
        url: a.url,
        outlet: a.outlet,
        published: a.published,
        quote: sentences.join(' '),
        alsoReportedBy: [
          ...new Set(
            story
              .slice(1)
              .map((x) => x.outlet)
              .filter((x): x is string => !!x && x !== a.outlet),
          ),
        ],
      });
      for (const text of sentences) summary.push({ text, n });
    }
    const head = lead[0]!;
    out.push({ title: head.title, url: head.url, outlets: orderOutlets(c.outlets, head.outlet), newest: c.newest, articles: c.size, summary });
  }
  return { since, stories: out, citations, more: Math.max(0, ranked.length - o.maxStories) };
}

/** Newsletter and sign-up lines that open some articles: not a summary. */
const BOILERPLATE = /\b(newsletter|sign up|subscribe|in your inbox|click here|this story appeared|editor[’']s note)\b/i;

/** The first whole sentences of an article (≥ 6 words, not a dateline), within `budget` characters, verbatim. */
export function leadSentences(text: string, budget: number, max: number): string[] {
  const picked: string[] = [];
  let used = 0;
  for (const s of splitSentences(text)) {
    if (picked.length >= max) break;
    if (s.text.split(/\s+/).length < 6 || !/[.!?]["'”’)]*$/.test(s.text) || BOILERPLATE.test(s.text)) continue;
    if (used + s.text.length > budget && picked.length > 0) break;
    if (s.text.length > budget * 1.6) continue;
    // Verified: the sentence is a verbatim substring of the stored text.
    if (!text.includes(s.text)) continue;
    picked.push(s.text);
    used += s.text.length + 1;
  }
  return picked;
}

function similarity(a: string[], b: string[], w: Map<string, number>): number {
  if (a.length === 0 || b.length === 0) return 0;
  const sb = new Set(b);
  const weight = (t: string) => w.get(t) ?? 1;
  let inter = 0;
  let union = 0;
  for (const t of new Set([...a, ...b])) {
    union += weight(t);
    if (a.includes(t) && sb.has(t)) inter += weight(t);
  }
  return union > 0 ? inter / union : 0;
}

/** Weighted overlap coefficient: shared weight over the smaller side's weight. */
function overlap(a: string[], b: string[], w: Map<string, number>): number {
  if (a.length < 3 || b.length < 3) return 0;
  const weight = (t: string) => w.get(t) ?? 1;
  const sb = new Set(b);
  const shared = a.filter((t) => sb.has(t)).reduce((n, t) => n + weight(t), 0);
  const min = Math.min(
    a.reduce((n, t) => n + weight(t), 0),
    b.reduce((n, t) => n + weight(t), 0),
  );
  return min > 0 ? shared / min : 0;
}

function orderOutlets(outlets: string[], first: string | null): string[] {
  return first ? [first, ...outlets.filter((o) => o !== first)] : outlets;
}
