/**
 * Makes a corpus larger for scale benchmarks without the pipeline dropping the copies as duplicates.
 *
 * Copy 0 is the original. Copy n gets a new id and URL host, no aliases (an alias would match the
 * original and count as "unchanged"), and a text whose every third word is rotated among the other
 * every-third words of the same article. Every word 3-gram then differs from the original's, so
 * the content hash and the SimHash over 3-gram shingles are unrelated (the near-duplicate check
 * sees a different story), while the bag of words — and so the keyword and embedding workload per
 * chunk — stays exactly the same as a real article's.
 */
export interface CorpusRecord {
  id?: string;
  url?: string;
  title?: string;
  text: string;
  published?: string | null;
  source?: string;
  authors?: string[];
  aliases?: string[];
  [key: string]: unknown;
}

/** Rotates every third word (positions 1, 4, 7, …) by `shift` places among themselves; whitespace is kept. */
export function perturbText(text: string, shift: number): string {
  const parts = text.split(/(\s+)/); // words at even indexes, separators at odd ones
  const wordIdx: number[] = [];
  for (let i = 0, w = 0; i < parts.length; i += 2, w++) if (parts[i] !== '' && w % 3 === 1) wordIdx.push(i);
  if (wordIdx.length < 2) return `${text} (${shift})`;
  const s = shift % wordIdx.length || 1;
  const words = wordIdx.map((i) => parts[i]!);
  wordIdx.forEach((i, j) => {
    parts[i] = words[(j + s) % words.length]!;
  });
  return parts.join('');
}

/** Copy `n` (≥ 1) of a corpus record: new id, URL and perturbed text; n = 0 returns the record as is. */
export function replicaOf(rec: CorpusRecord, n: number): CorpusRecord {
  if (n === 0) return rec;
  let url: string | undefined;
  if (rec.url) {
    try {
      const u = new URL(rec.url);
      u.hostname = `copy${n}.${u.hostname}`;
      url = u.href;
    } catch {
      url = undefined;
    }
  }
  return {
    ...rec,
    id: `${rec.id ?? 'article'}~copy${n}`,
    url: url ?? `https://copy${n}.bench.example/${encodeURIComponent(rec.id ?? rec.title ?? 'article')}`,
    title: rec.title ? `${rec.title} (${n})` : rec.title,
    text: perturbText(rec.text, n),
    aliases: [],
  };
}

/** Endless stream of records: the corpus, then copy 1 of it, then copy 2, … */
export function* replicated(records: readonly CorpusRecord[]): Generator<CorpusRecord> {
  if (records.length === 0) return;
  for (let n = 0; ; n++) for (const r of records) yield replicaOf(r, n);
}
