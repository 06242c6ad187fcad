import { ConversationState, MemoryStorage, TestAdapter, type Storage } from 'botbuilder';
import { Redis } from 'ioredis';
import { RedisStorage, StaleETagError } from '../../bot/storage/redis/storage';
import { RedisServer } from '../support/redis';

/**
 * botbuilder's storage contract (StorageBaseTests of botbuilder-js), ported to jest and run
 * against a real Redis — and against botbuilder's own MemoryStorage, to show the cases say
 * what botbuilder means.
 */
let server: RedisServer;
let redis: Redis;

beforeAll(async () => {
  server = await RedisServer.start();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis.disconnect();
  await server.destroy();
});

type Item = { id?: number; count?: number; eTag?: string };

describe.each([
  ['RedisStorage', () => new RedisStorage(redis, 3600) as Storage],
  ['MemoryStorage (reference)', () => new MemoryStorage() as Storage],
])('%s', (_name, makeStorage) => {
  let storage: Storage;
  beforeEach(async () => {
    await redis.flushdb();
    storage = makeStorage();
  });

  test('reading an unknown key returns nothing', async () => {
    expect(await storage.read(['unknown'])).toEqual({});
  });

  test('null keys or changes are refused; writing nothing is fine', async () => {
    await expect(storage.read(null as unknown as string[])).rejects.toThrow(ReferenceError);
    await expect(storage.write(null as unknown as Record<string, unknown>)).rejects.toThrow(ReferenceError);
    await expect(storage.write({})).resolves.toBeUndefined();
  });

  test('create: items come back with an eTag', async () => {
    await storage.write({ createPoco: { id: 1 }, createPocoStoreItem: { id: 2 } });
    const read = (await storage.read(['createPoco', 'createPocoStoreItem'])) as Record<string, Item>;
    expect(read.createPoco).toEqual(expect.objectContaining({ id: 1, eTag: expect.any(String) }));
    expect(read.createPocoStoreItem).toEqual(expect.objectContaining({ id: 2, eTag: expect.any(String) }));
  });

  test('crazy keys', async () => {
    const key = '!@#$%^&*()~/\\><,.?\';"`~';
    await storage.write({ [key]: { id: 1 } });
    expect(((await storage.read([key])) as Record<string, Item>)[key]?.id).toBe(1);
  });

  test('update: a current eTag writes, a stale one is rejected, none or "*" overwrites', async () => {
    await storage.write({ pocoItem: { id: 1, count: 1 }, pocoStoreItem: { id: 1, count: 1 } });
    const loaded = (await storage.read(['pocoItem', 'pocoStoreItem'])) as Record<string, Item>;
    const poco = loaded.pocoItem!;
    const storeItem = loaded.pocoStoreItem!;
    delete poco.eTag;
    poco.count = 2;
    storeItem.count = 2;
    await storage.write({ pocoItem: poco, pocoStoreItem: storeItem });
    const reloaded = (await storage.read(['pocoItem', 'pocoStoreItem'])) as Record<string, Item>;
    expect(reloaded.pocoItem?.count).toBe(2);
    expect(reloaded.pocoStoreItem?.count).toBe(2);
    expect(reloaded.pocoStoreItem?.eTag).not.toBe(storeItem.eTag);

    poco.count = 123;
    await expect(storage.write({ pocoItem: poco })).resolves.toBeUndefined();
    storeItem.count = 123;
    await expect(storage.write({ pocoStoreItem: storeItem })).rejects.toThrow();
    const after = (await storage.read(['pocoItem', 'pocoStoreItem'])) as Record<string, Item>;
    expect(after.pocoItem?.count).toBe(123);
    expect(after.pocoStoreItem?.count).toBe(2);

    await storage.write({ pocoItem: { ...after.pocoItem, count: 100 }, pocoStoreItem: { ...after.pocoStoreItem, count: 100, eTag: '*' } });
    const final = (await storage.read(['pocoItem', 'pocoStoreItem'])) as Record<string, Item>;
    expect([final.pocoItem?.count, final.pocoStoreItem?.count]).toEqual([100, 100]);
  });

  test('delete, and deleting an unknown key', async () => {
    await storage.write({ delete1: { id: 1, count: 1 } });
    expect(((await storage.read(['delete1'])) as Record<string, Item>).delete1?.count).toBe(1);
    await storage.delete(['delete1']);
    expect(await storage.read(['delete1'])).toEqual({});
    await expect(storage.delete(['unknown_key'])).resolves.toBeUndefined();
  });

  test('batch operations', async () => {
    await storage.write({ batch1: { count: 10 }, batch2: { count: 20 }, batch3: { count: 30 } });
    const read = (await storage.read(['batch1', 'batch2', 'batch3'])) as Record<string, Item>;
    expect(Object.values(read).map((i) => [i.count, typeof i.eTag])).toEqual([
      [10, 'string'],
      [20, 'string'],
      [30, 'string'],
    ]);
    await storage.delete(['batch1', 'batch2', 'batch3']);
    expect(await storage.read(['batch1', 'batch2', 'batch3'])).toEqual({});
  });

  test('conversation state survives turn after turn (the waterfall case, with a counter)', async () => {
    const state = new ConversationState(storage);
    const turns = state.createProperty<number>('turns');
    const adapter = new TestAdapter(async (context) => {
      const n = (await turns.get(context, 0)) + 1;
      await turns.set(context, n);
      await context.sendActivity(`turn ${n}`);
      await state.saveChanges(context);
    });
    await adapter.send('a').assertReply('turn 1').send('b').assertReply('turn 2').send('c').assertReply('turn 3').startTest();
  });
});

test('two clients racing on one key: exactly one compare-and-set wins', async () => {
  const other = new Redis(server.url);
  try {
    const a = new RedisStorage(redis, 3600);
    const b = new RedisStorage(other, 3600);
    await a.write({ race: { count: 0 } });
    const { race } = (await a.read(['race'])) as Record<string, Item>;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).write({ race: { count: i + 1, eTag: race!.eTag } })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason instanceof StaleETagError)).toBe(true);
  } finally {
    other.disconnect();
  }
});

test('items expire after the TTL without a write, and keys are namespaced and hash-tagged', async () => {
  await redis.flushdb();
  const storage = new RedisStorage(redis, 1);
  await storage.write({ 'emulator/conversations/abc/': { step: 1 } });
  expect(await redis.keys('*')).toEqual(['kefu:{c:emulator:abc}:state:emulator/conversations/abc/']);
  expect(await redis.ttl('kefu:{c:emulator:abc}:state:emulator/conversations/abc/')).toBeGreaterThan(0);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  expect(await storage.read(['emulator/conversations/abc/'])).toEqual({});
});
