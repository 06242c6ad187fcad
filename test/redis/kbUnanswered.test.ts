import type { FakeChannel } from '../support/channel';
import { roundRobinChannel, startInstance, type Instance } from '../support/cluster';
import { RedisServer } from '../support/redis';
import { until } from '../support/until';
import { main } from '../../bot/kb/cli';

/** `npm run kb -- unanswered` against the Redis the instances share, with only what it uses set. */

let redis: RedisServer;
let kefu: Instance;
let channel: FakeChannel;

beforeAll(async () => {
  redis = await RedisServer.start();
  kefu = await startInstance({ REDIS_URL: redis.url });
  channel = await roundRobinChannel(() => [kefu]);
});
afterAll(async () => {
  await channel?.stop();
  await kefu?.stop();
  await redis?.destroy();
});

/** The CLI in-process with exactly `env`, as `REDIS_URL=… npm run kb -- unanswered --json` runs it. */
async function unanswered(env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    const code = await main(['unanswered', '--json'], env);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

test('REDIS_URL alone is enough: no OTP_SECRET or DIRECTLINE_SECRET, which it does not use', async () => {
  await channel.ask('kb-u-1', '你们支持用火星币付款吗？');
  let groups: { examples: string[] }[] = [];
  await until(async () => {
    const { code, out } = await unanswered({ REDIS_URL: redis.url });
    expect(code).toBe(0);
    groups = JSON.parse(out) as { examples: string[] }[];
    return groups.length > 0;
  });
  expect(groups.flatMap((g) => g.examples)).toContain('你们支持用火星币付款吗？');
});
