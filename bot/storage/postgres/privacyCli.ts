import { ConfigError, loadConfig } from '../../config';
import { runPrivacy } from './privacyCommand';

/** `npm run privacy -- export|delete --phone N …`: works against DATABASE_URL (and REDIS_URL) without a running bot. */
async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig(process.env, 'tool');
  } catch (error) {
    console.error(`privacy: ${error instanceof ConfigError ? error.message : String(error)}`);
    return 2;
  }
  return runPrivacy(process.argv.slice(2), config, { log: (line) => console.log(line), error: (line) => console.error(line) });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`privacy: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
