import type { RedisClient } from './redis/connection';
import { ExpiringMap } from './expiringMap';
import { keys } from './redis/keys';
import { withScripts } from './redis/scripts';

/**
 * Counts hits per key in fixed windows: how many this one is, in the current window. The one
 * counter every limit uses (messages, conversations, handoffs, SMS …), each with its window.
 */
export interface RateLimiter {
  hit(key: string, windowMs: number): Promise<number>;
}

/** Windows end by themselves: a finished one is dropped when read or swept, never kept. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows: ExpiringMap<string, { count: number }>;

  constructor(now: () => number = Date.now) {
    this.windows = new ExpiringMap(10_000, now);
  }

  async hit(key: string, windowMs: number): Promise<number> {
    const current = this.windows.get(key);
    if (current) return ++current.count;
    this.windows.set(key, { count: 1 }, windowMs);
    return 1;
  }
}

/** The same on Redis, so hits count together on every instance (INCR and the window's expiry in one script). */
export class RedisRateLimiter implements RateLimiter {
  constructor(private readonly redis: RedisClient) {
    withScripts(redis);
  }

  async hit(key: string, windowMs: number): Promise<number> {
    return this.redis.kefuCount(keys.conversation(`rate:${key}`, 'rate'), windowMs);
  }
}
