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
 * Commands fail after a couple of retries, or when Redis does not answer within the
 * command timeout, instead of queueing forever, so a turn that needs Redis while it is
 * down gets a clear answer quickly. The client keeps reconnecting in the background
 * (also when Redis was down at start-up) and service resumes by itself.
 */
function commandOptions(settings: RedisSettings): RedisOptions {
  return { maxRetriesPerRequest: 2, connectTimeout: 2000, commandTimeout: settings.commandTimeoutMs, retryStrategy, enableAutoPipelining: true };
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
  const cluster: ClusterOptions = { redisOptions: options, clusterRetryStrategy: retryStrategy, enableAutoPipelining: options.enableAutoPipelining ?? false };
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
