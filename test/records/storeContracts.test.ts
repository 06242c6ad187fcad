import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { InsightsRecorder } from '../../bot/desk/insights';
import type { HandoffStore } from '../../bot/handoff/store';
import { createLogger } from '../../bot/logger';
import { OutboxDrainer } from '../../bot/records/drain';
import { MemoryOutbox, type Outbox } from '../../bot/records/outbox';
import { RecordingHandoffStore } from '../../bot/records/recordingHandoffStore';
import type { DurableRecord } from '../../bot/records/schema';
import { JsonlKbSignalLog, type KbSignalLog } from '../../bot/storage/kbSignalLog';
import { MemoryHandoffStore } from '../../bot/storage/memory/handoffStore';
import { MemoryInsights } from '../../bot/storage/memory/insights';
import { MemoryKbSignalLog } from '../../bot/storage/memory/kbSignalLog';
import { PostgresRecords } from '../../bot/storage/postgres/historyRecords';
import { PostgresInsights } from '../../bot/storage/postgres/insights';
import { PostgresKbSignalLog } from '../../bot/storage/postgres/kbSignalLog';
import { PostgresVersionStore } from '../../bot/storage/postgres/kbVersionStore';
import { migrate } from '../../bot/storage/postgres/migrate';
import { openPool } from '../../bot/storage/postgres/pool';
import { RedisHandoffStore } from '../../bot/storage/redis/handoffStore';
import { RedisInsights } from '../../bot/storage/redis/insights';
import { RedisKbSignalLog } from '../../bot/storage/redis/kbSignalLog';
import { RedisVersionStore } from '../../bot/storage/redis/kbVersionStore';
import { RedisOutbox } from '../../bot/storage/redis/outbox';
import { FolderVersionStore } from '../../knowledge/versions/folderStore';
import type { VersionStore } from '../../knowledge/versions/store';
import { sleep, TestClock, type Backend } from '../support/contracts/backend';
import { handoffStoreContract } from '../support/contracts/handoffStore';
import { INSIGHTS_CONTRACT, insightsContract } from '../support/contracts/insights';
import { kbSignalLogContract, SIGNALS_CONTRACT } from '../support/contracts/kbSignalLog';
import { VERSIONS_CONTRACT, versionStoreContract } from '../support/contracts/versionStore';
import { PostgresServer, queryOnce } from '../support/postgres';
import { RedisServer } from '../support/redis';

/**
 * The stores DATABASE_URL brings, held to the same contracts (test/support/contracts/) as
 * the memory or folder and Redis ones they stand in for: each run against every backend, on
 * a redis-server and a PostgreSQL of this test's own, two instances at a time.
 */
jest.setTimeout(120_000);

const logger = createLogger('silent');
let redisServer: RedisServer;
let postgres: PostgresServer;
let admin: Redis;
let pool: Pool;
let records: PostgresRecords;
/** What the current test opened: closed after it, newest first. */
let opened: (() => Promise<unknown> | void)[] = [];

beforeAll(async () => {
  [redisServer, postgres] = await Promise.all([RedisServer.start(), PostgresServer.start()]);
  await migrate(postgres.url, logger);
  admin = new Redis(redisServer.url);
  pool = openPool(postgres.url, logger);
  records = new PostgresRecords(pool, 'test-secret-0123456789');
});
afterAll(async () => {
  admin?.disconnect();
  await pool?.end();
  await redisServer?.destroy();
  await postgres?.destroy();
});
beforeEach(async () => {
  await admin.flushdb();
  await pool.query('TRUNCATE applied_records, conversation_lines, handoffs, handoff_notes, tickets, subjects, kb_signals, staff_actions, kb_versions, insights_counts');
});
afterEach(async () => {
  for (const close of opened.reverse()) await close();
  opened = [];
});

const closing = <T>(thing: T, close: (thing: T) => Promise<unknown> | void): T => {
  opened.push(() => close(thing));
  return thing;
};

function connect(): Redis {
  return closing(new Redis(redisServer.url), (connection) => connection.disconnect());
}

/** An outbox drained into PostgreSQL, as each instance with DATABASE_URL runs one. */
function drained(outbox: Outbox): Outbox {
  const drainer = closing(new OutboxDrainer({ outbox, apply: (batch) => records.apply(batch), logger, idleMs: 50 }), (d) => d.stop());
  drainer.start();
  return outbox;
}

