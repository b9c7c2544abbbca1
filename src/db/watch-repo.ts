import type { SqlDb as Db } from './sql.ts';

/** A topic watch: alerts for new articles in a guild's sources that match `topic`, posted in `channelId`. */
export interface Watch {
  id: number;
  guildId: string;
  channelId: string;
  topic: string;
  createdBy: string | null;
  createdAt: string;
  alertsSent: number;
  lastAlertAt: string | null;
  pausedReason: string | null;
}

interface WatchRow {
  id: number;
  guild_id: string;
  channel_id: string;
  topic: string;
  created_by: string | null;
  created_at: string;
  alerts_sent: number;
  last_alert_at: string | null;
  paused_reason: string | null;
}

function toWatch(r: WatchRow): Watch {
  return {
    id: r.id,
    guildId: r.guild_id,
    channelId: r.channel_id,
    topic: r.topic,
    createdBy: r.created_by,
    createdAt: r.created_at,
    alertsSent: r.alerts_sent,
    lastAlertAt: r.last_alert_at,
    pausedReason: r.paused_reason,
  };
}

/** A story claimed for an alert in a channel (posted, or folded into an "and N more" line). */
export interface AlertClaim {
  channelId: string;
  storyId: number;
  watchId: number;
  guildId: string;
  articleId: number;
  at: string;
}

export interface WatchRepo {
  insert(w: { guildId: string; channelId: string; topic: string; createdBy: string | null; at: string }): Watch;
  get(id: number): Watch | undefined;
  /** Watches of one guild, or of every guild (undefined). */
  list(guildId?: string): Watch[];
  remove(id: number): void;
  pause(id: number, reason: string | null): void;
  /** Claims a story for a channel; false when it was already alerted there (one alert per story). */
  claim(c: AlertClaim, collapsed: boolean): boolean;
  /** Gives a claim back (posting failed), so a later copy of the story may alert. */
  unclaim(channelId: string, storyId: number): void;
  /** Records the posted message of a claim and counts it against the watch. */
  sent(channelId: string, storyId: number, messageId: string | null, at: string): void;
  /** Stories alerted (not collapsed) in a channel since `sinceIso`: the per-hour cap counts these. */
  alertsSince(channelId: string, sinceIso: string): number;
  alertOfMessage(messageId: string): { watchId: number | null; storyId: number; guildId: string } | undefined;
  mute(guildId: string, storyId: number, by: string | null, at: string): void;
  isMuted(guildId: string, storyId: number): boolean;
}

/** Table access for watches, their alerts and muted stories; snake_case ↔ camelCase only here. */
export function createWatchRepo(db: Db): WatchRepo {
  const s = {
    insert: db.prepare('INSERT INTO watches (guild_id, channel_id, topic, created_by, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id').pluck(),
    get: db.prepare('SELECT * FROM watches WHERE id = ?'),
    listGuild: db.prepare('SELECT * FROM watches WHERE guild_id = ? ORDER BY id'),
    listAll: db.prepare('SELECT * FROM watches ORDER BY id'),
    remove: db.prepare('DELETE FROM watches WHERE id = ?'),
    pause: db.prepare('UPDATE watches SET paused_reason = ? WHERE id = ?'),
    claim: db.prepare(
      `INSERT INTO watch_alerts (channel_id, story_id, watch_id, guild_id, article_id, collapsed, sent_at)
       VALUES (@channelId, @storyId, @watchId, @guildId, @articleId, @collapsed, @at) ON CONFLICT DO NOTHING`,
    ),
    unclaim: db.prepare('DELETE FROM watch_alerts WHERE channel_id = ? AND story_id = ?'),
    sent: db.prepare('UPDATE watch_alerts SET message_id = ? WHERE channel_id = ? AND story_id = ?'),
    count: db.prepare(
      `UPDATE watches SET alerts_sent = alerts_sent + 1, last_alert_at = ?
       WHERE id = (SELECT watch_id FROM watch_alerts WHERE channel_id = ? AND story_id = ?)`,
    ),
    since: db.prepare('SELECT count(*) AS n FROM watch_alerts WHERE channel_id = ? AND sent_at >= ? AND collapsed = 0'),
    ofMessage: db.prepare('SELECT watch_id, story_id, guild_id FROM watch_alerts WHERE message_id = ? ORDER BY sent_at LIMIT 1'),
    mute: db.prepare('INSERT INTO muted_stories (guild_id, story_id, muted_by, muted_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    muted: db.prepare('SELECT 1 FROM muted_stories WHERE guild_id = ? AND story_id = ?'),
  };
  return {
    insert(w) {
      const id = s.insert.get(w.guildId, w.channelId, w.topic, w.createdBy, w.at) as number;
      return toWatch(s.get.get(id) as WatchRow);
    },
    get(id) {
      const r = s.get.get(id) as WatchRow | undefined;
      return r && toWatch(r);
    },
    list(guildId) {
      const rows = guildId === undefined ? s.listAll.all() : s.listGuild.all(guildId);
      return (rows as WatchRow[]).map(toWatch);
    },
    remove(id) {
      s.remove.run(id);
    },
    pause(id, reason) {
      s.pause.run(reason, id);
    },
    claim(c, collapsed) {
      return s.claim.run({ ...c, collapsed: collapsed ? 1 : 0 }).changes === 1;
    },
    unclaim(channelId, storyId) {
      s.unclaim.run(channelId, storyId);
    },
    sent(channelId, storyId, messageId, at) {
      db.transaction(() => {
        s.sent.run(messageId, channelId, storyId);
        s.count.run(at, channelId, storyId);
      });
    },
    alertsSince(channelId, sinceIso) {
      return (s.since.get(channelId, sinceIso) as { n: number }).n;
    },
    alertOfMessage(messageId) {
      const r = s.ofMessage.get(messageId) as { watch_id: number | null; story_id: number; guild_id: string } | undefined;
      return r && { watchId: r.watch_id, storyId: r.story_id, guildId: r.guild_id };
    },
    mute(guildId, storyId, by, at) {
      s.mute.run(guildId, storyId, by, at);
    },
    isMuted(guildId, storyId) {
      return s.muted.get(guildId, storyId) !== undefined;
    },
  };
}
