import WebSocket from 'ws';
import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { type Instance, instanceOnOwnRedis, startInstance } from '../support/cluster';
import { RedisServer } from '../support/redis';
import { rawRequest, upgradeHead } from '../support/rawHttp';
import { until } from '../support/until';

/**
 * Redis away — stopped, paused, or not there yet when the bot starts: every request gets a
 * clear 503 or the one "系统暂时无法服务" sentence, the process stays up, and it recovers by
 * itself when Redis is back, streams included.
 */
jest.setTimeout(120_000);

const UNAVAILABLE = '暂时无法服务';


const status = async (instance: Instance, path: string) => (await fetch(`${instance.url}${path}`)).status;

interface WidgetChat {
  token: string;
  conversationId: string;
}

async function widgetChat(instance: Instance): Promise<WidgetChat> {
  const grant = (await (await fetch(`${instance.url}/api/webchat/token`, { method: 'POST' })).json()) as WidgetChat;
  expect((await fetch(`${instance.url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${grant.token}` } })).status).toBe(201);
  return grant;
}

/** The widget's WebSocket: resolves with the first bot message that matches. */
function streamedReply(instance: Instance, chat: WidgetChat, pattern: RegExp): { opened: Promise<void>; reply: Promise<string>; close(): void } {
  const ws = new WebSocket(`${instance.url.replace('http', 'ws')}/v3/directline/conversations/${chat.conversationId}/stream?t=${chat.token}&watermark=-`);
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const reply = new Promise<string>((resolve) =>
    ws.on('message', (data: Buffer) => {
      const set = JSON.parse(data.toString('utf8')) as { activities: { text?: string; from: { role?: string } }[] };
      const match = set.activities.find((a) => a.from.role !== 'user' && pattern.test(a.text ?? ''));
      if (match?.text) resolve(match.text);
    }),
  );
  return { opened, reply, close: () => ws.close() };
}

async function say(instance: Instance, chat: WidgetChat, text: string): Promise<number> {
  const response = await fetch(`${instance.url}/v3/directline/conversations/${chat.conversationId}/activities`, {
    method: 'POST',
    headers: { authorization: `Bearer ${chat.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'message', text }),
  });
  return response.status;
}

describe('Redis stopped under a running instance', () => {
  const own = instanceOnOwnRedis();

  test('every route answers 503 or the sentence, the process stays up, and all of it works again when Redis returns', async () => {
    const chat = await widgetChat(own.kefu);
    const auth = { authorization: `Bearer ${chat.token}` };
    await own.redis.stop();

    const answers: Record<string, number> = {};
    const send = async (name: string, path: string, init: RequestInit = {}) => (answers[name] = (await fetch(`${own.kefu.url}${path}`, init)).status);
    const conversation = `/v3/directline/conversations/${chat.conversationId}`;
    await send('new conversation', '/v3/directline/conversations', { method: 'POST', headers: auth });
    await send('get conversation', conversation, { headers: auth });
    await send('get activities', `${conversation}/activities`, { headers: auth });
    await send('post activity', `${conversation}/activities`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', text: '你好' }) });
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('%PDF-1.4\n%%EOF\n')], { type: 'application/pdf' }), 'id.pdf');
    await send('upload', `${conversation}/upload`, { method: 'POST', headers: auth, body: form });
    await send('agent sign-in', '/api/agent/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'wang', password: 'whatever' }) });
    await send('agent board', '/api/agent/board', { headers: { cookie: 'kefu_agent=some-session' } });
    await send('readyz', '/readyz');
    answers.stream = await rawRequest(own.kefu.url, upgradeHead(`${conversation}/stream?t=${chat.token}`));
    expect(answers).toEqual(Object.fromEntries(Object.keys(answers).map((name) => [name, 503])));
    // The token needs no store: the widget may load, and then meets the 503s above.
    expect([200, 503]).toContain((await fetch(`${own.kefu.url}/api/webchat/token`, { method: 'POST' })).status);
    const [sorry, ...more] = await own.channel.ask('outage-1', '忘记密码怎么办');
    expect(sorry?.text).toContain(UNAVAILABLE);
    expect(more).toEqual([]);
    expect(await status(own.kefu, '/healthz')).toBe(200);

    await own.redis.start();
    await until(async () => (await status(own.kefu, '/readyz')) === 200);
    const stream = streamedReply(own.kefu, chat, /密码/);
    await stream.opened;
    try {
      expect(await say(own.kefu, chat, '忘记密码怎么办')).toBe(200);
      expect(await stream.reply).toMatch(/忘记密码/);
    } finally {
      stream.close();
    }
    expect((await own.channel.ask('outage-1', '忘记密码怎么办'))[0]?.text).toMatch(/忘记密码/);
  });

  test('Redis paused (SIGSTOP): a turn fails fast with the sentence instead of hanging, and resumes with Redis', async () => {
    await until(async () => (await status(own.kefu, '/readyz')) === 200);
    own.redis.pause();
    try {
      const [sorry] = await own.channel.ask('paused-1', '忘记密码怎么办');
      expect(sorry?.text).toContain(UNAVAILABLE);
      expect(await status(own.kefu, '/readyz')).toBe(503);
    } finally {
      own.redis.resume();
    }
    await until(async () => (await status(own.kefu, '/readyz')) === 200);
    expect((await own.channel.ask('paused-1', '忘记密码怎么办'))[0]?.text).toMatch(/忘记密码/);
  });
});

test('started while Redis is down: up but not ready, then ready by itself when Redis appears, streams and console included', async () => {
  const redis = await RedisServer.start();
  await redis.stop();
  const kefu = await startInstance({ REDIS_URL: redis.url });
  try {
    expect(await status(kefu, '/healthz')).toBe(200);
    expect(await status(kefu, '/readyz')).toBe(503);
    await redis.start();
    await until(async () => (await status(kefu, '/readyz')) === 200);
    const chat = await widgetChat(kefu);
    const stream = streamedReply(kefu, chat, /转接|人工/);
    const agent = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.wang);
    const events = await agent.stream();
    await stream.opened;
    try {
      const seen = events.events.length;
      expect(await say(kefu, chat, '转人工')).toBe(200);
      expect(await stream.reply).toMatch(/人工|转接/);
      // Console events travel over Redis pub/sub: they arrive only if the subscription was made once Redis appeared.
      await events.waitFor('board', seen);
    } finally {
      events.close();
      stream.close();
    }
  } finally {
    await kefu.stop();
    await redis.destroy();
  }
});
