import type { RedisClient } from './redis/connection';
import { keys } from './redis/keys';
import { withScripts } from './redis/scripts';

/** Counts hits per key in fixed windows: how many this one is, in the current window. */
export interface RateLimiter {
  hit(key: string): Promise<number>;
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; until: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async hit(key: string): Promise<number> {
    const now = this.now();
    const current = this.windows.get(key);
    const window = current && current.until > now ? current : { count: 0, until: now + this.windowMs };
    window.count++;
    this.windows.set(key, window);
    // Forget finished windows now and then, so idle users cost nothing.
    if (this.windows.size > 10_000) for (const [k, w] of this.windows) if (w.until <= now) this.windows.delete(k);
    return window.count;
  }
}

/** The same on Redis, so a user's messages count together on every instance. */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly windowMs: number,
  ) {
    withScripts(redis);
  }

  async hit(key: string): Promise<number> {
    return this.redis.kefuCount(keys.conversation(`rate:${key}`, 'rate'), this.windowMs);
  }
}
