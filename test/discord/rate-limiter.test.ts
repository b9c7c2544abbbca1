import { describe, expect, it } from 'vitest';
import { createRateLimiter, rateLimitMessage } from '../../src/discord/rate-limiter.ts';

describe('createRateLimiter', () => {
  it('refuses a user past the per-minute limit and lets them back after the window', () => {
    let t = 0;
    const limiter = createRateLimiter({ userPerMin: 2, guildPerMin: 100, now: () => t });
    expect(limiter.take('u', 'g').ok).toBe(true);
    expect(limiter.take('u', 'g').ok).toBe(true);
    const refused = limiter.take('u', 'g');
    expect(refused).toMatchObject({ ok: false, scope: 'user' });
    if (!refused.ok) expect(rateLimitMessage(refused)).toMatch(/wait 60 s/);
    expect(limiter.take('other', 'g').ok).toBe(true);
    t = 60_001;
    expect(limiter.take('u', 'g').ok).toBe(true);
  });

  it('refuses a guild past its limit whoever asks, but not DMs', () => {
    const limiter = createRateLimiter({ userPerMin: 10, guildPerMin: 2, now: () => 0 });
    expect(limiter.take('a', 'g').ok).toBe(true);
    expect(limiter.take('b', 'g').ok).toBe(true);
    expect(limiter.take('c', 'g')).toMatchObject({ ok: false, scope: 'guild' });
    expect(limiter.take('c', null).ok).toBe(true);
  });
});
