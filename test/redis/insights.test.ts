import Redis from 'ioredis';
import { chinaDay, insightsSchema, type Insights } from '../../bot/desk/insights';
import { insightsKey, RedisInsights } from '../../bot/storage/redis/insights';
import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { startInstance, type Instance } from '../support/cluster';
import { FakeChannel } from '../support/channel';
import { RedisServer } from '../support/redis';
import { until } from '../support/until';

/** The knowledge desk's daily counters on Redis: they outlive the bot process and stay bounded. */
jest.setTimeout(90_000);

const DAY = 86_400_000;
let redis: RedisServer;
let kefu: Instance | undefined;
let channel: FakeChannel;
let client: Redis;

beforeAll(async () => {
  redis = await RedisServer.start();
  client = new Redis(redis.url, { lazyConnect: true });
  await client.connect();
  kefu = await startInstance({ REDIS_URL: redis.url });
  channel = new FakeChannel(() => kefu!.url);
  await channel.start();
});
afterAll(async () => {
  await channel?.stop();
  await kefu?.stop();
  client?.disconnect();
  await redis?.destroy();
});

async function insightsAsLead(url: string): Promise<Insights> {
  const lin = await AgentClient.signIn(url, ...DEMO_AGENTS.lin);
  const { status, body } = await lin.get('/api/knowledge/insights?days=30');
  expect(status).toBe(200);
  return insightsSchema.parse(body);
}

test('what users did today is still counted after the bot process is stopped and started again', async () => {
  // Answered by the bot, with a 👍.
  await channel.ask('r-1', '验证码收不到怎么办');
  await channel.ask('r-1', '👍 有帮助');
  // Fell back, then a person: claimed, resolved, rated 4.
  await channel.ask('r-2', '今天天气怎么样');
  const wang = await AgentClient.signIn(kefu!.url, ...DEMO_AGENTS.wang);
  const events = await wang.stream();
  try {
    await until(async () => ((await wang.get<{ agentsOnline: number }>('/api/agent/board')).body.agentsOnline ?? 0) >= 1);
    await channel.ask('r-2', '转人工');
    const board = (await wang.get<{ queue: { id: string }[] }>('/api/agent/board')).body;
    const id = board.queue[0]?.id;
    expect(id).toBeDefined();
    const before = channel.messages('r-2').length;
    expect((await wang.post(`/api/agent/chats/${id}/claim`)).status).toBe(200);
    await channel.waitForMessages('r-2', before + 1);
    expect((await wang.post(`/api/agent/chats/${id}/resolve`)).status).toBe(200);
    const [rating] = (await channel.waitForMessages('r-2', before + 2)).slice(before + 1);
    expect(rating?.text).toContain('请为客服的服务打个分');
    await channel.ask('r-2', '4');
  } finally {
    events.close();
  }
  const expected = { conversations: 2, answeredByBot: 1, fallbacks: 1, thumbsUp: 1, thumbsDown: 0, handoffs: { 'user-request': 1 }, csat: { count: 1, sum: 4 } };
  const first = await insightsAsLead(kefu!.url);
  expect(first.days.at(-1)).toEqual(expect.objectContaining(expected));

  await kefu!.stop();
  kefu = await startInstance({ REDIS_URL: redis.url });
  const again = await insightsAsLead(kefu.url);
  expect(again.days.at(-1)).toEqual(expect.objectContaining(expected));
  expect(again.topUnanswered).toEqual([{ wording: '今天天气怎么样', count: 1 }]);
});

test('Redis keeps at most the configured days: one hash per day, each expiring keepDays after its day began', async () => {
  // Redis expires by its own clock: the days are counted back from now.
  const now = Date.now();
  const bounded = new RedisInsights(client, 30, () => now);
  const earlier = await client.keys('kefu:{kefu}:insights:*');
  if (earlier.length > 0) await client.del(...earlier);
  for (let daysAgo = 0; daysAgo < 60; daysAgo++) await bounded.record({ kind: 'conversation' }, now - daysAgo * DAY);
  const keys = (await client.keys('kefu:{kefu}:insights:*')).sort();
  expect(keys).toHaveLength(30);
  expect(keys[0]).toBe(insightsKey(chinaDay(now - 29 * DAY)));
  expect(keys.at(-1)).toBe(insightsKey(chinaDay(now)));
  // Counters, not logs: one small hash a day whatever the traffic.
  for (let i = 0; i < 50; i++) await bounded.record({ kind: 'fallback' }, now);
  expect(await client.hgetall(insightsKey(chinaDay(now)))).toEqual({ conversations: '1', fallbacks: '50' });
  // Today is kept 30 days from Beijing midnight this morning.
  const midnight = Date.parse(`${chinaDay(now)}T00:00:00+08:00`);
  expect(await client.pexpiretime(insightsKey(chinaDay(now)))).toBe(midnight + 30 * DAY);
  expect(await client.pexpiretime(keys[0]!)).toBe(midnight + DAY);
});
