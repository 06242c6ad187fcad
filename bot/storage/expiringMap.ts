/**
 * A Map whose entries go after a time: the memory-mode stores use it so that what anonymous
 * clients leave behind (conversations, counters, references) does not pile up. No timer per
 * key: an expired entry is dropped when it is read, and every `sweepEveryMs` the next write
 * walks the map once and drops the rest — so memory follows the live entries only.
 */
export class ExpiringMap<K, V> {
  private readonly entries = new Map<K, { value: V; until: number }>();
  private lastSweep: number;

  constructor(
    private readonly sweepEveryMs: number,
    private readonly now: () => number = Date.now,
    /** Told about every entry dropped for its age (not about `delete`). */
    private readonly onExpire?: (key: K, value: V) => void,
  ) {
    this.lastSweep = now();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Keys held, expired ones not yet swept included. */
  keys(): IterableIterator<K> {
    return this.entries.keys();
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until > this.now()) return entry.value;
    this.drop(key, entry.value);
    return undefined;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  /** Sets the value, kept `ttlMs` from now (`reset`), or at least that long when it was live (`extend`). */
  set(key: K, value: V, ttlMs: number, mode: 'extend' | 'reset' = 'reset'): this {
    this.sweepIfDue();
    const until = this.now() + ttlMs;
    const live = mode === 'extend' && this.get(key) !== undefined ? this.entries.get(key) : undefined;
    this.entries.set(key, { value, until: live ? Math.max(live.until, until) : until });
    return this;
  }

  /**
   * Keeps a live entry at least `ttlMs` from now (`extend`), or exactly that (`reset`).
   * False when there is no live entry.
   */
  touch(key: K, ttlMs: number, mode: 'extend' | 'reset'): boolean {
    const value = this.get(key);
    const entry = this.entries.get(key);
    if (value === undefined || !entry) return false;
    const until = this.now() + ttlMs;
    entry.until = mode === 'reset' ? until : Math.max(entry.until, until);
    return true;
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  private drop(key: K, value: V): void {
    this.entries.delete(key);
    this.onExpire?.(key, value);
  }

  private sweepIfDue(): void {
    const now = this.now();
    if (now - this.lastSweep < this.sweepEveryMs) return;
    this.lastSweep = now;
    for (const [key, entry] of this.entries) if (entry.until <= now) this.drop(key, entry.value);
  }
}

/** How often the stores sweep: often enough for the shortest lifetime, at most once a minute. */
export const sweepInterval = (shortestTtlMs: number) => Math.min(60_000, Math.max(1, shortestTtlMs));
