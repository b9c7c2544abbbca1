import type { Retriever } from '../retrieval/retriever.ts';
import type { DigestRepo } from '../db/digest-repo.ts';
import type { StoryRepo } from '../db/story-repo.ts';
import { UserError } from '../errors.ts';
import { ask, type Answerer, type AskResult } from '../core/ask.ts';

export type UpdatesOutcome = { kind: 'updates'; since: string; result: AskResult } | { kind: 'nothing-new'; since: string };

/** How many passages are looked at before keeping only the newer ones. */
const POOL = 60;

/**
 * "Updates since": the same question asked again over only what the tracked news added after the
 * original answer (articles first stored later, not cited then). The normal retrieve → answer path
 * runs with a retriever that drops older passages, so citations can only point at newer articles.
 */
export async function updatesSince(
  deps: {
    retriever: Pick<Retriever, 'retrieve'>;
    answerer: Answerer;
    stories: StoryRepo;
    digests: DigestRepo;
    alsoReportedBy?: (articleId: number) => string[];
  },
  snapshotId: number,
  guildId: string | null,
): Promise<UpdatesOutcome> {
  const snap = deps.digests.snapshot(snapshotId);
  if (!snap || snap.guildId !== guildId) throw new UserError('not-found', 'This answer is too old to follow up; ask again.');
  const cited = new Set(snap.articleIds);
  const answeredAt = snap.answeredAt;
  const newer: Pick<Retriever, 'retrieve'> = {
    async retrieve(q, o) {
      const pool = await deps.retriever.retrieve(q, { ...o, k: Math.max(POOL, o?.k ?? 0) });
      const fetched = deps.stories.fetchedAt([...new Set(pool.map((p) => p.articleId))]);
      return pool.filter((p) => !cited.has(p.articleId) && (fetched.get(p.articleId) ?? '') > answeredAt).slice(0, o?.k ?? 5);
    },
  };
  const result = await ask({ retriever: newer, answerer: deps.answerer, alsoReportedBy: deps.alsoReportedBy }, snap.question, {
    guildId: guildId ?? null,
    k: 5,
  });
  if (!result.grounded || result.citations.length === 0) return { kind: 'nothing-new', since: answeredAt };
  return { kind: 'updates', since: answeredAt, result };
}
