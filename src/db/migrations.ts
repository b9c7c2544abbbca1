/**
 * Schema migrations, applied in order inside one transaction each. Never edit a shipped migration:
 * append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    guild_id TEXT,                         -- NULL: a global source (operator / CLI), visible everywhere
    kind TEXT NOT NULL CHECK (kind IN ('feed', 'page', 'file')),
    url TEXT NOT NULL,                     -- feed or page URL, or an absolute file path
    name TEXT,
    enabled INTEGER NOT NULL DEFAULT 1,
    poll_interval_min REAL,                -- NULL: the global default
    etag TEXT,
    last_modified TEXT,
    last_fetch_at TEXT,
    last_success_at TEXT,
    last_error TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    next_poll_at TEXT,
    paused_reason TEXT,
    created_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX sources_guild_url ON sources (coalesce(guild_id, ''), url);

  CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    external_id TEXT,
    url TEXT,
    title TEXT NOT NULL,
    outlet TEXT,
    author TEXT,
    published TEXT,                        -- YYYY-MM-DD
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    simhash TEXT,                          -- 64-bit, hex
    duplicate_of INTEGER REFERENCES articles (id) ON DELETE SET NULL,
    fetched_at TEXT NOT NULL,
    updated_at TEXT
  );
  CREATE UNIQUE INDEX articles_url ON articles (url) WHERE url IS NOT NULL;
  CREATE INDEX articles_hash ON articles (content_hash);
  CREATE INDEX articles_published ON articles (published);
  CREATE INDEX articles_duplicate_of ON articles (duplicate_of) WHERE duplicate_of IS NOT NULL;

  CREATE TABLE article_sources (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, source_id)
  ) WITHOUT ROWID;
  CREATE INDEX article_sources_source ON article_sources (source_id);

  CREATE TABLE article_aliases (
    url TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE
  );

  -- AUTOINCREMENT: a chunk id is never reused, because it is also a label in the HNSW index.
  CREATE TABLE chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    start INTEGER NOT NULL,                -- character span in articles.text
    end INTEGER NOT NULL,
    embedding BLOB NOT NULL                -- Float32 little-endian; the HNSW index is rebuilt from these
  );
  CREATE INDEX chunks_article ON chunks (article_id, ord);

  -- Contentless: the text lives in articles.text; the index holds our own analysed tokens so that
  -- question terms, document terms and IDF look-ups all share one analyser.
  CREATE VIRTUAL TABLE chunk_fts USING fts5 (title, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
  CREATE VIRTUAL TABLE chunk_fts_vocab USING fts5vocab (chunk_fts, 'row');
  `,
  // 2: topic watches, their alerts, muted stories, digest schedules and runs, answer snapshots.
  `
  CREATE TABLE watches (
    id INTEGER PRIMARY KEY,
    guild_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    topic TEXT NOT NULL,
    created_by TEXT,
    created_at TEXT NOT NULL,
    alerts_sent INTEGER NOT NULL DEFAULT 0,
    last_alert_at TEXT,
    paused_reason TEXT                     -- set when posting failed for good (e.g. a permission was removed)
  );
  CREATE INDEX watches_guild ON watches (guild_id);

  -- One row per story alerted in a channel: a later copy of the same story never alerts again.
  CREATE TABLE watch_alerts (
    channel_id TEXT NOT NULL,
    story_id INTEGER NOT NULL,             -- coalesce(articles.duplicate_of, articles.id) when alerted
    watch_id INTEGER REFERENCES watches (id) ON DELETE SET NULL,
    guild_id TEXT NOT NULL,
    article_id INTEGER NOT NULL,
    message_id TEXT,                       -- NULL while posting, or when collapsed into a summary line
    collapsed INTEGER NOT NULL DEFAULT 0,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (channel_id, story_id)
  ) WITHOUT ROWID;
  CREATE INDEX watch_alerts_recent ON watch_alerts (channel_id, sent_at);

  CREATE TABLE muted_stories (
    guild_id TEXT NOT NULL,
    story_id INTEGER NOT NULL,
    muted_by TEXT,
    muted_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, story_id)
  ) WITHOUT ROWID;

  CREATE TABLE digest_schedules (
    guild_id TEXT PRIMARY KEY,
    channel_id TEXT NOT NULL,
    time TEXT NOT NULL,                    -- HH:MM in time_zone
    time_zone TEXT NOT NULL,               -- IANA name
    frequency TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly')),
    weekday INTEGER,                       -- 0 = Sunday, weekly only
    next_run_at TEXT NOT NULL,
    last_run_at TEXT,
    paused_reason TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL
  );

  -- When each guild last got a digest: "/digest now" defaults to what is new since then.
  CREATE TABLE digest_runs (
    id INTEGER PRIMARY KEY,
    guild_id TEXT NOT NULL,
    ran_at TEXT NOT NULL,
    since TEXT NOT NULL,
    stories INTEGER NOT NULL
  );
  CREATE INDEX digest_runs_guild ON digest_runs (guild_id, ran_at);

  -- What an answer cited and when, so "Updates since" can show only what came later.
  CREATE TABLE answer_snapshots (
    id INTEGER PRIMARY KEY,
    guild_id TEXT,
    question TEXT NOT NULL,
    answered_at TEXT NOT NULL,
    article_ids TEXT NOT NULL              -- JSON array of the cited article ids
  );
  `,
  // 3: the questions/feedback log (what users asked, what was answered, votes) and per-channel settings.
  `
  CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    guild_id TEXT,                         -- NULL: a DM with the bot
    channel_id TEXT,
    thread_id TEXT,                        -- the thread the answer lives in (asked in one, or answered in a new one)
    via TEXT NOT NULL,                     -- slash | mention | context-menu
    question TEXT NOT NULL,                -- what the user wrote (or the message they asked about)
    answer TEXT NOT NULL,
    grounded INTEGER NOT NULL,
    not_covered_reason TEXT,               -- when the engine says why it could not answer
    asked_at TEXT NOT NULL                 -- ISO time; rows older than the retention setting are deleted
  );
  CREATE INDEX questions_guild_time ON questions (guild_id, asked_at);
  CREATE INDEX questions_time ON questions (asked_at);
  CREATE INDEX questions_thread ON questions (thread_id, id) WHERE thread_id IS NOT NULL;

  -- No foreign key to articles: the log keeps what was cited after an article or source is removed.
  CREATE TABLE question_citations (
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    article_id INTEGER,
    title TEXT NOT NULL,
    url TEXT,
    source TEXT,
    PRIMARY KEY (question_id, n)
  ) WITHOUT ROWID;
  CREATE INDEX question_citations_article ON question_citations (article_id);

  -- One vote per user per answer; voting again replaces it.
  CREATE TABLE feedback (
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    reason TEXT CHECK (reason IN ('wrong', 'outdated', 'missing-source', 'other')),
    comment TEXT,
    voted_at TEXT NOT NULL,
    PRIMARY KEY (question_id, user_id)
  ) WITHOUT ROWID;

  CREATE TABLE channel_settings (
    guild_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    ask_in_threads INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, channel_id)
  ) WITHOUT ROWID;
  `,
  // 4: provenance (who may change an article), previous versions, and the change log other processes follow.
  `
  ALTER TABLE articles ADD COLUMN fetched_from TEXT;     -- where the current text came from: page URL, feed URL or file path
  ALTER TABLE articles ADD COLUMN claimed_url TEXT;      -- the URL a text claimed when it was stored apart from it
  ALTER TABLE articles ADD COLUMN owner_source_id INTEGER REFERENCES sources (id) ON DELETE SET NULL;
  UPDATE articles SET fetched_from = url;
  CREATE INDEX articles_claimed ON articles (claimed_url) WHERE claimed_url IS NOT NULL;

  CREATE TABLE article_versions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    outlet TEXT,
    content_hash TEXT NOT NULL,
    text TEXT NOT NULL,
    fetched_from TEXT,
    stored_at TEXT NOT NULL,               -- when this version was stored
    replaced_at TEXT NOT NULL,             -- when a newer one replaced it
    replaced_by_source_id INTEGER
  );
  CREATE INDEX article_versions_article ON article_versions (article_id);

  -- Every write to chunks or source links, so other processes on the same data dir can apply it to
  -- their in-memory indexes. Pruned to a window; a process that falls behind reloads instead.
  CREATE TABLE change_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    writer TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('chunks', 'scope', 'reload')),
    article_id INTEGER,
    added TEXT,                            -- JSON array of chunk ids
    removed TEXT,
    at TEXT NOT NULL
  );
  `,
];
