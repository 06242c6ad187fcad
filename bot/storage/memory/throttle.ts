import { ExpiringMap } from '../expiringMap';
import type { Throttle } from '../throttle';

/** One process: the look and the write with no await between them, so calls at once let one through. */
export class MemoryThrottle implements Throttle {
  private readonly windows: ExpiringMap<string, true>;

  constructor(now: () => number = Date.now) {
    this.windows = new ExpiringMap(10_000, now);
  }

  async pass(key: string, windowMs: number): Promise<boolean> {
    if (this.windows.has(key)) return false;
    this.windows.set(key, true, windowMs);
    return true;
  }
}
