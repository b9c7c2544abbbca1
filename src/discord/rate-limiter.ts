export type RateDecision = { ok: true } | { ok: false; scope: 'user' | 'guild'; retryAfterMs: number };

export interface RateLimiter {
  /** Records one request by `userId` (in `guildId`, null in DMs) unless a limit is already reached. */
  take(userId: string, guildId: string | null): RateDecision;
}

/** Sliding one-minute windows per user and per guild; a refused request is not counted. */
export function createRateLimiter(opts: { userPerMin: number; guildPerMin: number; windowMs?: number; now?: () => number }): RateLimiter {
  const windowMs = opts.windowMs ?? 60_000; // 1 min
  const now = opts.now ?? Date.now;
  const hits = new Map<string, number[]>();
  let lastSweep = now();

  function recent(key: string, t: number): number[] {
    const list = (hits.get(key) ?? []).filter((x) => x > t - windowMs);
    if (list.length) hits.set(key, list);
    else hits.delete(key);
    return list;
  }

  function sweep(t: number): void {
    if (t - lastSweep < windowMs) return;
    lastSweep = t;
    for (const key of [...hits.keys()]) recent(key, t);
  }

  return {
    take(userId, guildId) {
      const t = now();
      sweep(t);
      const userKey = `u:${userId}`;
      const guildKey = guildId ? `g:${guildId}` : null;
      const user = recent(userKey, t);
      if (user.length >= opts.userPerMin) return { ok: false, scope: 'user', retryAfterMs: user[0]! + windowMs - t };
      const guild = guildKey ? recent(guildKey, t) : [];
      if (guildKey && guild.length >= opts.guildPerMin) {
        return { ok: false, scope: 'guild', retryAfterMs: guild[0]! + windowMs - t };
      }
      hits.set(userKey, [...user, t]);
      if (guildKey) hits.set(guildKey, [...guild, t]);
      return { ok: true };
    },
  };
}

/** The friendly refusal shown to the user. */
export function rateLimitMessage(d: Extract<RateDecision, { ok: false }>): string {
  const s = Math.max(1, Math.ceil(d.retryAfterMs / 1000));
  return d.scope === 'user'
    ? `You're asking faster than Newsdesk can keep up — please wait ${s} s and try again.`
    : `This server is asking a lot of questions right now — please wait ${s} s and try again.`;
}
