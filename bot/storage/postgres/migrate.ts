import path from 'node:path';
import { runner } from 'node-pg-migrate';
import type { Logger } from '../../logger';
import { PROJECT_ROOT } from '../../projectRoot';

/** The SQL migrations, read from the source tree (they are not compiled). */
export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'bot', 'storage', 'postgres', 'migrations');

/**
 * Brings the database's tables up to this version. node-pg-migrate takes an advisory lock,
 * so instances starting together migrate once; every migration is additive, so an older
 * instance still running beside a newer one keeps working.
 */
export async function migrate(databaseUrl: string, logger: Logger): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
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
}
