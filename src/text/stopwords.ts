/**
 * The one stopword list. The analyser (BM25, questions, the extractive answerer) uses `STOPWORDS`;
 * the offline embedder drops a few more function words and keeps "two" and "new" (see
 * docs/adr/0004-one-text-shelf.md: its vocabulary is frozen with the embedder id, the analyser's
 * with the tokens stored in the FTS5 table, so neither may change without a rebuild).
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are aren't as at be because been before being below
  between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each few
  for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him
  himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my
  myself no nor not of off on once only or other ought our ours ourselves out over own same shan't she she'd
  she'll she's should shouldn't so some such than that that's the their theirs them themselves then there there's
  these they they'd they'll they're they've this those through to too under until up very was wasn't we we'd
  we'll we're we've were weren't what what's when when's where where's which while who who's whom why why's with
  won't would wouldn't you you'd you'll you're you've your yours yourself yourselves also just said says say
  according will one two may might much many new us`
    .split(/\s+/)
    .filter(Boolean),
);

/** What the offline embedder adds to the analyser's list. */
const EMBEDDER_EXTRA =
  `almost along already although always among another anyone anything around became become done either else even ever every get gets got however like must neither now often onto others otherwise per perhaps rather really see seen shall since still though thus toward towards upon via well whatever whether whose within without yet told tell asked`.split(
    /\s+/,
  );

/** The offline embedder's stopwords: the analyser's, minus "two" and "new", plus `EMBEDDER_EXTRA`. */
export const EMBEDDER_STOPWORDS: ReadonlySet<string> = new Set([...[...STOPWORDS].filter((w) => w !== 'two' && w !== 'new'), ...EMBEDDER_EXTRA]);
