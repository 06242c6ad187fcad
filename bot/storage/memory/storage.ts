import type { Storage, StoreItems } from 'botbuilder';
import { ExpiringMap, sweepInterval } from '../expiringMap';
import { StaleETagError } from '../staleETag';
import { ttlOfState, type StateTtl } from '../stateTtl';

/** One stored item as Redis keeps it: the JSON text and its eTag, not a live object graph. */
interface Stored {
  eTag: string;
  json: string;
}

/**
 * botbuilder `Storage` in this process's memory, kept the way RedisStorage keeps it: each
 * item one JSON string with its eTag (a compact string instead of a graph of small objects,
 * and every read a fresh copy that a caller cannot use to change what is stored), optimistic
 * concurrency on the eTag, and the lifetimes of bot/storage/stateTtl.ts — an item not written
 * for its lifetime (short until the user has written) is gone, key and all.
 */
export class ExpiringMemoryStorage implements Storage {
  private readonly items: ExpiringMap<string, Stored>;
  private nextETag = 1;

  constructor(
    private readonly ttl: StateTtl,
    now: () => number = Date.now,
  ) {
    this.items = new ExpiringMap(sweepInterval(ttl.anonymousS * 1000), now);
  }

  /** Items held, expired ones not yet swept included (for tests and footprint checks). */
  get size(): number {
    return this.items.size;
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    const found: StoreItems = {};
    for (const key of keys) {
      const item = this.items.get(key);
      if (item) found[key] = { ...(JSON.parse(item.json) as object), eTag: item.eTag };
    }
    return found;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    // All or nothing, as one Redis script per item would be on one instance: check every eTag first.
    const entries = Object.entries(changes).map(([key, item]) => {
      const { eTag, ...value } = (item ?? {}) as { eTag?: unknown };
      const current = this.items.get(key);
      if (typeof eTag === 'string' && eTag !== '' && eTag !== '*' && current && current.eTag !== eTag) throw new StaleETagError(`storage: eTag conflict writing "${key}"`);
      return [key, value] as const;
    });
    for (const [key, value] of entries) this.items.set(key, { eTag: String(this.nextETag++), json: JSON.stringify(value) }, ttlOfState(this.ttl, value) * 1000);
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    for (const key of keys) this.items.delete(key);
  }
}
