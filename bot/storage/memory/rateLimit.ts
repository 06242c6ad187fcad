import { ExpiringMap } from '../expiringMap';
import type { RateLimiter } from '../rateLimit';

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
