import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { FakeChannel } from '../support/channel';
import { startInstance, type Instance } from '../support/cluster';
import { TEST_DIRECTLINE_SECRET } from '../support/kefuServer';
import { RedisServer } from '../support/redis';

/**
 * Issue 13, items 7 and 10, as an attacker on 127.0.0.1 would try them against real bot
 * processes: floods of tokens, conversations, messages under rotating user ids, handoffs,
 * SMS codes to many numbers and WebSocket streams are capped per client address (and SMS
 * overall), across instances on Redis; idle conversations expire in memory mode too, and
 * anonymous ones in Redis go soon; the signals file is rotated; a deeply nested or oversized
 * activity is turned away and cannot break its conversation. Behind the trusted proxy header
 * each test speaks from its own address.
 */
jest.setTimeout(90_000);

const LIMITS = {
  TRUSTED_PROXY_HEADER: 'x-forwarded-for',
  LIMIT_CONVERSATIONS_PER_ADDRESS: '5/1h',
  LIMIT_MESSAGES_PER_ADDRESS: '20/1h',
  LIMIT_HANDOFFS_PER_ADDRESS: '3/1h',
  LIMIT_SMS_PER_ADDRESS: '3/1h',
  LIMIT_STREAMS_PER_CONVERSATION: '5',
};

interface BotActivity {
  type: string;
  text?: string;
  from: { id: string };
}

/** A Web Chat user as the embedded Direct Line sees it, from one client address. */
class WebChatUser {
  private watermark = '';
  private constructor(
    readonly url: string,
    readonly address: string,
    readonly conversationId: string,
    readonly token: string,
  ) {}

  /** A new conversation; `welcome`: wait for the bot's greeting. */
  static async open(url: string, address: string, welcome = true): Promise<WebChatUser> {
    const grant = await tokenFor(url, address);
    if (grant.status !== 200) throw new Error(`token answered ${grant.status}`);
    const { conversationId, token } = grant.body as { conversationId: string; token: string };
    const started = await fetch(`${url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': address } });
    if (started.status !== 201) throw new Error(`conversation start answered ${started.status}`);
    const user = new WebChatUser(url, address, conversationId, token);
    if (welcome) await user.botSays(1);
    return user;
  }

  post(activity: unknown): Promise<Response> {
    return fetch(`${this.url}/v3/directline/conversations/${this.conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json', 'x-forwarded-for': this.address },
      body: typeof activity === 'string' ? activity : JSON.stringify(activity),
    });
  }

  activities(): Promise<Response> {
    return fetch(`${this.url}/v3/directline/conversations/${this.conversationId}/activities`, { headers: { authorization: `Bearer ${this.token}` } });
  }

  /** Waits for at least `count` new bot messages; returns their texts. */
  async botSays(count: number): Promise<string[]> {
    const said: string[] = [];
    const deadline = Date.now() + 15_000;
    while (said.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} bot messages, got ${JSON.stringify(said)}`);
      const response = await fetch(`${this.url}/v3/directline/conversations/${this.conversationId}/activities?watermark=${this.watermark}`, {
        headers: { authorization: `Bearer ${this.token}` },
      });
      const set = (await response.json()) as { activities: BotActivity[]; watermark: string };
      this.watermark = set.watermark;
      said.push(...set.activities.filter((a) => a.type === 'message' && a.from.id === 'kefu-bot').map((a) => a.text ?? ''));
      if (said.length < count) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return said;
  }

  /** Says something; resolves with the bot's first answer. */
  async ask(text: string): Promise<string> {
    const response = await this.post({ type: 'message', text, locale: 'zh-CN' });
    if (response.status !== 200) throw new Error(`post answered ${response.status}`);
    return (await this.botSays(1)).join('\n');
  }
}

async function tokenFor(url: string, address: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/api/webchat/token`, { method: 'POST', headers: { 'x-forwarded-for': address, ...headers } });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as unknown };
}

