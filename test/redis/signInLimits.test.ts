import { Redis } from 'ioredis';
import { MemoryAgentSessionStore } from '../../bot/storage/memory/sessionStore';
import { ATTEMPT_WINDOW_MS, counters, type AttemptStore } from '../../bot/handoff/signInLimits';
import { RedisAgentSessionStore } from '../../bot/storage/redis/sessionStore';
import { RedisServer } from '../support/redis';

/**
 * The sign-in attempt counters' contract, for the Redis script and its memory twin: a
 * reservation is one atomic step, so concurrent attempts — from two instances — cannot all
 * pass; it counts on every counter or on none; a refund gives one back.
 */
let server: RedisServer;
let a: Redis;
let b: Redis;

beforeAll(async () => {
  server = await RedisServer.start();
  a = new Redis(server.url);
  b = new Redis(server.url);
});
afterAll(async () => {
  a.disconnect();
  b.disconnect();
  await server.destroy();
});

describe.each([
  ['Redis, two instances', () => [new RedisAgentSessionStore(a), new RedisAgentSessionStore(b)] as AttemptStore[]],
  ['memory', () => [new MemoryAgentSessionStore()] as AttemptStore[]],
])('%s', (_name, makeStores) => {
  let stores: AttemptStore[];
  const on = (i: number) => stores[i % stores.length]!;
  beforeEach(async () => {
    await a.flushdb();
    stores = makeStores();
  });

  test('40 concurrent attempts on one name: 5 pass, 35 are told how long to wait', async () => {
    const waits = await Promise.all(Array.from({ length: 40 }, (_, i) => on(i).reserveAttempt([counters.name('alice'), counters.address(`198.51.100.${i}`)], ATTEMPT_WINDOW_MS)));
    expect(waits.filter((w) => w === 0)).toHaveLength(5);
    for (const wait of waits.filter((w) => w > 0)) {
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(2000);
    }
  });

  test('all or nothing: when one counter makes the attempt wait, none counts it', async () => {
    const address = counters.address('203.0.113.1');
    for (let i = 0; i < 20; i++) expect(await on(i).reserveAttempt([counters.name(`n${i}`), address], ATTEMPT_WINDOW_MS)).toBe(0);
    expect(await on(0).reserveAttempt([counters.name('fresh'), address], ATTEMPT_WINDOW_MS)).toBeGreaterThan(0);
    const fresh = await Promise.all(Array.from({ length: 6 }, (_, i) => on(i).reserveAttempt([counters.name('fresh')], ATTEMPT_WINDOW_MS)));
    expect(fresh.filter((w) => w === 0)).toHaveLength(5);
  });

  test('a refund gives one attempt back; refunding what was never counted is harmless', async () => {
    const name = counters.name('wang');
    for (let i = 0; i < 5; i++) expect(await on(i).reserveAttempt([name], ATTEMPT_WINDOW_MS)).toBe(0);
    expect(await on(1).reserveAttempt([name], ATTEMPT_WINDOW_MS)).toBeGreaterThan(0);
    await on(0).refundAttempt([name.key, counters.name('nobody').key]);
    expect(await on(1).reserveAttempt([name], ATTEMPT_WINDOW_MS)).toBe(0);
    expect(await on(0).reserveAttempt([counters.name('nobody')], ATTEMPT_WINDOW_MS)).toBe(0);
  });
});

test('Redis forgets a counter when its window has passed', async () => {
  const store = new RedisAgentSessionStore(a);
  await store.reserveAttempt([counters.name('brief')], ATTEMPT_WINDOW_MS);
  const ttl = await a.pttl('kefu:{kefu}:sign-in:name:brief');
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(ATTEMPT_WINDOW_MS);
});
