import { FakeChannel } from '../support/channel';
import { startInstance, type Instance } from '../support/cluster';
import { latestCode } from '../support/kefuServer';
import { RedisServer } from '../support/redis';

/**
 * The limits on one-time codes under concurrency, end to end: two real Kefu processes on
 * one Redis, an attacker's guesses arriving at once from many conversations spread over
 * both. At most 5 guesses at a code are ever evaluated, and a code is accepted once.
 */
jest.setTimeout(120_000);

let redis: RedisServer;
let a: Instance;
let b: Instance;
let onA: FakeChannel;
let onB: FakeChannel;

beforeAll(async () => {
  redis = await RedisServer.start();
  // Every conversation here asks from 127.0.0.1: the per-address SMS limit (tested in limits.test.ts) is lifted.
  const env = { REDIS_URL: redis.url, LIMIT_SMS_PER_ADDRESS: '1000/1h', LIMIT_SMS_TOTAL: '1000/1h' };
  [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
  onA = new FakeChannel(() => a.url);
  onB = new FakeChannel(() => b.url);
  await Promise.all([onA.start(), onB.start()]);
});
afterAll(async () => {
  await onA?.stop();
  await onB?.stop();
  await a?.stop();
  await b?.stop();
  await redis?.destroy();
});

/** Conversation i talks to instance A when i is even, to B when odd. */
const channelOf = (i: number) => (i % 2 === 0 ? onA : onB);

/** Runs `work` for 0..n-1, at most `width` at a time (the set-up is not the race). */
async function inBatches(n: number, width: number, work: (i: number) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < n; start += width) {
    await Promise.all(Array.from({ length: Math.min(width, n - start) }, (_, j) => work(start + j)));
  }
}

/**
 * `n` conversations for one number, all waiting for its code: the first one had it sent,
 * the others were told the one sent is still valid (the code is the number's, not the
 * conversation's).
 */
async function conversationsAskingForCode(prefix: string, phone: string, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  const prepare = async (i: number) => {
    const channel = channelOf(i);
    await channel.ask(ids[i]!, '帮我解锁');
    const [reply] = await channel.ask(ids[i]!, phone);
    expect(reply?.text).toMatch(/验证码已发送至|验证码仍然有效/);
  };
  await prepare(0);
  await inBatches(n - 1, 10, (i) => prepare(i + 1));
  return ids;
}

/** Every conversation sends its text at the same moment; returns each one's first reply. */
async function allAtOnce(ids: string[], textOf: (i: number) => string): Promise<string[]> {
  return Promise.all(
    ids.map(async (id, i) => {
      const [reply] = await channelOf(i).ask(id, textOf(i));
      return reply?.text ?? '';
    }),
  );
}

const wrongOf = (code: string) => (code === '000000' ? '111111' : '000000');

test('100 wrong guesses at once over two instances: 5 evaluated, then even the right code is refused', async () => {
  const phone = '13800000002';
  const ids = await conversationsAskingForCode('guess', phone, 100);
  const code = await latestCode(a.url, phone);
  expect(code).toMatch(/^\d{6}$/);

  const replies = await allAtOnce(ids, () => wrongOf(code));
  const wrong = replies.filter((text) => text.startsWith('验证码不正确'));
  const usedUp = replies.filter((text) => text.startsWith('输错次数太多'));
  expect(wrong.length + usedUp.length).toBe(5);
  expect(usedUp).toHaveLength(1);
  expect(wrong.map((text) => /再试 (\d) 次/.exec(text)?.[1]).sort()).toEqual(['1', '2', '3', '4']);

  // The code is dead: the right one is refused in every conversation, on both instances.
  const [first, second] = await Promise.all([onA.ask(ids[0]!, code), onB.ask(ids[1]!, code)]);
  for (const reply of [first[0], second[0]]) expect(reply?.text).not.toContain('验证通过');
  const account = (await (await fetch(`${b.url}/api/dev/accounts/${phone}`)).json()) as { status: string };
  expect(account.status).toBe('locked');
});

test('the right code sent at once from 30 conversations is accepted exactly once, and never again', async () => {
  const phone = '13800000003';
  const ids = await conversationsAskingForCode('right', phone, 31);
  const code = await latestCode(a.url, phone);
  const racers = ids.slice(0, 30);

  const replies = await allAtOnce(racers, () => code);
  expect(replies.filter((text) => text.startsWith('验证通过'))).toHaveLength(1);

  // The 31st conversation, which took no part in the race, cannot use it either.
  const [late] = await channelOf(30).ask(ids[30]!, code);
  expect(late?.text).not.toContain('验证通过');
});

test('wrong guesses racing the right code do not bring a used code back', async () => {
  const phone = '13800000008';
  const ids = await conversationsAskingForCode('mixed', phone, 12);
  const code = await latestCode(a.url, phone);
  // Fewer than 5 wrong ones: the right one is accepted, whatever the order.
  const racers = ids.slice(0, 4);
  const replies = await allAtOnce(racers, (i) => (i === 0 ? code : wrongOf(code)));
  expect(replies.filter((text) => text.startsWith('验证通过'))).toHaveLength(1);

  // Had a wrong guess written the record back after the right one consumed it, these would pass.
  const again = await allAtOnce(ids.slice(4), () => code);
  expect(again.filter((text) => text.startsWith('验证通过'))).toHaveLength(0);
});
