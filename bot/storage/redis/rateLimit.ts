import type { RateLimiter } from '../rateLimit';
import type { RedisClient } from './connection';
import { keys } from './keys';
import { withScripts } from './scripts';

/** Fixed windows on Redis, so hits count together on every instance (INCR and the window's expiry in one script). */
export class RedisRateLimiter implements RateLimiter {
  constructor(private readonly redis: RedisClient) {
    withScripts(redis);
  }

  async hit(key: string, windowMs: number): Promise<number> {
    return this.redis.kefuCount(keys.conversation(`rate:${key}`, 'rate'), windowMs);
  }
}
