import { SEED_DIR } from '../config.ts';
import type { Store } from '../db/store.ts';
import type { Logger } from '../logger.ts';
import type { SourceService } from './source-service.ts';

export { isDemoSource, SEED_DIR } from '../config.ts';
export const DEMO_SOURCE_NAME = 'Demo articles (data/seed)';
const SEEDED_KEY = 'seed_ingested_at';

export type SeedOutcome =
  | { kind: 'seeded'; sourceId: number; added: number }
  | { kind: 'skipped'; reason: 'disabled' | 'store-not-empty' | 'already-seeded' | 'nothing-found' };

/**
 * On the first start with an empty store, ingests `data/seed/` as a global demo source — once: the
 * store remembers it was seeded, so an operator who removes the demo source does not get it back,
 * and a store that already has articles is never touched. `NEWSDESK_SEED=false` turns it off.
 */
export async function seedIfEmpty(
  app: { meta: Pick<Store['meta'], 'get' | 'set'>; sources: Pick<SourceService, 'addPath'>; stats(): { articles: number }; logger: Logger },
  opts: { enabled: boolean; seedDir?: string },
): Promise<SeedOutcome> {
  if (!opts.enabled) return { kind: 'skipped', reason: 'disabled' };
  if (app.meta.get(SEEDED_KEY)) return { kind: 'skipped', reason: 'already-seeded' };
  if (app.stats().articles > 0) return { kind: 'skipped', reason: 'store-not-empty' };
  const [r] = await app.sources.addPath(opts.seedDir ?? SEED_DIR, undefined, { name: DEMO_SOURCE_NAME });
  app.meta.set(SEEDED_KEY, new Date().toISOString());
  if (!r || r.removed) return { kind: 'skipped', reason: 'nothing-found' };
  app.logger.info('empty store: ingested the demo source', { sourceId: r.source.id, dir: opts.seedDir ?? SEED_DIR, added: r.report.added });
  return { kind: 'seeded', sourceId: r.source.id, added: r.report.added };
}

/** One line for a person: what seeding did and how to undo or avoid it. */
export function describeSeed(o: SeedOutcome, dataDir: string): string | null {
  if (o.kind === 'seeded') {
    return `Empty store at ${dataDir}: added the demo source #${o.sourceId} (${o.added} ${o.added === 1 ? 'article' : 'articles'} from data/seed/). Remove it with "newsdesk sources remove ${o.sourceId}"; NEWSDESK_SEED=false skips it.`;
  }
  return null;
}
