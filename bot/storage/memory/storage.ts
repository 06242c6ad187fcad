import { MemoryStorage, type Storage, type StoreItems } from 'botbuilder';
import { ExpiringMap, sweepInterval } from '../expiringMap';
import { ttlOfState, type StateTtl } from '../stateTtl';

/**
 * botbuilder's MemoryStorage with the lifetimes Redis gives conversation state: an item not
 * written for its lifetime (short until the user has written) is gone, so memory mode does
 * not keep every conversation that ever started.
 */
export class ExpiringMemoryStorage implements Storage {
  private readonly inner = new MemoryStorage();
  private readonly lifetimes: ExpiringMap<string, true>;

  constructor(
    private readonly ttl: StateTtl,
    now: () => number = Date.now,
  ) {
    this.lifetimes = new ExpiringMap(sweepInterval(ttl.anonymousS * 1000), now, (key) => void this.inner.delete([key]));
  }

  async read(keys: string[]): Promise<StoreItems> {
    const live = keys.filter((key) => this.lifetimes.has(key));
    return live.length > 0 ? this.inner.read(live) : {};
  }

  async write(changes: StoreItems): Promise<void> {
    await this.inner.write(changes);
    for (const [key, item] of Object.entries(changes)) this.lifetimes.set(key, true, ttlOfState(this.ttl, item) * 1000);
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.lifetimes.delete(key);
    await this.inner.delete(keys);
  }
}
