import { countKnowledge } from '../knowledge/counts';
import { openKnowledge } from '../knowledge/index';
import { BOT_ENDPOINT_LOG, botEndpointMode } from './botEndpoint';
import { ConfigError, linkHostsOf, loadConfig, thresholdsOf } from './config';
import { createLogger } from './logger';
import { createMetrics } from './metrics';
import { openUrl } from './openUrl';
import { guardProcess } from './processGuard';
import { createApp } from './server';
import { createBackend } from './storage/backend';
import { kbSignalLogFor } from './storage/signalLogs';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const metrics = createMetrics();
  guardProcess(logger, metrics.uncaught);
  const knowledge = openKnowledge({
    dir: config.kbDir,
    thresholds: thresholdsOf(config),
    defaultLocale: config.DEFAULT_LOCALE,
    linkHosts: linkHostsOf(config),
  });
  const backend = createBackend(config, logger);
  // With DATABASE_URL the signals are kept in PostgreSQL, else with several instances in Redis; alone, a file or memory.
  const signals = backend.signals ?? kbSignalLogFor(config);
  const app = createApp({ config, knowledge, logger, signals, backend, metrics });
  const port = await app.listen();
  const url = openUrl(config.HOST, port);
  logger.info({ port, url, ...countKnowledge(knowledge.kb), auth: BOT_ENDPOINT_LOG[botEndpointMode(config)], state: backend.kind }, `kefu listening: open ${url}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight turns');
    app
      .shutdown()
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
