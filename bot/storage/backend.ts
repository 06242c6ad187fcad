import type { Storage } from 'botbuilder';
import type { Config } from '../config';
import type { AgentSessionStore } from '../handoff/sessions';
import type { ConsoleBus, HandoffStore } from '../handoff/store';
import type { Logger } from '../logger';
import type { DirectLineStore, UploadCaps } from '../channels/directline/store';
import type { PlatformStores } from '../services/platform';
import type { KbSignalLog } from './kbSignalLog';
import type { TurnLock } from './turnLock';
import type { VersionStore } from '../../knowledge/versions/store';
import { FolderVersionStore } from '../../knowledge/versions/folderStore';
import { PROJECT_ROOT } from '../projectRoot';
import { RedisVersionStore } from './redis/kbVersionStore';
import type { DeskStore } from '../../knowledge/desk/store';
import { FolderDeskStore } from '../desk/folderDeskStore';
import { RedisDeskStore } from './redis/kbDeskStore';
import path from 'node:path';
import type { RateLimiter } from './rateLimit';
import type { Throttle } from './throttle';
import { kbSignalLogFor } from './signalLogs';
import type { InsightsRecorder } from '../desk/insights';
import { MemoryInsights } from './memory/insights';
import { RedisInsights } from './redis/insights';
import { stateTtlOf } from './stateTtl';
import { answeringLater } from './memory/answerLater';
import { MemoryDirectLineStore } from './memory/directLineStore';
import { MemoryConsoleBus, MemoryHandoffStore } from './memory/handoffStore';
import { MemoryOtpStore } from './memory/otpStore';
import { MemoryRateLimiter } from './memory/rateLimit';
import { MemoryThrottle } from './memory/throttle';
import { MemoryAgentSessionStore } from './memory/sessionStore';
import { ExpiringMemoryStorage } from './memory/storage';
import { MemoryTurnLock } from './memory/turnLock';
import { connectRedis, connectSubscriber, isRedisOutage, untilReady } from './redis/connection';
import { RedisDirectoryData, RedisOutbox } from './redis/devStores';
import { RedisDirectLineStore } from './redis/directLineStore';
import { RedisConsoleBus, RedisHandoffStore } from './redis/handoffStore';
import { RedisOtpStore } from './redis/otpStore';
import { RedisRateLimiter } from './redis/rateLimit';
import { RedisThrottle } from './redis/throttle';
import { RedisAgentSessionStore } from './redis/sessionStore';
import { RedisStorage } from './redis/storage';
import { RedisTurnLock } from './redis/turnLock';
import { Records } from './postgres/records';
import { isDatabaseOutage } from './postgres/pool';
import { RecordingHandoffStore } from '../records/recordingHandoffStore';
import { databaseDeskStores } from './postgres/recordStores';

/**
 * Where every piece of shared state lives: this process's memory (one instance, the
 * default), or Redis (single node or cluster) so that several instances share it.
 */
