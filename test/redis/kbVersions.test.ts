import { main } from '../../bot/kb/cli';
import { RedisServer } from '../support/redis';
import { startKefu, type RunningKefu } from '../support/kefuServer';
import { draftDir, WITHDRAW_ANSWER, WITHDRAW_ENTRY, WITHDRAW_QUESTION } from '../support/kbDrafts';
import { SHARED_ENV } from '../support/cluster';
import { until } from '../support/until';

/** Two instances sharing one Redis: a version published once is served by both, told by pub/sub. */
jest.setTimeout(120_000);

let redis: RedisServer;
beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(async () => {
  await redis?.destroy();
});

/** Commands may wait longer than in production: the test is about versions, not a slow Redis on a loaded machine. */
const PATIENT = { REDIS_COMMAND_TIMEOUT_MS: '10000' };

const answerTo = async (kefu: RunningKefu, question: string) => (await kefu.channel.ask(`kbv-${Math.random()}`, question))[0]?.text ?? '';
const quietly = async (run: () => Promise<number> | number) => {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    return await run();
  } finally {
    log.mockRestore();
  }
};

test('a version published once is served by both instances, and a rollback returns the old answers on both', async () => {
  // An hour between safety-net checks: only the publication notice can make the instances switch.
  const env = { ...SHARED_ENV, ...PATIENT, REDIS_URL: redis.url, KB_VERSION_CHECK_S: '3600' };
  const a = await startKefu(env);
  const b = await startKefu(env);
  try {
    expect(await answerTo(b, WITHDRAW_QUESTION)).not.toContain(WITHDRAW_ANSWER);
    expect(await quietly(() => main(['publish', draftDir(), '--by', 'seed', '--message', '初始版本'], env))).toBe(0);
    const published = Date.now();
    expect(await quietly(() => main(['publish', draftDir(WITHDRAW_ENTRY), '--by', 'lin', '--message', '新增提现到账时间'], env))).toBe(0);
    await until(async () => (await answerTo(b, WITHDRAW_QUESTION)).includes(WITHDRAW_ANSWER));
    await until(async () => (await answerTo(a, WITHDRAW_QUESTION)).includes(WITHDRAW_ANSWER));
    console.log(`both instances answered from version 2 ${Date.now() - published} ms after it was published`);
    expect(await answerTo(a, '忘记密码怎么办')).toMatch(/密码/);

    expect(await quietly(() => main(['rollback', '1', '--by', 'lin', '--message', '撤回提现条目'], env))).toBe(0);
    await until(async () => !(await answerTo(a, WITHDRAW_QUESTION)).includes(WITHDRAW_ANSWER));
    await until(async () => !(await answerTo(b, WITHDRAW_QUESTION)).includes(WITHDRAW_ANSWER));
  } finally {
    await a.stop();
    await b.stop();
  }
});

test('an instance started after a publication serves the published version from its first message', async () => {
  const env = { ...SHARED_ENV, ...PATIENT, REDIS_URL: redis.url };
  expect(await quietly(() => main(['publish', draftDir(WITHDRAW_ENTRY), '--by', 'lin', '--message', '再次新增'], env))).toBe(0);
  const late = await startKefu(env);
  try {
    expect(await answerTo(late, WITHDRAW_QUESTION)).toContain(WITHDRAW_ANSWER);
  } finally {
    await late.stop();
  }
});
