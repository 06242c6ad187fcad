import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Logger } from '../../logger';

/** One client type for single-node Redis and Redis Cluster: the code never needs to know which. */
export type RedisClient = Redis | Cluster;

export interface RedisSettings {
  url?: string;
  /** "host:port,host:port": cluster mode. */
  clusterNodes?: string;
  /** A command with no answer after this long fails (a paused Redis must not hold turns). */
  commandTimeoutMs: number;
}

const retryStrategy = (times: number) => Math.min(100 * times, 1000);

/**
 * While Redis is away a command fails at once, and one that gets no answer fails after the
 * command timeout, so a turn that needs Redis then gets a clear answer quickly. No offline
 * queue: a command the caller already saw fail must not run later, when Redis is back (a
 * turn lock taken after its turn had failed would hold the conversation). The client keeps
 * reconnecting in the background (also when Redis was down at start-up).
 */
function commandOptions(settings: RedisSettings): RedisOptions {
  return {
    maxRetriesPerRequest: 2,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    commandTimeout: settings.commandTimeoutMs,
    retryStrategy,
    enableAutoPipelining: true,
  };
}

/**
 * The subscriber connection only subscribes: its SUBSCRIBE must wait for Redis however
 * long it is away (a failed one would leave this instance deaf after Redis returns), and a
 * subscribed connection sends no commands that could hang a request.
 */
const SUBSCRIBER: RedisOptions = { maxRetriesPerRequest: null, commandTimeout: undefined, connectTimeout: 2000, retryStrategy };

function clusterNodes(spec: string) {
  return spec.split(',').map((node) => {
    const [host = '127.0.0.1', port = '6379'] = node.trim().split(':');
    return { host, port: Number(port) };
  });
}

function open(settings: RedisSettings, options: RedisOptions): RedisClient {
  if (!settings.clusterNodes) return new Redis(settings.url ?? 'redis://127.0.0.1:6379', options);
  const { enableOfflineQueue, enableAutoPipelining, ...redisOptions } = options;
  const cluster: ClusterOptions = { redisOptions, clusterRetryStrategy: retryStrategy, enableOfflineQueue, enableAutoPipelining };
  return new Cluster(clusterNodes(settings.clusterNodes), cluster);
}

/** Logs an outage once (the retry loop would otherwise log every 100 ms) and its end. */
function reportOutages(client: RedisClient, logger: Logger, name: string): RedisClient {
  let reported = false;
  client.on('error', (error: Error) => {
    if (!reported) logger.error({ err: error, connection: name }, 'redis unavailable');
    reported = true;
  });
  client.on('ready', () => {
    if (reported) logger.info({ connection: name }, 'redis available again');
    reported = false;
  });
  return client;
}

export function connectRedis(settings: RedisSettings, logger: Logger): RedisClient {
  return reportOutages(open(settings, commandOptions(settings)), logger, 'commands');
}

/** A second connection for subscribing (a subscribed connection can do nothing else). */
export function connectSubscriber(settings: RedisSettings, logger: Logger): RedisClient {
  return reportOutages(open(settings, SUBSCRIBER), logger, 'subscriber');
}

/**
 * Whether an error means Redis could not be reached or did not answer in time (as
 * opposed to a bug or a reply error): those requests get "temporarily unavailable".
 */
export function isRedisOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError' || error.name === 'ClusterAllFailedError') return true;
  const code = (error as NodeJS.ErrnoException).code;
  if (code && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH'].includes(code)) return true;
  return /^(Command timed out|Connection is closed|Stream isn't writeable|None of startup nodes is available|Failed to refresh slots cache)/.test(error.message);
}

/** Resolves true once the client is ready, or false after `timeoutMs` (Redis may be down: start anyway, not ready). */
export function untilReady(client: RedisClient, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    client.once('ready', onReady);
  });
}
