import { roundRobinChannel, startInstance, type Instance } from '../support/cluster';
import type { FakeChannel } from '../support/channel';
import { RedisServer } from '../support/redis';

/**
 * 200 simultaneous conversations across two instances for a bounded time (30 s, loopback
 * only). Each conversation repeats a three-turn exchange whose replies depend on its state
 * (two unanswered questions in a row → the offer of a person → declined), so a lost or
 * mixed-up state shows as a wrong reply. Counts, not timings, are asserted.
 */
const CONVERSATIONS = 200;
const SECONDS = Number(process.env.KEFU_LOAD_SECONDS ?? 30);
jest.setTimeout((SECONDS + 60) * 1000);

let redis: RedisServer;
let a: Instance;
let b: Instance;
let channel: FakeChannel;

beforeAll(async () => {
  redis = await RedisServer.start();
  // The rate limits are not what this measures: a quick conversation could exceed the per-user
  // one, and all 200 users speak from 127.0.0.1, which the per-address one counts as one client.
  const env = { REDIS_URL: redis.url, RATE_LIMIT_MESSAGES: '10000', LIMIT_MESSAGES_PER_ADDRESS: '1000000/1m' };
  a = await startInstance(env);
  b = await startInstance(env);
  channel = await roundRobinChannel(() => [a, b]);
});
afterAll(async () => {
  await channel?.stop();
  await a?.stop();
  await b?.stop();
  await redis?.destroy();
});

/** "fetch failed" says nothing by itself: the cause (ECONNRESET, a timeout …) is what to act on. */
function describeFailure(reason: unknown): string {
  const error = reason as { message?: string; cause?: { code?: string; message?: string } };
  return [error.message ?? String(reason), error.cause?.code ?? error.cause?.message].filter(Boolean).join(': ');
}

const EXCHANGE: { say: string; expect: string }[] = [
  { say: '今天天气怎么样', expect: '答不上来' },
  { say: '讲个笑话', expect: '需要为您转接人工客服吗' },
  { say: '不用了', expect: '您可以继续问我' },
];

test(`${CONVERSATIONS} conversations across two instances for ${SECONDS} s: every message answered once, in state`, async () => {
  const stopAt = Date.now() + SECONDS * 1000;
  const sent = new Map<string, number>();
  const wrong: string[] = [];
  // Every conversation runs to the end even when one fails, so none is still sending after the
  // test (jest would not exit), and each failure is reported with its cause.
  const ended = await Promise.allSettled(
    Array.from({ length: CONVERSATIONS }, async (_, i) => {
      const id = `load-${i}`;
      let turns = 0;
      while (Date.now() < stopAt) {
        const step = EXCHANGE[turns % EXCHANGE.length]!;
        const replies = await channel.ask(id, step.say);
        turns++;
        if (!replies[0]?.text?.includes(step.expect)) wrong.push(`${id} turn ${turns}: ${replies[0]?.text ?? '(nothing)'}`);
      }
      sent.set(id, turns);
    }),
  );
  const failed = ended.flatMap((outcome) => (outcome.status === 'rejected' ? [describeFailure(outcome.reason)] : []));
  expect(failed).toEqual([]);
  // Late duplicates would arrive after the last reply: give them a moment to show.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const total = [...sent.values()].reduce((x, y) => x + y, 0);
  const answered = [...sent.keys()].reduce((n, id) => n + channel.messages(id).length, 0);
  expect(wrong).toEqual([]);
  expect(answered).toBe(total);
  expect(Math.min(...sent.values())).toBeGreaterThanOrEqual(EXCHANGE.length);
  console.log(`load: ${CONVERSATIONS} conversations, ${total} messages in ${SECONDS} s, ${answered} replies`);
});
