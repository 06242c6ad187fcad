import type { DurableRecord } from './schema';

/**
 * Where records wait for the database: a turn queues them and goes on; the drainer
 * (bot/records/drain.ts) writes them when PostgreSQL answers. With REDIS_URL the outbox is
 * a Redis stream every instance drains (bot/storage/redis/outbox.ts), so a record queued on
 * an instance that then dies is written by another.
 */
export interface Outbox {
  /** Queues the records; never waits on the database. */
  push(records: readonly DurableRecord[]): Promise<void>;
  /**
   * Up to `max` pushes to write. What was taken and never acknowledged (the taker died or
   * the write failed) is delivered again later.
   */
  take(max: number): Promise<Delivery[]>;
  /** The records are in the database: never delivered again. */
  ack(deliveries: readonly Delivery[]): Promise<void>;
  /** Pushes queued and not yet acknowledged. */
  depth(): Promise<number>;
  /** Drops the oldest pushes beyond `max`; returns how many went. */
  trim(max: number): Promise<number>;
  close(): Promise<void>;
}

/** The records of one push, under the id the outbox delivers them by. */
export interface Delivery {
  deliveryId: string;
  records: DurableRecord[];
}

/**
 * The outbox of one process without Redis. Records wait here while the database is away
 * (the drainer trims it to OUTBOX_MAX, so memory stays bounded); a crash loses what is
 * waiting, which is why several instances use Redis.
 */
export class MemoryOutbox implements Outbox {
  private readonly queue: Delivery[] = [];
  private next = 0;

  async push(records: readonly DurableRecord[]) {
    if (records.length === 0) return;
    this.queue.push({ deliveryId: String(this.next++), records: [...records] });
  }

  async trim(max: number) {
    const over = Math.max(0, this.queue.length - max);
    this.queue.splice(0, over);
    return over;
  }

  /** Only one drainer runs per process: what it took and did not acknowledge is offered again on the next take. */
  async take(max: number) {
    return this.queue.slice(0, max);
  }

  async ack(deliveries: readonly Delivery[]) {
    const done = new Set(deliveries.map((d) => d.deliveryId));
    let write = 0;
    for (const delivery of this.queue) if (!done.has(delivery.deliveryId)) this.queue[write++] = delivery;
    this.queue.length = write;
  }

  async depth() {
    return this.queue.length;
  }

  async close() {}
}
