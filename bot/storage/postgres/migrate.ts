import path from 'node:path';
import { Client } from 'pg';
import { runner } from 'node-pg-migrate';
import type { Logger } from '../../logger';
import { PROJECT_ROOT } from '../../projectRoot';

/** The SQL migrations, read from the source tree (they are not compiled). */
export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'bot', 'storage', 'postgres', 'migrations');

/** The advisory lock instances migrate under (any fixed number; this one spells "kefu"). */
const MIGRATION_LOCK = 0x6b656675;

/**
 * Brings the database's tables up to this version. Instances starting together wait for one
 * another on an advisory lock (node-pg-migrate's own lock would make all but one fail), so
 * the first migrates and the rest find nothing to do; every migration is additive, so an
 * older instance still running beside a newer one keeps working.
 */
export async function migrate(databaseUrl: string, logger: Logger): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000, application_name: 'kefu-migrate' });
  // A connection lost mid-way is reported by the query that fails, not as an unhandled event.
  client.on('error', (error) => logger.warn({ err: error }, 'migration connection lost'));
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await runner({
      dbClient: client,
      noLock: true,
      dir: MIGRATIONS_DIR,
      direction: 'up',
      migrationsTable: 'kefu_migrations',
      count: Infinity,
      checkOrder: true,
      log: (message: string) => logger.debug({ migration: message }, 'db migrate'),
    });
    const names = applied.map((migration) => migration.name);
    if (names.length > 0) logger.info({ migrations: names }, 'database migrated');
    return names;
  } finally {
    // Ending the session releases the lock.
    await client.end().catch(() => undefined);
  }
}
