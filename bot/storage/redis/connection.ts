import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../../logger';

/** One client type for single-node Redis and Redis Cluster: the code never needs to know which. */
export type RedisClient = Redis | Cluster;

export interface RedisSettings {
  url?: string;
  /** "host:port,host:port": cluster mode. */
  clusterNodes?: string;
}

/**
 * Commands fail after a couple of retries instead of queueing forever, so a turn that needs
 * Redis while it is down gets a clear answer quickly; the client keeps reconnecting in the
 * background and service resumes by itself.
 */
const COMMON: RedisOptions = {
  maxRetriesPerRequest: 2,
  connectTimeout: 2000,
  retryStrategy: (times) => Math.min(100 * times, 1000),
  enableAutoPipelining: true,
};

export function connectRedis(settings: RedisSettings, logger: Logger): RedisClient {
  let client: RedisClient;
  if (settings.clusterNodes) {
    const nodes = settings.clusterNodes.split(',').map((node) => {
      const [host = '127.0.0.1', port = '6379'] = node.trim().split(':');
      return { host, port: Number(port) };
    });
    client = new Cluster(nodes, { redisOptions: COMMON, clusterRetryStrategy: (times) => Math.min(100 * times, 1000), enableAutoPipelining: true });
  } else {
    client = new Redis(settings.url ?? 'redis://127.0.0.1:6379', COMMON);
  }
  let reported = false;
  client.on('error', (error: Error) => {
    // Once per outage: the retry loop would otherwise log every 100 ms.
    if (!reported) logger.error({ err: error }, 'redis unavailable');
    reported = true;
  });
  client.on('ready', () => {
    if (reported) logger.info('redis available again');
    reported = false;
  });
  return client;
}

/** A second connection for subscribing (a subscribed connection can do nothing else). */
export function subscriberOf(client: RedisClient): RedisClient {
  return client.duplicate();
}
