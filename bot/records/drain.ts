import type { Logger } from '../logger';
import type { Outbox } from './outbox';
import type { DurableRecord } from './schema';

export interface DrainOptions {
  outbox: Outbox;
  /** Writes the records once each; a record already written is skipped. */
  apply(records: readonly DurableRecord[]): Promise<unknown>;
  logger: Logger;
  /** Pushes taken per write. */
  batch?: number;
  /** How long to wait when the outbox is empty. */
  idleMs?: number;
  /** The longest wait between attempts while the database is away. */
  maxBackoffMs?: number;
  /** Pushes the outbox may hold (OUTBOX_MAX): while writes fail, the oldest beyond it are dropped, and logged. */
  max?: number;
}

/**
 * Writes the outbox to the database, one batch at a time, until stopped. While the database
 * is away it retries with a growing pause (logging the outage once) and the records wait in
 * the outbox; turns never wait on any of it.
 */
export class OutboxDrainer {
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private failing = false;
  private reached = false;
  /** Records written since start (for tests and the benchmark). */
  written = 0;

  constructor(private readonly options: DrainOptions) {}

  /** Whether the last attempt reached the database (false before the first one and while it is away). */
  get writing(): boolean {
    return this.running && this.reached;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Writes what is queued now, then stops (on shutdown: nothing waits longer than `deadlineMs`). */
  async stop(deadlineMs = 5000): Promise<void> {
    this.running = false;
    this.wake?.();
    await Promise.race([this.loop, new Promise((resolve) => setTimeout(resolve, deadlineMs).unref())]);
    if (this.timer) clearTimeout(this.timer);
  }

  /** Once: writes one batch; true when it wrote something. */
  async drainOnce(): Promise<boolean> {
    const { outbox, batch = 250 } = this.options;
    const deliveries = await outbox.take(batch);
    if (deliveries.length === 0) return false;
    await this.options.apply(deliveries.flatMap((d) => d.records));
    await outbox.ack(deliveries);
    this.written += deliveries.reduce((sum, d) => sum + d.records.length, 0);
    return true;
  }

  private async run(): Promise<void> {
    const { idleMs = 200, maxBackoffMs = 10_000, logger } = this.options;
    let backoff = idleMs;
    while (this.running) {
      let wrote = false;
      try {
        wrote = await this.drainOnce();
        if (this.failing) logger.info('records are written to the database again');
        this.failing = false;
        this.reached = true;
        backoff = idleMs;
      } catch (error) {
        if (!this.failing) logger.error({ err: error }, 'records wait in the outbox: the database or the outbox is unavailable');
        await this.bound();
        this.failing = true;
        this.reached = false;
        backoff = Math.min(backoff * 2, maxBackoffMs);
      }
      if (!wrote || this.failing) await this.pause(this.failing ? backoff : idleMs);
    }
    // Shutting down: what the last turns queued (stop() waits for this at most its deadline).
    while (await this.drainOnce().catch(() => false));
  }

  /** Only while writes fail can the outbox grow: that is when it is held to `max`. */
  private async bound(): Promise<void> {
    const { outbox, max, logger } = this.options;
    if (max === undefined) return;
    const dropped = await outbox.trim(max).catch(() => 0);
    if (dropped > 0) logger.error({ dropped, max }, 'outbox full: the oldest writes waiting for the database were dropped');
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }
}
