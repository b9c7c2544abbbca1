import type { SqlDb as Db } from './sql.ts';
import { jsonIdList } from './sql.ts';

/**
 * Read-only queries about stories as one guild sees them: which articles it can see (linked to its
 * own or a global source), which outlets carried the same story, what was added since a moment, and
 * the health of the sources behind a citation. A story is an article and its near-duplicate alternates
 * (`articles.duplicate_of`); its id is the first copy's id.
 */

/** One stored article with its story id. */
export interface StoryArticle {
  id: number;
  storyId: number;
  title: string;
  url: string | null;
  outlet: string | null;
  published: string | null;
  fetchedAt: string;
  /** The first `leadChars` characters of the text (verbatim: every quote from it is a substring of the article). */
  lead: string;
}

/** A source behind a cited article that is not healthy. */
export interface SourceTrouble {
  articleId: number;
  sourceId: number;
  name: string;
  state: 'failing' | 'paused';
  lastError: string | null;
  lastSuccessAt: string | null;
}

export interface StoryRepo {
  article(id: number, leadChars?: number): StoryArticle | undefined;
  /** Whether the guild (null: DMs, global sources only) sees the article through one of its sources. */
  isVisible(articleId: number, guildId: string | null): boolean;
  /** Every copy of a story the guild can see, first copy first. */
  storyMembers(storyId: number, guildId: string | null): StoryArticle[];
  /** Articles the guild can see that were stored at or after `sinceIso` (and published on or after `minPublished`, when dated). */
  addedSince(guildId: string | null, sinceIso: string, minPublished: string, leadChars?: number): StoryArticle[];
  /** When each article was first stored. */
  fetchedAt(articleIds: number[]): Map<number, string>;
  /** Failing or paused sources (visible to the guild) linked to any of these articles. */
  troubleFor(articleIds: number[], guildId: string | null): SourceTrouble[];
  /** The newest publication day among the articles the guild can see. */
  newestPublished(guildId: string | null): string | null;
  /** Guild ids (null: global) of the sources an article is linked to. */
  guildsOf(articleId: number): Array<string | null>;
  /** Every stored article's origin id (corpus id) → its article and story ids (evaluation). */
  byExternalId(): Map<string, { id: number; storyId: number; title: string; text: string }>;
}

const VISIBLE = `EXISTS (SELECT 1 FROM article_sources x JOIN sources s ON s.id = x.source_id
  WHERE x.article_id = a.id AND (s.guild_id IS NULL OR s.guild_id = @guild))`;

const COLUMNS = `a.id, coalesce(a.duplicate_of, a.id) AS "storyId", a.title, a.url, a.outlet, a.published,
  a.fetched_at AS "fetchedAt", substr(a.text, 1, @lead) AS lead`;

export function createStoryRepo(db: Db): StoryRepo {
  const s = {
    article: db.prepare(`SELECT ${COLUMNS} FROM articles a WHERE a.id = @id`),
    visible: db.prepare(`SELECT 1 FROM articles a WHERE a.id = @id AND ${VISIBLE}`),
    members: db.prepare(
      `SELECT ${COLUMNS} FROM articles a WHERE (a.id = @story OR a.duplicate_of = @story) AND ${VISIBLE}
       ORDER BY (a.id = @story) DESC, a.id`,
    ),
    since: db.prepare(
      `SELECT ${COLUMNS} FROM articles a WHERE a.fetched_at >= @since AND (a.published IS NULL OR a.published >= @minPublished)
       AND ${VISIBLE} ORDER BY a.id`,
    ),
    fetched: db.prepare(`SELECT id, fetched_at FROM articles WHERE id IN ${jsonIdList(db, '?')}`),
    trouble: db.prepare(
      `SELECT x.article_id AS "articleId", s.id AS "sourceId", coalesce(s.name, s.url) AS name, s.enabled, s.paused_reason,
              s.last_error AS "lastError", s.last_success_at AS "lastSuccessAt", s.consecutive_failures AS failures
       FROM article_sources x JOIN sources s ON s.id = x.source_id
       WHERE x.article_id IN ${jsonIdList(db, '@ids')} AND (s.guild_id IS NULL OR s.guild_id = @guild)
         AND s.kind != 'file' AND (s.enabled = 0 OR s.consecutive_failures > 0) ORDER BY x.article_id, s.id`,
    ),
    newest: db.prepare(`SELECT max(a.published) AS d FROM articles a WHERE a.published IS NOT NULL AND ${VISIBLE}`),
    guilds: db.prepare(
      'SELECT DISTINCT s.guild_id AS g FROM article_sources x JOIN sources s ON s.id = x.source_id WHERE x.article_id = ? ORDER BY 1 NULLS FIRST',
    ),
  };
  // Guild ids are snowflakes; '' never matches one, so DMs (null) see global sources only.
  const g = (guildId: string | null) => guildId ?? '';
  return {
    article(id, leadChars = 1200) {
      return s.article.get({ id, lead: leadChars }) as StoryArticle | undefined;
    },
    isVisible(articleId, guildId) {
      return s.visible.get({ id: articleId, guild: g(guildId) }) !== undefined;
    },
    storyMembers(storyId, guildId) {
      return s.members.all({ story: storyId, guild: g(guildId), lead: 400 }) as StoryArticle[];
    },
    addedSince(guildId, sinceIso, minPublished, leadChars = 1200) {
      return s.since.all({ since: sinceIso, minPublished, guild: g(guildId), lead: leadChars }) as StoryArticle[];
    },
    fetchedAt(articleIds) {
      const rows = s.fetched.all(JSON.stringify(articleIds)) as Array<{ id: number; fetched_at: string }>;
      return new Map(rows.map((r) => [r.id, r.fetched_at]));
    },
    troubleFor(articleIds, guildId) {
      if (articleIds.length === 0) return [];
      const rows = s.trouble.all({ ids: JSON.stringify(articleIds), guild: g(guildId) }) as Array<
        Omit<SourceTrouble, 'state'> & { enabled: number; paused_reason: string | null; failures: number }
      >;
      return rows.map((r) => ({
        articleId: r.articleId,
        sourceId: r.sourceId,
        name: r.name,
        state: r.enabled === 0 ? ('paused' as const) : ('failing' as const),
        lastError: r.lastError,
        lastSuccessAt: r.lastSuccessAt,
      }));
    },
    newestPublished(guildId) {
      return (s.newest.get({ guild: g(guildId) }) as { d: string | null }).d;
    },
    byExternalId() {
      const rows = db
        .prepare('SELECT external_id AS ext, id, coalesce(duplicate_of, id) AS "storyId", title, text FROM articles WHERE external_id IS NOT NULL ORDER BY id')
        .all() as Array<{ ext: string; id: number; storyId: number; title: string; text: string }>;
      return new Map(rows.map((r) => [r.ext, { id: r.id, storyId: r.storyId, title: r.title, text: r.text }]));
    },
    guildsOf(articleId) {
      return (s.guilds.all(articleId) as Array<{ g: string | null }>).map((r) => r.g);
    },
  };
}
