import type { SqlDb as Db } from './sql.ts';

export interface ChannelSettings {
  guildId: string;
  channelId: string;
  /** Answer each /ask in a new thread started on the reply. */
  askInThreads: boolean;
}

/** Table access for `channel_settings`: per-channel choices a server admin makes. */
export interface ChannelSettingsRepo {
  get(guildId: string, channelId: string): ChannelSettings;
  setAskInThreads(guildId: string, channelId: string, on: boolean): ChannelSettings;
  /** Channels of a guild with a non-default setting. */
  list(guildId: string): ChannelSettings[];
}

export function createChannelSettingsRepo(db: Db): ChannelSettingsRepo {
  const s = {
    get: db.prepare('SELECT ask_in_threads FROM channel_settings WHERE guild_id = ? AND channel_id = ?'),
    set: db.prepare(
      `INSERT INTO channel_settings (guild_id, channel_id, ask_in_threads, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (guild_id, channel_id) DO UPDATE SET ask_in_threads = excluded.ask_in_threads, updated_at = excluded.updated_at`,
    ),
    list: db.prepare('SELECT channel_id, ask_in_threads FROM channel_settings WHERE guild_id = ? AND ask_in_threads = 1 ORDER BY channel_id'),
  };
  const repo: ChannelSettingsRepo = {
    get(guildId, channelId) {
      const r = s.get.get(guildId, channelId) as { ask_in_threads: number } | undefined;
      return { guildId, channelId, askInThreads: r?.ask_in_threads === 1 };
    },
    setAskInThreads(guildId, channelId, on) {
      s.set.run(guildId, channelId, on ? 1 : 0, new Date().toISOString());
      return repo.get(guildId, channelId);
    },
    list(guildId) {
      return (s.list.all(guildId) as Array<{ channel_id: string; ask_in_threads: number }>).map((r) => ({
        guildId,
        channelId: r.channel_id,
        askInThreads: r.ask_in_threads === 1,
      }));
    },
  };
  return repo;
}
