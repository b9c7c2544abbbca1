/**
 * Small generated news pages and feeds for tests about who may change what. Each story is long enough
 * to be an article (and, in a feed, a full-text item: ≥ 150 words) and uses made-up names, so nothing
 * else in a store matches it.
 */

export interface StorySpec {
  title: string;
  outlet: string;
  /** The page's `<link rel="canonical">`, when it has one. */
  canonical?: string;
  published?: string;
  paragraphs: string[];
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function articlePage(s: StorySpec, opts: { charset?: string; charsetMeta?: boolean } = {}): string {
  const charset = opts.charset ?? 'utf-8';
  return `<!doctype html>
<html lang="en">
<head>
${opts.charsetMeta === false ? '' : `<meta charset="${charset}">`}
<title>${escapeHtml(s.title)} | ${escapeHtml(s.outlet)}</title>
<meta property="og:title" content="${escapeHtml(s.title)}">
<meta property="og:site_name" content="${escapeHtml(s.outlet)}">
<meta property="article:published_time" content="${s.published ?? '2024-06-03'}T08:00:00Z">
${s.canonical ? `<link rel="canonical" href="${escapeHtml(s.canonical)}">` : ''}
</head>
<body>
<article>
<h1>${escapeHtml(s.title)}</h1>
${s.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
</article>
</body>
</html>`;
}

export interface FeedItemSpec {
  title: string;
  link: string;
  guid?: string;
  published?: string;
  /** Full text (≥ 150 words) or a teaser. */
  paragraphs: string[];
}

export function rssFeed(title: string, home: string, items: FeedItemSpec[]): string {
  const body = items
    .map(
      (it) => `<item>
  <title>${escapeHtml(it.title)}</title>
  <link>${escapeHtml(it.link)}</link>
  <guid>${escapeHtml(it.guid ?? it.link)}</guid>
  <pubDate>${new Date(`${it.published ?? '2024-06-03'}T09:00:00Z`).toUTCString()}</pubDate>
  <description>${escapeHtml(it.paragraphs[0] ?? '')}</description>
  ${it.paragraphs.length > 1 ? `<content:encoded><![CDATA[${it.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}]]></content:encoded>` : ''}
</item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>${escapeHtml(title)}</title>
  <link>${escapeHtml(home)}</link>
  <description>${escapeHtml(title)}</description>
${body}
</channel>
</rss>`;
}

/** The real story: Quillmere elects Dana Okafor. */
export const MAYOR_REAL = [
  'Voters in Quillmere elected Dana Okafor as mayor on Sunday, giving the former harbour engineer 58 percent of the vote in a turnout of 71 percent, the town election office said on Monday morning.',
  'Okafor, who ran on a promise to rebuild the flood wall along the Quill estuary, defeated the sitting mayor after two terms. She said the first council meeting under her leadership would vote on the flood wall budget.',
  'The election office said the count was finished shortly after midnight and that no ballot boxes were contested. Observers from the regional electoral board watched the count in the old grain exchange.',
  'Okafor thanked volunteers who knocked on doors across the eastern districts, where turnout rose by nine points compared with the last election, and promised monthly open meetings in every district library.',
  'The new mayor takes office on the first of July. Her deputy will be chosen by the council from among its members at the same meeting, the town clerk confirmed in a statement published on the town website.',
];

/** The invented version an attacker wants Quillmere's readers to see. */
export const MAYOR_FAKE = [
  'Voters in Quillmere elected Victor Brannagh as mayor on Sunday, giving the property developer 64 percent of the vote after a late surge, the town election office was said to confirm on Monday morning.',
  'Brannagh, who ran on a promise to sell the estuary meadows to investors, defeated every rival by a wide margin. He said the first council meeting under his leadership would approve the meadow sale.',
  'Sources said the count was finished early in the evening. Brannagh celebrated with supporters in a hotel he owns on the seafront and promised lower taxes for businesses that move to Quillmere.',
  'Brannagh thanked the investors who funded his campaign and promised that the estuary project would bring a casino, a marina and two hundred luxury flats to the town within three years of his election.',
  'The new mayor takes office at once, his campaign said. He will choose his own deputy and has asked the town clerk to cancel the monthly district meetings, which he called a waste of public money.',
];

export const MAYOR_QUESTION = 'Who was elected mayor of Quillmere?';
