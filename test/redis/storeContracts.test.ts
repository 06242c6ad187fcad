import { Redis } from 'ioredis';
import type { DirectLineStore } from '../../bot/channels/directline/store';
import type { AgentSessionStore } from '../../bot/handoff/sessions';
import type { ConsoleBus, HandoffStore } from '../../bot/handoff/store';
import type { OtpStore } from '../../bot/services/otp';
import { MemoryDirectLineStore } from '../../bot/storage/memory/directLineStore';
import { MemoryConsoleBus, MemoryHandoffStore } from '../../bot/storage/memory/handoffStore';
import { MemoryOtpStore } from '../../bot/storage/memory/otpStore';
import { MemoryAgentSessionStore } from '../../bot/storage/memory/sessionStore';
import { RedisDirectLineStore } from '../../bot/storage/redis/directLineStore';
import { RedisConsoleBus, RedisHandoffStore } from '../../bot/storage/redis/handoffStore';
import { keys } from '../../bot/storage/redis/keys';
import { RedisOtpStore } from '../../bot/storage/redis/otpStore';
import { RedisAgentSessionStore } from '../../bot/storage/redis/sessionStore';
import { RedisThrottle } from '../../bot/storage/redis/throttle';
import { MemoryThrottle } from '../../bot/storage/memory/throttle';
import type { Throttle } from '../../bot/storage/throttle';
import { sleep, TestClock, type Backend } from '../support/contracts/backend';
import { directLineStoreContract, DIRECT_LINE_CONTRACT } from '../support/contracts/directLineStore';
import { consoleBusContract, handoffStoreContract } from '../support/contracts/handoffStore';
import { BOUND_CONTRACT_KEPT_S, handoffBoundsContract } from '../support/contracts/handoffBounds';
import { otpStoreContract } from '../support/contracts/otpStore';
import { sessionStoreContract } from '../support/contracts/sessionStore';
import { throttleContract } from '../support/contracts/throttle';
import { RedisServer } from '../support/redis';

/**
 * Each store's contract (test/support/contracts/), run against its memory implementation and
 * against its Redis one on a redis-server of this test's own, two instances at a time.
 */
let server: RedisServer;
let admin: Redis;
/** Connections opened by the current test: closed after it. */
let connections: Redis[] = [];

beforeAll(async () => {
  server = await RedisServer.start();
  admin = new Redis(server.url);
});
afterAll(async () => {
  admin?.disconnect();
  await server?.destroy();
});
beforeEach(async () => {
  await admin.flushdb();
});
afterEach(() => {
  for (const connection of connections) connection.disconnect();
  connections = [];
});

function connect(): Redis {
  const connection = new Redis(server.url);
  connections.push(connection);
  return connection;
}

/** Memory mode: one store per test, shared by every "instance" (there is one process). */
function memory<S>(make: (clock: TestClock) => S): () => Backend<S> {
  return () => {
    const clock = new TestClock();
    let store: S | undefined;
    return {
      clock,
      instance: async () => (store ??= make(clock)),
      elapse: async (ms) => clock.advance(ms),
    };
  };
}

/** Redis mode: each instance its own connections to the one server. */
function redis<S>(make: (clock: TestClock) => Promise<S>): () => Backend<S> {
  return () => {
    const clock = new TestClock();
    return {
      clock,
      instance: () => make(clock),
      async elapse(ms) {
        clock.advance(ms);
        await sleep(ms);
      },
    };
  };
}

/** A subscriber connection whose subscription is in place, so nothing published after this is missed. */
async function subscribed(subscribe: (subscriber: Redis) => Promise<unknown>): Promise<Redis> {
  const subscriber = connect();
  await subscribe(subscriber);
  return subscriber;
}

describe.each([
  ['memory', memory<HandoffStore>((clock) => new MemoryHandoffStore(clock.now))],
  ['Redis', redis<HandoffStore>(async (clock) => new RedisHandoffStore(connect(), clock.now))],
])('handoff store on %s', (_name, backend) => handoffStoreContract(backend));

const boundTtl = { engagedS: BOUND_CONTRACT_KEPT_S, anonymousS: BOUND_CONTRACT_KEPT_S };
describe.each([
  ['memory', memory<HandoffStore>((clock) => new MemoryHandoffStore(clock.now, boundTtl))],
  ['Redis', redis<HandoffStore>(async (clock) => new RedisHandoffStore(connect(), clock.now, boundTtl))],
])('what the handoff store on %s holds of the history', (_name, backend) => handoffBoundsContract(backend));

describe.each([
  ['memory', memory<ConsoleBus>(() => new MemoryConsoleBus())],
  ['Redis', redis<ConsoleBus>(async () => new RedisConsoleBus(connect(), await subscribed((s) => s.subscribe(keys.channel('console')))))],
])('console bus on %s', (_name, backend) => consoleBusContract(backend));

describe.each([
  ['memory', memory<DirectLineStore>((clock) => new MemoryDirectLineStore(DIRECT_LINE_CONTRACT.ttl, DIRECT_LINE_CONTRACT.caps, clock.now))],
  [
    'Redis',
    redis<DirectLineStore>(
      async () =>
        new RedisDirectLineStore(connect(), await subscribed((s) => s.psubscribe(keys.channel('directline:*'))), DIRECT_LINE_CONTRACT.ttl, DIRECT_LINE_CONTRACT.caps),
    ),
  ],
])('Direct Line store on %s', (_name, backend) => directLineStoreContract(backend));

describe.each([
  ['memory', memory<OtpStore>((clock) => new MemoryOtpStore(clock.now))],
  ['Redis', redis<OtpStore>(async () => new RedisOtpStore(connect()))],
])('one-time code store on %s', (_name, backend) => otpStoreContract(backend));

describe.each([
  ['memory', memory<AgentSessionStore>((clock) => new MemoryAgentSessionStore(clock.now))],
  ['Redis', redis<AgentSessionStore>(async () => new RedisAgentSessionStore(connect()))],
])('agent session store on %s', (_name, backend) => sessionStoreContract(backend));

describe.each([
  ['memory', memory<Throttle>((clock) => new MemoryThrottle(clock.now))],
  ['Redis', redis<Throttle>(async () => new RedisThrottle(connect()))],
])('throttle on %s', (_name, backend) => throttleContract(backend));
