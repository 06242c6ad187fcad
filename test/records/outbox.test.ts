import { Redis } from 'ioredis';
import { createLogger } from '../../bot/logger';
import { OutboxDrainer } from '../../bot/records/drain';
import { MemoryOutbox, type Outbox } from '../../bot/records/outbox';
import type { DurableRecord } from '../../bot/records/schema';
import { RedisOutbox } from '../../bot/storage/redis/outbox';
import { RedisServer } from '../support/redis';
import { until } from '../support/until';

/**
 * The outbox turns queue records in: what was taken and not acknowledged comes back (to the
 * same instance after a failed write, to another when the taker died), nothing acknowledged
 * ever does, and the drainer writes everything once however often the database fails.
 */
let server: RedisServer;
let connections: Redis[] = [];
beforeAll(async () => {
  server = await RedisServer.start();
});
afterAll(async () => {
  await server?.destroy();
});
afterEach(async () => {
  const admin = new Redis(server.url);
  await admin.flushdb();
  admin.disconnect();
  for (const connection of connections) connection.disconnect();
  connections = [];
});
const connect = () => {
  const connection = new Redis(server.url);
  connections.push(connection);
  return connection;
};

const note = (n: number): DurableRecord => ({ kind: 'note', id: `r${n}`, handoffId: 'h1', note: { at: n, agentId: 'wang', agentName: '小王', text: `第 ${n} 条` } });
const ids = (deliveries: { records: DurableRecord[] }[]) => deliveries.flatMap((d) => d.records.map((r) => r.id));

describe.each([
  ['memory', () => new MemoryOutbox()],
  ['Redis', () => new RedisOutbox(connect())],
])('outbox in %s', (_name, make: () => Outbox) => {
  test('taken and not acknowledged comes back; acknowledged never does; depth counts what waits; trim keeps the newest', async () => {
    const outbox = make();
    for (const n of [1, 2, 3]) await outbox.push([note(n)]);
    await outbox.push([]);
    expect(await outbox.depth()).toBe(3);
    const first = await outbox.take(2);
    expect(ids(first)).toEqual(['r1', 'r2']);
    // The write failed: the same pushes again.
    expect(ids(await outbox.take(2))).toEqual(['r1', 'r2']);
    await outbox.ack(first);
    expect(ids(await outbox.take(10))).toEqual(['r3']);
    expect(await outbox.depth()).toBe(1);
    for (const n of [4, 5, 6]) await outbox.push([note(n)]);
    expect(await outbox.trim(2)).toBe(2);
    expect(await outbox.depth()).toBe(2);
  });
});

test('on Redis, what an instance took and never acknowledged (it died) goes to another after the idle time, not before', async () => {
  const dead = new RedisOutbox(connect(), 500);
  const alive = new RedisOutbox(connect(), 500);
  await dead.push([note(1)]);
  expect(ids(await dead.take(10))).toEqual(['r1']);
  expect(await alive.take(10)).toEqual([]);
  await new Promise((resolve) => setTimeout(resolve, 700));
  const reclaimed = await alive.take(10);
  expect(ids(reclaimed)).toEqual(['r1']);
  await alive.ack(reclaimed);
  expect(await alive.depth()).toBe(0);
});

test('on Redis, an entry no version wrote is dropped, not delivered forever; a flushed Redis gets its group back', async () => {
  const redis = connect();
  const outbox = new RedisOutbox(redis);
  await outbox.push([note(1)]);
  await redis.xadd('kefu:{kefu}:outbox', '*', 'r', '{"not":"records"}');
  expect(ids(await outbox.take(10))).toEqual(['r1']);
  expect(outbox.discarded).toBe(1);
  await redis.flushdb();
  await expect(outbox.take(10)).rejects.toThrow(/NOGROUP/);
  await outbox.push([note(2)]);
  expect(ids(await outbox.take(10))).toEqual(['r2']);
});

test('the drainer writes every record once while the database fails and comes back, and holds the outbox to its bound meanwhile', async () => {
  const outbox = new MemoryOutbox();
  const written: string[] = [];
  let failing = true;
  const drainer = new OutboxDrainer({
    outbox,
    logger: createLogger('silent'),
    idleMs: 10,
    maxBackoffMs: 40,
    max: 50,
    async apply(records) {
      if (failing) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      written.push(...records.map((r) => r.id));
    },
  });
  drainer.start();
  for (let n = 1; n <= 60; n++) await outbox.push([note(n)]);
  await until(async () => (await outbox.depth()) === 50);
  expect(drainer.writing).toBe(false);
  failing = false;
  await until(async () => (await outbox.depth()) === 0);
  await drainer.stop();
  // The ten oldest were dropped by the bound; the rest written once each, in order.
  expect(written).toEqual(Array.from({ length: 50 }, (_, i) => `r${i + 11}`));
});