/** Writes each push at once: the handoff store's contract then reads what the database holds, no drainer between. */
class WritingOutbox implements Outbox {
  async push(batch: readonly DurableRecord[]) {
    await records.apply(batch);
  }
  async take() {
    return [];
  }
  async ack() {}
  async depth() {
    return 0;
  }
  async trim() {
    return 0;
  }
  async close() {}
}

/** One store per test, shared by every "instance" (memory mode has one). */
function single<S>(make: (clock: TestClock) => S): () => Backend<S> {
  return () => {
    const clock = new TestClock();
    let store: S | undefined;
    return { clock, instance: async () => (store ??= make(clock)), elapse: async (ms) => clock.advance(ms) };
  };
}

/** Each instance its own store over the shared Redis or PostgreSQL (or folder), which also keep real time. */
function shared<S>(make: (clock: TestClock) => S): () => Backend<S> {
  return () => {
    const clock = new TestClock();
    return {
      clock,
      instance: async () => make(clock),
      async elapse(ms) {
        clock.advance(ms);
        await sleep(ms);
      },
    };
  };
}

const tempDir = () => closing(fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-contract-')), (dir) => fs.rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['memory, writing to PostgreSQL', single<HandoffStore>((clock) => new RecordingHandoffStore(new MemoryHandoffStore(clock.now), new WritingOutbox(), records, clock.now))],
  [
    'Redis, its outbox drained into PostgreSQL',
    shared<HandoffStore>((clock) => new RecordingHandoffStore(new RedisHandoffStore(connect(), clock.now), drained(new RedisOutbox(connect(), 10_000)), records, clock.now)),
  ],
])('handoff store on %s', (_name, backend) => handoffStoreContract(backend));

/** Each instance its own store over one folder (the bot and the CLI), checked every 100 ms. */
const folderVersions = (): Backend<VersionStore> => {
  const dir = tempDir();
  return shared<VersionStore>(() => closing(new FolderVersionStore(dir, VERSIONS_CONTRACT.kept, 100), (s) => s.close()))();
};

describe.each([
  ['a folder', folderVersions],
  // The store subscribes its subscriber connection itself; the contract publishes until a listener hears.
  ['Redis', shared<VersionStore>(() => closing(new RedisVersionStore(connect(), connect(), VERSIONS_CONTRACT.kept), (s) => s.close()))],
  ['PostgreSQL', shared<VersionStore>(() => closing(new PostgresVersionStore(pool, postgres.url, logger, VERSIONS_CONTRACT.kept), (s) => s.close()))],
])('knowledge versions on %s', (_name, backend) => versionStoreContract(backend));

describe.each([
  ['memory', single<InsightsRecorder>((clock) => new MemoryInsights(INSIGHTS_CONTRACT.keepDays, clock.now))],
  ['Redis', shared<InsightsRecorder>((clock) => new RedisInsights(connect(), INSIGHTS_CONTRACT.keepDays, clock.now))],
  ['PostgreSQL', shared<InsightsRecorder>((clock) => new PostgresInsights(drained(new MemoryOutbox()), pool, INSIGHTS_CONTRACT.keepDays, clock.now))],
])('daily figures on %s', (_name, backend) => insightsContract(backend));

describe.each([
  ['memory', single<KbSignalLog>(() => new MemoryKbSignalLog(SIGNALS_CONTRACT.kept)), SIGNALS_CONTRACT],
  ['a file', single<KbSignalLog>(() => new JsonlKbSignalLog(path.join(tempDir(), 'kb-signals.jsonl'))), {}],
  ['Redis', shared<KbSignalLog>(() => new RedisKbSignalLog(connect(), SIGNALS_CONTRACT.kept)), SIGNALS_CONTRACT],
  ['PostgreSQL', shared<KbSignalLog>(() => new PostgresKbSignalLog(drained(new MemoryOutbox()), pool, SIGNALS_CONTRACT.kept)), SIGNALS_CONTRACT],
])('KB signals on %s', (_name, backend, bound) => kbSignalLogContract(backend, bound));

test('PostgreSQL keeps the daily figures of the kept days only: older rows go when they are read', async () => {
  const recorder = new PostgresInsights(new MemoryOutbox(), pool, INSIGHTS_CONTRACT.keepDays);
  await pool.query("INSERT INTO insights_counts (day, field, value) VALUES (current_date - 400, 'conversations', 7), (current_date - 40, 'conversations', 3), (current_date - 1, 'conversations', 2)");
  await recorder.read([new Date().toISOString().slice(0, 10)]);
  expect(await queryOnce(postgres.url, 'SELECT value::int AS value FROM insights_counts')).toEqual([{ value: 2 }]);
});
