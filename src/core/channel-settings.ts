import type { ChannelSettings, ChannelSettingsRepo } from '../db/channel-settings-repo.ts';

export type { ChannelSettings };

/** Per-channel choices of server admins (today: answer /ask in a new thread per question). */
export interface ChannelSettingsService {
  get(guildId: string, channelId: string): ChannelSettings;
  setAskInThreads(guildId: string, channelId: string, on: boolean): ChannelSettings;
  /** Channels of a guild that answer /ask in threads. */
  list(guildId: string): ChannelSettings[];
}

export function createChannelSettingsService(repo: ChannelSettingsRepo): ChannelSettingsService {
  return { get: repo.get, setAskInThreads: repo.setAskInThreads, list: repo.list };
}
