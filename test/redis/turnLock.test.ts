import { Redis } from 'ioredis';
import { MemoryTurnLock } from '../../bot/storage/memory/turnLock';
import { RedisTurnLock } from '../../bot/storage/redis/turnLock';
import { ConversationBusyError, type TurnLock } from '../../bot/storage/turnLock';
import { RedisServer } from '../support/redis';

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A read-modify-write with a pause in the middle: loses updates unless turns never overlap. */
async function racingIncrements(locks: TurnLock[], turns: number): Promise<{ value: number; maxInside: number }> {
  let value = 0;
  let inside = 0;
  let maxInside = 0;
  await Promise.all(
    Array.from({ length: turns }, (_, i) =>
      locks[i % locks.length]!.run('conv-1', async () => {
        inside++;
        maxInside = Math.max(maxInside, inside);
        const read = value;
        await sleep(2);
        value = read + 1;
        inside--;
      }),
    ),
  );
  return { value, maxInside };
}

test('two instances (two clients) racing on one conversation: turns never overlap, none is lost', async () => {
  const locks = [new RedisTurnLock(a, { leaseMs: 2000, waitMs: 10_000 }), new RedisTurnLock(b, { leaseMs: 2000, waitMs: 10_000 })];
  expect(await racingIncrements(locks, 40)).toEqual({ value: 40, maxInside: 1 });
});

test('in one process the memory lock does the same', async () => {
  expect(await racingIncrements([new MemoryTurnLock(10_000)], 40)).toEqual({ value: 40, maxInside: 1 });
});

test('different conversations do not wait for each other', async () => {
  const lock = new RedisTurnLock(a, { leaseMs: 2000, waitMs: 100 });
  let releaseFirst = () => {};
  const first = lock.run('conv-x', () => new Promise<void>((resolve) => (releaseFirst = resolve)));
  await sleep(20);
  await expect(lock.run('conv-y', async () => 'ran')).resolves.toBe('ran');
  releaseFirst();
  await first;
});

test('waiting is bounded: a busy conversation gives ConversationBusyError', async () => {
  for (const lock of [new RedisTurnLock(a, { leaseMs: 2000, waitMs: 150 }), new MemoryTurnLock(150)]) {
    let release = () => {};
    const holder = lock.run('conv-2', () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(20);
    await expect(lock.run('conv-2', async () => 'never')).rejects.toBeInstanceOf(ConversationBusyError);
    release();
    await holder;
    await expect(lock.run('conv-2', async () => 'now')).resolves.toBe('now');
  }
});

test('the lease is renewed while a long turn runs, and only its holder releases it', async () => {
  const slow = new RedisTurnLock(a, { leaseMs: 300, waitMs: 5000 });
  const eager = new RedisTurnLock(b, { leaseMs: 300, waitMs: 200 });
  const long = slow.run('conv-3', () => sleep(1000));
  await sleep(500);
  // Past the first lease: renewal keeps the other instance out.
  await expect(eager.run('conv-3', async () => 'in')).rejects.toBeInstanceOf(ConversationBusyError);
  await long;

  // A lock that is no longer ours (expired and taken by another) is not deleted by us.
  await a.set('kefu:{c:conv-4}:lock', 'someone-else', 'PX', 5000);
  const stale = new RedisTurnLock(a, { leaseMs: 300, waitMs: 50 });
  await expect(stale.run('conv-4', async () => 'x')).rejects.toBeInstanceOf(ConversationBusyError);
  expect(await a.get('kefu:{c:conv-4}:lock')).toBe('someone-else');
});
