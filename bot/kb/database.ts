import type { Pool } from 'pg';
import type { Config } from '../config';
import { createLogger } from '../logger';
import { PostgresKbSignalLog } from '../storage/postgres/kbSignalLog';
import { migrate } from '../storage/postgres/migrate';
import { PostgresVersionStore } from '../storage/postgres/kbVersionStore';
import { isDatabaseOutage, openPool } from '../storage/postgres/pool';
import { MemoryOutbox } from '../records/outbox';
import type { StoredKbSignal } from '../storage/kbSignalLog';
import type { VersionStore } from '../../knowledge/versions/store';

export class DatabaseUnreachableError extends Error {
  override readonly name = 'DatabaseUnreachableError';
}

/**
 * The `kb` commands' way to PostgreSQL: a lead's action, so it waits on the database, and a
 * database that is away is said in one sentence (nothing published), not a stack trace.
 * Migrations run first, as at the bot's start, unless DB_MIGRATE=off.
 */
async function withDatabase<T>(config: Config, databaseUrl: string, use: (pool: Pool) => Promise<T>): Promise<T> {
  const logger = createLogger('silent');
  const pool = openPool(databaseUrl, logger, { max: 2 });
  try {
    if (config.DB_MIGRATE !== 'off') await migrate(databaseUrl, logger);
    return await use(pool);
  } catch (error) {
    if (isDatabaseOutage(error) || isDatabaseOutage((error as { cause?: unknown }).cause)) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new DatabaseUnreachableError(`PostgreSQL is not reachable (DATABASE_URL): nothing was published or read; try again when it answers. (${reason})`);
    }
    throw error;
  } finally {
    await pool.end();
  }
}

/** The versions the running bots follow when DATABASE_URL is set (`kb publish|rollback|versions|export`). */
export function withDatabaseVersions<T>(config: Config, databaseUrl: string, use: (store: VersionStore) => Promise<T>, previous?: VersionStore): Promise<T> {
  return withDatabase(config, databaseUrl, async (pool) => {
    const store = new PostgresVersionStore(pool, databaseUrl, createLogger('silent'), config.KB_VERSIONS_KEPT, previous);
    try {
      return await use(store);
    } finally {
      await store.close();
    }
  });
}

/** The signals the bots keep when DATABASE_URL is set (`kb unanswered`): read only, so its outbox stays empty. */
export function databaseSignals(config: Config, databaseUrl: string): Promise<StoredKbSignal[]> {
  return withDatabase(config, databaseUrl, (pool) => new PostgresKbSignalLog(new MemoryOutbox(), pool, config.KB_SIGNALS_KEEP).list());
}
