import crypto from 'node:crypto';
import type { Delivery, Outbox } from '../../records/outbox';
import { durableRecordSchema, type DurableRecord } from '../../records/schema';
import type { RedisClient } from './connection';
import { keys } from './keys';

const GROUP = 'writers';
/** A push taken by an instance that has not acknowledged it for this long is offered to the others (it died, or its writes keep failing). */
export const RECLAIM_IDLE_MS = 30_000;

type StreamEntries = [id: string, fields: string[]][];

/**
 * The outbox as one Redis stream read by a consumer group: every instance pushes to it and
 * drains it, each push is delivered to one instance at a time, and a push an instance took
 * and never acknowledged goes to another after `reclaimIdleMs`. Acknowledged entries are
 * deleted, so the stream holds only what the database has not got yet (the drainer trims it
 * to OUTBOX_MAX).
 */
export class RedisOutbox implements Outbox {
  private readonly key = keys.shared('outbox');
  private readonly consumer = crypto.randomUUID();
  private groupReady = false;
  /** Delivered to this instance and not acknowledged yet. */
  private readonly outstanding = new Set<string>();
  private reclaimedAt = 0;
  /** Entries that could not be read and were dropped. */
  discarded = 0;

  constructor(
    private readonly redis: RedisClient,
    private readonly reclaimIdleMs: number = RECLAIM_IDLE_MS,
  ) {}

  async push(records: readonly DurableRecord[]) {
    if (records.length === 0) return;
    await this.redis.xadd(this.key, '*', 'r', JSON.stringify(records));
  }

  async trim(max: number) {
    return this.redis.xtrim(this.key, 'MAXLEN', max);
  }

  async take(max: number): Promise<Delivery[]> {
    await this.ensureGroup();
    try {
      // First what this instance took and did not acknowledge (a write that failed), then, now
      // and then, others' stale ones, then new ones: one round trip per batch when all is well.
      if (this.outstanding.size > 0) {
        const own = await this.read(max, '0');
        if (own.length > 0) return own;
        this.outstanding.clear();
      }
      if (Date.now() - this.reclaimedAt >= this.reclaimIdleMs / 3) {
        this.reclaimedAt = Date.now();
        const stale = await this.reclaim(max);
        if (stale.length > 0) return stale;
      }
      return await this.read(max, '>');
    } catch (error) {
      // Redis was flushed or failed over: the group is gone and is made again on the next take.
      if (error instanceof Error && error.message.includes('NOGROUP')) this.groupReady = false;
      throw error;
    }
  }

  async ack(deliveries: readonly Delivery[]) {
    if (deliveries.length === 0) return;
    const ids = deliveries.map((d) => d.deliveryId);
    for (const id of ids) this.outstanding.delete(id);
    await this.redis.multi().xack(this.key, GROUP, ...ids).xdel(this.key, ...ids).exec();
  }

  async depth() {
    return this.redis.xlen(this.key);
  }

  async close() {}

  private async ensureGroup() {
    if (this.groupReady) return;
    try {
      await this.redis.xgroup('CREATE', this.key, GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error && error.message.includes('BUSYGROUP'))) throw error;
    }
    this.groupReady = true;
  }

  private async read(max: number, from: '0' | '>'): Promise<Delivery[]> {
    const answer = (await this.redis.xreadgroup('GROUP', GROUP, this.consumer, 'COUNT', max, 'STREAMS', this.key, from)) as [string, StreamEntries][] | null;
    return this.deliveries(answer?.[0]?.[1] ?? []);
  }

  private async reclaim(max: number): Promise<Delivery[]> {
    const answer = (await this.redis.xautoclaim(this.key, GROUP, this.consumer, this.reclaimIdleMs, '0', 'COUNT', max)) as [string, StreamEntries, ...unknown[]];
    return this.deliveries(answer[1] ?? []);
  }

  /**
   * Entries deleted while pending come back with no fields, and an entry no version of Kefu
   * wrote cannot be read: both are acknowledged (and counted) so they never block the rest.
   */
  private async deliveries(entries: StreamEntries): Promise<Delivery[]> {
    const found: Delivery[] = [];
    const unreadable: Delivery[] = [];
    for (const [id, fields] of entries) {
      const records = recordsOf(fields?.[1]);
      if (records) {
        found.push({ deliveryId: id, records });
        this.outstanding.add(id);
      } else unreadable.push({ deliveryId: id, records: [] });
    }
    this.discarded += unreadable.length;
    await this.ack(unreadable);
    return found;
  }
}

function recordsOf(json: string | undefined): DurableRecord[] | undefined {
  if (!json) return undefined;
  try {
    const parsed = durableRecordSchema.array().safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
