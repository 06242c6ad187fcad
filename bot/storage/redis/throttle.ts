import type { Throttle } from '../throttle';
import type { RedisClient } from './connection';
import { keys } from './keys';

/** Shared by the instances: SET NX PX opens the window on whichever asks first, and Redis ends it. */
export class RedisThrottle implements Throttle {
  constructor(private readonly redis: RedisClient) {}

  async pass(key: string, windowMs: number): Promise<boolean> {
    return (await this.redis.set(keys.shared(`throttle:${key}`), '1', 'PX', windowMs, 'NX')) === 'OK';
  }
}
