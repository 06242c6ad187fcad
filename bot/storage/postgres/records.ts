import type { Pool } from 'pg';
import type { Config } from '../../config';
import { DEV_RECORDS_SECRET } from '../../configRecords';
import type { Logger } from '../../logger';
import { OutboxDrainer } from '../../records/drain';
import { MemoryOutbox, type Outbox } from '../../records/outbox';
import type { RedisClient } from '../redis/connection';
import { RedisOutbox } from '../redis/outbox';
import { PostgresRecords } from './historyRecords';
import { migrate } from './migrate';
import { databaseReady, openPool } from './pool';

/** How often migrations are tried again while the database is away at start-up. */
const MIGRATE_RETRY_MS = 5000;

/**
 * Everything DATABASE_URL brings: the pool, the outbox turns queue records in (Redis when
 * shared, else memory), the drainer that writes them, and the history read back.
 */
export class Records {
  readonly pool: Pool;
  readonly outbox: Outbox;
  readonly history: PostgresRecords;
  readonly drainer: OutboxDrainer;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
    redis?: RedisClient,
  ) {
    this.pool = openPool(config.DATABASE_URL ?? '', logger);
    this.outbox = redis ? new RedisOutbox(redis) : new MemoryOutbox();
    this.history = new PostgresRecords(this.pool, recordsSecretOf(config));
    this.drainer = new OutboxDrainer({ outbox: this.outbox, apply: (records) => this.history.apply(records), logger, max: config.OUTBOX_MAX });
  }

  /**
   * Migrates (unless DB_MIGRATE=off), then drains. A database that is away at start-up
   * delays only this: the bot serves users meanwhile and records wait in the outbox.
   */
  async start(): Promise<void> {
    if (this.config.DB_MIGRATE === 'off') return this.drainer.start();
    try {
      await migrate(this.config.DATABASE_URL ?? '', this.logger);
      this.drainer.start();
    } catch (error) {
      if (this.closed) return;
      this.logger.error({ err: error }, `database migration failed: records wait in the outbox; trying again in ${MIGRATE_RETRY_MS / 1000} s`);
      this.retry = setTimeout(() => void this.start(), MIGRATE_RETRY_MS);
      this.retry.unref();
    }
  }

  ready(): Promise<boolean> {
    return databaseReady(this.pool);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.drainer.stop();
    await this.outbox.close();
    await this.pool.end();
  }
}

/** RECORDS_SECRET, or outside production a fixed development key (config refuses its absence in production). */
export function recordsSecretOf(config: Pick<Config, 'RECORDS_SECRET'>): string {
  return config.RECORDS_SECRET ?? DEV_RECORDS_SECRET;
}