async function limitHits(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const hits: Record<string, number> = {};
  for (const match of text.matchAll(/^kefu_limit_hits_total\{limit="([^"]+)"\} (\d+)/gm)) hits[match[1]!] = Number(match[2]);
  return hits;
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('one instance, memory', () => {
  let kefu: Instance;
  let channel: FakeChannel;
  const signalsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-signals-'));
  const signalsFile = path.join(signalsDir, 'kb-signals.jsonl');

  beforeAll(async () => {
    kefu = await startInstance({ ...LIMITS, KB_SIGNALS_FILE: signalsFile, KB_SIGNALS_MAX_BYTES: '4096', KB_SIGNALS_FILES: '2' });
    channel = new FakeChannel(() => kefu.url);
    await channel.start();
  });
  afterAll(async () => {
    await channel?.stop();
    await kefu?.stop();
    fs.rmSync(signalsDir, { recursive: true, force: true });
  });

  test('a token flood from one address is capped, then refused with 429 and one sentence; other addresses are not affected', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await tokenFor(kefu.url, '203.0.113.10')).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);

    const refused = await tokenFor(kefu.url, '203.0.113.10');
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(refused.body).toEqual({ error: { code: 'TooManyRequests', message: '您所在的网络发来的请求太多了，请稍等一会儿再试。' } });
    const english = await tokenFor(kefu.url, '203.0.113.10', { 'accept-language': 'en-US,en;q=0.9' });
    expect((english.body as { error: { message: string } }).error.message).toBe('Too many requests have come from your network; please wait a moment and try again.');

    // Whatever the client writes into the header itself is left of what the proxy appended: it does not count.
    expect((await tokenFor(kefu.url, '198.51.100.1, 203.0.113.10')).status).toBe(429);
    // Direct Line's own ways to a new conversation count against the same address.
    const generate = await fetch(`${kefu.url}/v3/directline/tokens/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_DIRECTLINE_SECRET}`, 'x-forwarded-for': '203.0.113.10' },
    });
    expect(generate.status).toBe(429);
    const direct = await fetch(`${kefu.url}/v3/directline/conversations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_DIRECTLINE_SECRET}`, 'x-forwarded-for': '203.0.113.10' },
    });
    expect(direct.status).toBe(429);

    expect((await tokenFor(kefu.url, '203.0.113.11')).status).toBe(200);
  });

  test('rotating from.id on /api/messages does not get past the per-address limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const conversation = `rotating-${i}`;
      // From the channel's own address, 127.0.0.1 (no proxy header).
      const { status } = await channel.post({
        type: 'message',
        id: `m-${i}`,
        channelId: 'emulator',
        serviceUrl: channel.serviceUrl,
        conversation: { id: conversation },
        from: { id: `user-${i}-${Math.random()}` },
        recipient: { id: 'kefu-bot' },
        text: '忘记密码怎么办',
        locale: 'zh-CN',
      });
      statuses.push(status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const answered = Array.from({ length: 30 }, (_, i) => channel.messages(`rotating-${i}`).length).filter((n) => n > 0).length;
    expect(answered).toBe(20);
  });

  test('one client cannot queue chats without end: past the cap it is told so; others still queue', async () => {
    const agent = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.wang);
    const events = await agent.stream();
    try {
      await eventually(async () => (await agent.get<{ agentsOnline: number }>('/api/agent/board')).body.agentsOnline === 1);
      const answers: string[] = [];
      for (let i = 0; i < 5; i++) answers.push(await (await WebChatUser.open(kefu.url, '203.0.113.30')).ask('转人工'));
      expect(answers.slice(0, 3).every((a) => a.includes('排在第'))).toBe(true);
      expect(answers.slice(3)).toEqual([
        '您所在的网络最近转人工和留言的次数太多了，请过一段时间再试；有问题也可以继续问我。',
        '您所在的网络最近转人工和留言的次数太多了，请过一段时间再试；有问题也可以继续问我。',
      ]);
      const real = await WebChatUser.open(kefu.url, '203.0.113.31');
      expect(await real.ask('转人工')).toContain('排在第 4 位');
      expect((await agent.get<{ queue: unknown[] }>('/api/agent/board')).body.queue).toHaveLength(4);
    } finally {
      events.close();
    }
  });

  test('codes to many distinct numbers from one address are capped (SMS pumping)', async () => {
    const phones = ['13912340001', '13912340002', '13912340003', '13912340004', '13912340005'];
    const answers: string[] = [];
    for (const phone of phones) {
      const user = await WebChatUser.open(kefu.url, '203.0.113.40');
      await user.ask('帮我解锁');
      answers.push(await user.ask(phone));
    }
    expect(answers.slice(0, 3).every((a) => a.includes('验证码已发送'))).toBe(true);
    expect(answers.slice(3).every((a) => a.startsWith('获取验证码的请求太多了，请过一段时间再试'))).toBe(true);
    const sent = await Promise.all(phones.map(async (phone) => ((await (await fetch(`${kefu.url}/api/dev/sms?phone=${phone}`)).json()) as unknown[]).length));
    expect(sent).toEqual([1, 1, 1, 0, 0]);
  });

  test('a sixth WebSocket stream on one conversation is refused; closing one makes room', async () => {
    const user = await WebChatUser.open(kefu.url, '203.0.113.50');
    const streamUrl = `${kefu.url.replace('http', 'ws')}/v3/directline/conversations/${user.conversationId}/stream?t=${encodeURIComponent(user.token)}`;
    const connect = () =>
      new Promise<{ ws: WebSocket; status: number }>((resolve) => {
        const ws = new WebSocket(streamUrl);
        ws.once('open', () => resolve({ ws, status: 101 }));
        ws.once('unexpected-response', (_req, res) => resolve({ ws, status: res.statusCode ?? 0 }));
        ws.once('error', () => resolve({ ws, status: 0 }));
      });
    const open: WebSocket[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        const { ws, status } = await connect();
        expect(status).toBe(101);
        open.push(ws);
      }
      const sixth = await connect();
      expect(sixth.status).toBe(429);
      const closed = new Promise((resolve) => open[0]!.once('close', resolve));
      open.shift()!.close();
      await closed;
      await eventually(async () => {
        const next = await connect();
        if (next.status === 101) open.push(next.ws);
        else next.ws.terminate();
        return next.status === 101;
      });
    } finally {
      for (const ws of open) ws.terminate();
    }
  });

  test('a value nested 5 000 deep is refused, and the conversation keeps working', async () => {
    const user = await WebChatUser.open(kefu.url, '203.0.113.60');
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const refused = await user.post(`{"type":"message","text":"hi","value":${deep}}`);
    expect(refused.status).toBe(400);
    expect((await user.activities()).status).toBe(200);
    expect(await user.ask('忘记密码怎么办')).toMatch(/密码/);
    expect((await user.activities()).status).toBe(200);
    // The same on /api/messages.
    const viaChannel = await channel.post(
      `{"type":"message","channelId":"emulator","serviceUrl":"${channel.serviceUrl}","conversation":{"id":"deep-1"},"from":{"id":"u"},"text":"hi","value":${deep}}`,
    );
    expect(viaChannel.status).toBe(400);
  });

  test('user activities are capped at 64 KB on the Direct Line and 256 KB on /api/messages', async () => {
    const user = await WebChatUser.open(kefu.url, '203.0.113.70');
    const big = await user.post({ type: 'message', text: 'hi', value: { blob: 'x'.repeat(100 * 1024) } });
    expect(big.status).toBe(413);
    expect(await user.ask('忘记密码怎么办')).toMatch(/密码/);
    const viaChannel = await channel.post(
      { type: 'message', channelId: 'emulator', serviceUrl: channel.serviceUrl, conversation: { id: 'big-1' }, from: { id: 'u' }, text: 'hi', value: { blob: 'x'.repeat(300 * 1024) } },
    );
    expect(viaChannel.status).toBe(413);
    // A compressed body says nothing of its unpacked size: not accepted at all.
    const bomb = zlib.gzipSync(Buffer.from(`{"type":"message","text":"hi"${' '.repeat(8 * 1024 * 1024)}}`));
    const compressed = await fetch(`${user.url}/v3/directline/conversations/${user.conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-forwarded-for': user.address },
      body: bomb,
    });
    expect(compressed.status).toBe(415);
    expect(bomb.length).toBeLessThan(64 * 1024);
  });

  test('the signals file is rotated at its size and only the configured number of old files is kept', async () => {
    const user = await WebChatUser.open(kefu.url, '203.0.113.80');
    for (let i = 0; i < 15; i++) await user.ask(`今天天气怎么样，我想问一个和业务无关的问题 ${i} ${'啊'.repeat(300)}`);
    await eventually(async () => fs.existsSync(`${signalsFile}.2`));
    for (const file of [signalsFile, `${signalsFile}.1`, `${signalsFile}.2`]) expect(fs.statSync(file).size).toBeLessThanOrEqual(4096);
    expect(fs.existsSync(`${signalsFile}.3`)).toBe(false);
  });

  test('/metrics counts every limit that refused something', async () => {
    expect(await limitHits(kefu.url)).toEqual(
      expect.objectContaining({
        'conversations-per-address': expect.any(Number),
        'messages-per-address': expect.any(Number),
        'handoffs-per-address': expect.any(Number),
        'sms-per-address': expect.any(Number),
        'streams-per-conversation': expect.any(Number),
      }),
    );
    expect(Object.values(await limitHits(kefu.url)).every((n) => n > 0)).toBe(true);
  });
});

describe('idle conversations expire in memory mode', () => {
  let kefu: Instance;
  let channel: FakeChannel;
  beforeAll(async () => {
    kefu = await startInstance({ STATE_TTL_ANONYMOUS_S: '3', STATE_TTL_S: '6' });
    channel = new FakeChannel(() => kefu.url);
    await channel.start();
  });
  afterAll(async () => {
    await channel?.stop();
    await kefu?.stop();
  });

  test('a Direct Line conversation nobody wrote in goes soon; one the user wrote in goes once idle', async () => {
    const anonymous = await WebChatUser.open(kefu.url, '127.0.0.1', false);
    const engaged = await WebChatUser.open(kefu.url, '127.0.0.1', false);
    expect(await engaged.ask('忘记密码怎么办')).toMatch(/密码/);
    await eventually(async () => (await anonymous.activities()).status === 404);
    await eventually(async () => (await engaged.activities()).status === 404);
  });

  test('the conversation state of an idle chat is gone: a flow left half-way does not come back', async () => {
    expect((await channel.ask('idle-1', '帮我解锁'))[0]?.text).toContain('手机号');
    // Well past STATE_TTL_S without a word (FLOW_IDLE_TIMEOUT_S, at least 10 s, is not what ends it).
    await new Promise((resolve) => setTimeout(resolve, 7000));
    expect((await channel.ask('idle-1', '13800000003'))[0]?.text).not.toContain('验证码已发送');
  });
});

describe('two instances on one Redis', () => {
  let redis: RedisServer;
  let a: Instance;
  let b: Instance;
  let client: Redis;
  const ANONYMOUS_TTL_S = 600;

  beforeAll(async () => {
    redis = await RedisServer.start();
    const env = { ...LIMITS, REDIS_URL: redis.url, LIMIT_SMS_TOTAL: '4/1h', STATE_TTL_ANONYMOUS_S: String(ANONYMOUS_TTL_S) };
    [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    client?.disconnect();
    await a?.stop();
    await b?.stop();
    await redis?.destroy();
  });

  test('the per-address cap on new conversations holds across both instances', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await tokenFor(i % 2 === 0 ? a.url : b.url, '203.0.113.90')).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });

  test('rotating from.id across both instances: the per-address message limit still holds', async () => {
    let next = 0;
    const channel = new FakeChannel(() => (next++ % 2 === 0 ? a.url : b.url));
    await channel.start();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) {
        const body = { type: 'message', channelId: 'emulator', serviceUrl: channel.serviceUrl, conversation: { id: `r-${i}` }, from: { id: `u-${i}` }, text: '你好', locale: 'zh-CN' };
        statuses.push((await channel.post(body)).status);
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    } finally {
      await channel.stop();
    }
  });

  test('SMS codes: capped overall per hour across instances, whatever the addresses', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) {
      const user = await WebChatUser.open(i % 2 === 0 ? a.url : b.url, `203.0.114.${i}`);
      await user.ask('帮我解锁');
      answers.push(await user.ask(`1391234100${i}`));
    }
    expect(answers.filter((a) => a.includes('验证码已发送'))).toHaveLength(4);
    expect(answers.filter((a) => a.startsWith('获取验证码的请求太多了'))).toHaveLength(2);
    const hits = { ...(await limitHits(a.url)) };
    for (const [name, n] of Object.entries(await limitHits(b.url))) hits[name] = (hits[name] ?? 0) + n;
    expect(hits['sms-total']).toBe(2);
  });

  test('a conversation nobody wrote in costs keys for minutes, not for STATE_TTL_S; the first message gives it the full time', async () => {
    const user = await WebChatUser.open(a.url, '203.0.113.92');
    const keysOf = async () => (await client.keys('kefu:*')).filter((key) => key.includes(user.conversationId));
    const ttls = async () => Promise.all((await keysOf()).map((key) => client.ttl(key)));
    expect((await keysOf()).length).toBeGreaterThanOrEqual(4);
    expect((await ttls()).every((ttl) => ttl > 0 && ttl <= ANONYMOUS_TTL_S)).toBe(true);
    expect(await user.ask('忘记密码怎么办')).toMatch(/密码/);
    expect((await ttls()).every((ttl) => ttl > ANONYMOUS_TTL_S)).toBe(true);
    // A bot reply or a notice afterwards does not shorten it again.
    await user.post({ type: 'event', name: 'ping' });
    expect((await ttls()).every((ttl) => ttl > ANONYMOUS_TTL_S)).toBe(true);
  });
});