export interface Backend {
  kind: 'memory' | 'redis';
  storage: Storage;
  turnLock: TurnLock;
  /** The fixed-window counter behind every limit (bot/limits/limits.ts). */
  rateLimiter: RateLimiter;
  /** One call per key per window, over every instance (the typing relay's). */
  throttle: Throttle;
  handoffStore: HandoffStore;
  consoleBus: ConsoleBus;
  sessionStore: AgentSessionStore;
  /** The embedded Direct Line's conversations, activity logs and files. */
  directLineStore: DirectLineStore;
  /** Codes, the demo directory and the dev outbox (the last two only when shared). */
  platformStores: PlatformStores;
  /** Published knowledge-base versions: a local folder, Redis shared by every instance, or with DATABASE_URL PostgreSQL. */
  kbVersions: VersionStore;
  /** The knowledge desk's draft and resolutions, beside the versions (a folder in it, or Redis). */
  kbDesk: DeskStore;
  /** Set with Redis or DATABASE_URL (the database then): signals shared by every instance. */
  signals?: KbSignalLog;
  /** The knowledge desk's daily counters: this process's memory, Redis shared by every instance, or with DATABASE_URL PostgreSQL. */
  insights: InsightsRecorder;
  /** With DATABASE_URL: the durable records (outbox, writer, history). */
  records?: Records;
  /** Whether a failure is the shared store (or the database) being unreachable or too slow: the request gets 503 / "暂时无法服务", not 500. */
  outage(error: unknown): boolean;
  /** Waits (at most `timeoutMs`) for the shared store's first connection, so the first requests do not meet a store still connecting. */
  connected(timeoutMs: number): Promise<boolean>;
  /** Answers within a second whether the shared store responds (for /readyz). */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

/** How long a turn may hold its conversation's lock before renewals must keep it. */
const LOCK_LEASE_MS = 15_000;

const uploadCaps = (config: Config): UploadCaps => ({ conversationBytes: config.DIRECTLINE_UPLOAD_CONVERSATION_BYTES, totalBytes: config.DIRECTLINE_UPLOAD_TOTAL_BYTES });

/** The embedded default's versions: files under var/, so they survive a restart and the CLI can publish into them. */
export function folderVersionStore(config: Config): FolderVersionStore {
  return new FolderVersionStore(path.resolve(PROJECT_ROOT, config.KB_VERSIONS_DIR), config.KB_VERSIONS_KEPT);
}

/** With a database, what is worth keeping of the handoff also goes to it. */
const recording = (hot: HandoffStore, records: Records | undefined): HandoffStore => (records ? new RecordingHandoffStore(hot, records.outbox, records.history) : hot);

export function createBackend(config: Config, logger: Logger): Backend {
  // Conversations expire when idle in both modes, sooner while the user has not written.
  const ttl = stateTtlOf(config);
  if (!config.REDIS_URL && !config.REDIS_CLUSTER_NODES) {
    const records = config.DATABASE_URL ? new Records(config, logger) : undefined;
    const desk = records && databaseDeskStores(config, records, logger, folderVersionStore(config));
    return {
      kind: 'memory',
      storage: answeringLater(new ExpiringMemoryStorage(ttl)),
      turnLock: answeringLater(new MemoryTurnLock(config.TURN_LOCK_WAIT_MS)),
      rateLimiter: answeringLater(new MemoryRateLimiter()),
      throttle: answeringLater(new MemoryThrottle()),
      handoffStore: recording(answeringLater(new MemoryHandoffStore(Date.now, ttl)), records),
      consoleBus: new MemoryConsoleBus(),
      sessionStore: answeringLater(new MemoryAgentSessionStore()),
      directLineStore: answeringLater(new MemoryDirectLineStore(ttl, uploadCaps(config))),
      platformStores: { otpStore: answeringLater(new MemoryOtpStore()) },
      kbVersions: desk?.kbVersions ?? folderVersionStore(config),
      kbDesk: new FolderDeskStore(path.join(folderVersionStore(config).dir, 'desk')),
      signals: desk?.signals,
      insights: desk?.insights ?? new MemoryInsights(config.INSIGHTS_DAYS_KEPT),
      records,
      outage: (error) => isDatabaseOutage(error),
      connected: async () => true,
      ready: async () => true,
      close: async () => records?.close(),
    };
  }
  const settings = { url: config.REDIS_URL, clusterNodes: config.REDIS_CLUSTER_NODES, commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS };
  const redis = connectRedis(settings, logger);
  const subscriber = connectSubscriber(settings, logger);
  const records = config.DATABASE_URL ? new Records(config, logger, redis) : undefined;
  const desk = records && databaseDeskStores(config, records, logger, new RedisVersionStore(redis, subscriber, config.KB_VERSIONS_KEPT));
  return {
    kind: 'redis',
    storage: new RedisStorage(redis, ttl),
    turnLock: new RedisTurnLock(redis, { leaseMs: LOCK_LEASE_MS, waitMs: config.TURN_LOCK_WAIT_MS }),
    rateLimiter: new RedisRateLimiter(redis),
    throttle: new RedisThrottle(redis),
    handoffStore: recording(new RedisHandoffStore(redis, Date.now, ttl), records),
    consoleBus: new RedisConsoleBus(redis, subscriber),
    sessionStore: new RedisAgentSessionStore(redis),
    directLineStore: new RedisDirectLineStore(redis, subscriber, ttl, uploadCaps(config)),
    platformStores: { otpStore: new RedisOtpStore(redis), directoryData: new RedisDirectoryData(redis), sharedOutbox: new RedisOutbox(redis) },
    kbVersions: desk?.kbVersions ?? new RedisVersionStore(redis, subscriber, config.KB_VERSIONS_KEPT),
    kbDesk: new RedisDeskStore(redis),
    signals: desk?.signals ?? kbSignalLogFor(config, redis),
    insights: desk?.insights ?? new RedisInsights(redis, config.INSIGHTS_DAYS_KEPT),
    records,
    outage: (error) => redis.status !== 'ready' || isRedisOutage(error) || isDatabaseOutage(error),
    connected: (timeoutMs) => untilReady(redis, timeoutMs),
    async ready() {
      try {
        const pong = await Promise.race([redis.ping(), new Promise<string>((resolve) => setTimeout(() => resolve('timeout'), 1000).unref())]);
        return pong === 'PONG';
      } catch {
        return false;
      }
    },
    async close() {
      await records?.close();
      subscriber.disconnect();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
