import type { SqlDb as Db } from './sql.ts';

export type DigestFrequency = 'daily' | 'weekly';

/** When and where a guild's digest is posted. */
export interface DigestSchedule {
  guildId: string;
  channelId: string;
  /** HH:MM in `timeZone`. */
  time: string;
  timeZone: string;
  frequency: DigestFrequency;
  /** 0 = Sunday; weekly schedules only. */
  weekday: number | null;
  nextRunAt: string;
  lastRunAt: string | null;
  pausedReason: string | null;
}

interface ScheduleRow {
  guild_id: string;
  channel_id: string;
  time: string;
  time_zone: string;
  frequency: DigestFrequency;
  weekday: number | null;
  next_run_at: string;
  last_run_at: string | null;
  paused_reason: string | null;
}

function toSchedule(r: ScheduleRow): DigestSchedule {
  return {
    guildId: r.guild_id,
    channelId: r.channel_id,
    time: r.time,
    timeZone: r.time_zone,
    frequency: r.frequency,
    weekday: r.weekday,
    nextRunAt: r.next_run_at,
    lastRunAt: r.last_run_at,
    pausedReason: r.paused_reason,
  };
}

/** What an answer cited and when ("Updates since"). */
export interface AnswerSnapshot {
  id: number;
  guildId: string | null;
  question: string;
  answeredAt: string;
  articleIds: number[];
}

export interface DigestRepo {
  upsertSchedule(s: Omit<DigestSchedule, 'lastRunAt' | 'pausedReason'> & { createdBy: string | null; at: string }): DigestSchedule;
  schedule(guildId: string): DigestSchedule | undefined;
  schedules(): DigestSchedule[];
  removeSchedule(guildId: string): boolean;
  /** Marks a run done and moves the schedule on. */
  ran(guildId: string, ranAt: string, nextRunAt: string): void;
  pauseSchedule(guildId: string, reason: string): void;
  recordRun(guildId: string, ranAt: string, since: string, stories: number): void;
  lastRun(guildId: string): string | undefined;
  saveSnapshot(s: Omit<AnswerSnapshot, 'id'>): number;
  snapshot(id: number): AnswerSnapshot | undefined;
}

/** "Updates since" works on the newest this many answers. */
export const SNAPSHOTS_KEPT = 50_000;

export function createDigestRepo(db: Db): DigestRepo {
  const s = {
    upsert: db.prepare(
      `INSERT INTO digest_schedules (guild_id, channel_id, time, time_zone, frequency, weekday, next_run_at, created_by, created_at)
       VALUES (@guildId, @channelId, @time, @timeZone, @frequency, @weekday, @nextRunAt, @createdBy, @at)
       ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id, time = excluded.time, time_zone = excluded.time_zone,
         frequency = excluded.frequency, weekday = excluded.weekday, next_run_at = excluded.next_run_at, paused_reason = NULL`,
    ),
    get: db.prepare('SELECT * FROM digest_schedules WHERE guild_id = ?'),
    all: db.prepare('SELECT * FROM digest_schedules ORDER BY guild_id'),
    remove: db.prepare('DELETE FROM digest_schedules WHERE guild_id = ?'),
    ran: db.prepare('UPDATE digest_schedules SET last_run_at = ?, next_run_at = ? WHERE guild_id = ?'),
    pause: db.prepare('UPDATE digest_schedules SET paused_reason = ? WHERE guild_id = ?'),
    run: db.prepare('INSERT INTO digest_runs (guild_id, ran_at, since, stories) VALUES (?, ?, ?, ?)'),
    lastRun: db.prepare('SELECT max(ran_at) AS t FROM digest_runs WHERE guild_id = ?'),
    saveSnap: db.prepare('INSERT INTO answer_snapshots (guild_id, question, answered_at, article_ids) VALUES (?, ?, ?, ?) RETURNING id').pluck(),
    // Only the newest snapshots are kept (by rowid, so it costs an index range delete); older buttons say "ask again".
    pruneSnaps: db.prepare('DELETE FROM answer_snapshots WHERE id <= ?'),
    snap: db.prepare('SELECT * FROM answer_snapshots WHERE id = ?'),
  };
  return {
    upsertSchedule(x) {
      s.upsert.run(x);
      return toSchedule(s.get.get(x.guildId) as ScheduleRow);
    },
    schedule(guildId) {
      const r = s.get.get(guildId) as ScheduleRow | undefined;
      return r && toSchedule(r);
    },
    schedules() {
      return (s.all.all() as ScheduleRow[]).map(toSchedule);
    },
    removeSchedule(guildId) {
      return s.remove.run(guildId).changes > 0;
    },
    ran(guildId, ranAt, nextRunAt) {
      s.ran.run(ranAt, nextRunAt, guildId);
    },
    pauseSchedule(guildId, reason) {
      s.pause.run(reason, guildId);
    },
    recordRun(guildId, ranAt, since, stories) {
      s.run.run(guildId, ranAt, since, stories);
    },
    lastRun(guildId) {
      return (s.lastRun.get(guildId) as { t: string | null }).t ?? undefined;
    },
    saveSnapshot(x) {
      const id = s.saveSnap.get(x.guildId, x.question, x.answeredAt, JSON.stringify(x.articleIds)) as number;
      if (id % 1000 === 0 && id > SNAPSHOTS_KEPT) s.pruneSnaps.run(id - SNAPSHOTS_KEPT);
      return id;
    },
    snapshot(id) {
      const r = s.snap.get(id) as { id: number; guild_id: string | null; question: string; answered_at: string; article_ids: string } | undefined;
      return r && { id: r.id, guildId: r.guild_id, question: r.question, answeredAt: r.answered_at, articleIds: JSON.parse(r.article_ids) as number[] };
    },
  };
}
