import { ConfigError, loadConfig } from '../../config';
import { createLogger } from '../../logger';
import { migrate } from './migrate';

/** `npm run db:migrate`: brings DATABASE_URL's tables up to this version, then says which migrations ran. */
async function main(): Promise<number> {
  const config = loadConfig(process.env, 'tool');
  if (!config.DATABASE_URL) {
    console.error('db:migrate: DATABASE_URL is not set — expected postgres://user@host:port/database');
    return 2;
  }
  const applied = await migrate(config.DATABASE_URL, createLogger('silent'));
  console.log(applied.length > 0 ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'The database is up to date.');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`db:migrate: ${error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
