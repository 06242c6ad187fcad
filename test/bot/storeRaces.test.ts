import { Redis } from 'ioredis';
import { RedisHandoffStore } from '../../bot/storage/redis/handoffStore';
import type { Handoff } from '../../domain/handoff';
import type { HandoffStore } from '../../bot/handoff/store';
import { MemoryHandoffStore } from '../../bot/storage/memory/handoffStore';
import { DemoDirectory, MemoryDirectoryData, type DirectoryData } from '../../bot/services/demoDirectory';
import { RedisDirectoryData } from '../../bot/storage/redis/devStores';
import { RedisServer } from '../support/redis';

/**
 * Stores whose operations read, decide and write: requests that arrive at once must be
 * taken one at a time, in memory as on Redis, or the second overwrites the first.
 */
let server: RedisServer;
let redis: Redis;
beforeAll(async () => {
  server = await RedisServer.start();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis?.disconnect();
  await server?.destroy();
});
beforeEach(async () => {
  await redis.flushdb();
});

describe.each([
  ['memory', (): DirectoryData => new MemoryDirectoryData()],
  ['Redis', (): DirectoryData => new RedisDirectoryData(redis)],
])('demo directory on %s', (_name, makeData) => {
  test('ten unlocks of one account at once: one unlocks it, the others are told it is not locked', async () => {
    const directory = new DemoDirectory(undefined, makeData());
    const account = (await directory.findByPhone('13800000002'))!;
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => directory.unlock(account.id)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  test('two accounts taking one free number at once: one gets it, the number is bound once', async () => {
    const directory = new DemoDirectory(undefined, makeData());
    const [first, second] = [(await directory.findByPhone('13800000001'))!, (await directory.findByPhone('13800000008'))!];
    const results = await Promise.allSettled([directory.changePhone(first.id, '13900000009'), directory.changePhone(second.id, '13900000009')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const holders = (await Promise.all(['13800000001', '13800000008', '13900000009'].map((phone) => directory.findByPhone(phone)))).filter(Boolean);
    expect(holders).toHaveLength(2);
  });
});

describe.each([
  ['memory', (): HandoffStore => new MemoryHandoffStore()],
  ['Redis', (): HandoffStore => new RedisHandoffStore(redis)],
])('handoff store on %s', (_name, makeStore) => {
  test('two requests for one conversation at once open one handoff', async () => {
    const store = makeStore();
    const handoff = (id: string): Handoff => ({
      id,
      conversation: 'emulator:c1',
      channel: 'emulator',
      locale: 'zh-CN',
      status: 'queued',
      priority: 'normal',
      context: { reason: 'user-request', misses: [] },
      createdAt: Date.now(),
    });
    const [x, y] = await Promise.all([store.open(handoff('h-1')), store.open(handoff('h-2'))]);
    expect(x.id).toBe(y.id);
    expect(await store.listOpen()).toHaveLength(1);
  });
});
