import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { FakeChannel } from '../support/channel';
import { type Instance, instanceOnOwnRedis, startInstance } from '../support/cluster';
import { latestCode } from '../support/kefuServer';
import { RedisServer } from '../support/redis';
import { until } from '../support/until';

/** Faults: the tests' own Redis restarted and stopped, an instance gone mid-handoff. */
jest.setTimeout(60_000);

async function readiness(instance: Instance): Promise<number> {
  return (await fetch(`${instance.url}/readyz`)).status;
}


describe('one instance, its Redis restarted or stopped', () => {
  const own = instanceOnOwnRedis();

  test('Redis restarted mid-flow (append-only file on): the flow continues where it was', async () => {
    await own.channel.ask('restart-1', '帮我解锁');
    await own.channel.ask('restart-1', '13800000002');
    const code = await latestCode(own.kefu.url, '13800000002');
    await own.redis.stop();
    await own.redis.start();
    await until(async () => (await readiness(own.kefu)) === 200);
    const [done] = await own.channel.ask('restart-1', code);
    expect(done?.text).toContain('账户已解锁');
  });

  test('Redis stopped: one clear "暂时无法服务", /readyz not ready; back by itself when Redis returns', async () => {
    await own.channel.ask('down-1', '今天天气怎么样');
    await own.redis.stop();
    const [sorry, ...more] = await own.channel.ask('down-1', '讲个笑话');
    expect(sorry?.text).toContain('暂时无法服务');
    expect(more).toEqual([]);
    const ready = await fetch(`${own.kefu.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual(expect.objectContaining({ status: 'not ready', store: 'redis: unreachable' }));

    await own.redis.start();
    await until(async () => (await readiness(own.kefu)) === 200);
    // Nothing was lost: this is still the second question in a row the bot cannot answer.
    const [offer] = await own.channel.ask('down-1', '讲个笑话');
    expect(offer?.text).toContain('需要为您转接人工客服吗');
  });
});

test('an instance killed mid-handoff: the other carries the chat on', async () => {
  const redis = await RedisServer.start();
  const a = await startInstance({ REDIS_URL: redis.url });
  const b = await startInstance({ REDIS_URL: redis.url });
  let serving = a;
  const channel = new FakeChannel(() => serving.url);
  await channel.start();
  const agent = await AgentClient.signIn(b.url, ...DEMO_AGENTS.wang);
  const events = await agent.stream();
  try {
    await channel.ask('gone-1', '转人工');
    const id = (await agent.get<{ queue: { id: string }[] }>('/api/agent/board')).body.queue[0]!.id;
    await agent.post(`/api/agent/chats/${id}/claim`);
    await a.kill();
    // The load balancer sends the user to B from now on.
    serving = b;
    const seen = events.events.length;
    await channel.say('gone-1', 'A 不见了，我还在');
    await events.waitFor('chat', seen);
    const chat = (await agent.get<{ transcript: { text: string }[] }>(`/api/agent/chats/${id}`)).body;
    expect(chat.transcript.at(-1)?.text).toBe('A 不见了，我还在');
    const count = channel.messages('gone-1').length;
    expect((await agent.post(`/api/agent/chats/${id}/messages`, { text: '收到，我们继续' })).status).toBe(200);
    expect((await channel.waitForMessages('gone-1', count + 1)).at(-1)?.text).toBe('小王：收到，我们继续');
  } finally {
    events.close();
    await channel.stop();
    await b.stop();
    await redis.destroy();
  }
});
