import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_AGENTS } from '../support/agentClient';
import { FakeChannel } from '../support/channel';
import { startInstance, type Instance } from '../support/cluster';
import { startKefu, type RunningKefu } from '../support/kefuServer';
import { remoteEntrance, request, type RemoteEntrance } from '../support/remoteClient';

/**
 * Without MicrosoftAppId, /api/messages must not be a relay: the bot POSTs its replies to the
 * activity's serviceUrl, so only the Emulator on this machine (loopback client and serviceUrl)
 * may use it, and in production nobody. The web chat widget (embedded Direct Line, in-process)
 * keeps working from anywhere; the development routes and the demo agents answer only here.
 */
jest.setTimeout(60_000);

/** A service on this machine an attacker would like the bot to call; it records what reaches it. */
async function startTarget(): Promise<{ port: number; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ id: 'x' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An Emulator-style activity, posted with a bounded wait (old code would try to deliver the reply). */
async function postActivity(botUrl: string, serviceUrl: unknown, text = 'how do i unlock my account'): Promise<number> {
  const conversation = `relay-${crypto.randomUUID()}`;
  const response = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      id: crypto.randomUUID(),
      channelId: 'emulator',
      serviceUrl,
      conversation: { id: conversation },
      from: { id: 'attacker', role: 'user' },
      recipient: { id: 'kefu-bot' },
      text,
      locale: 'en-US',
    }),
    signal: AbortSignal.timeout(20_000),
  });
  await response.arrayBuffer();
  return response.status;
}

/** The widget's way in: a token, a Direct Line conversation, a message, the bot's reply. */
async function widgetAsks(base: string, text: string): Promise<string[]> {
  const token = await request(`${base}/api/webchat/token`, 'POST');
  expect(token.status).toBe(200);
  const grant = token.body as { token: string; conversationId: string; domain: string };
  // The domain is relative to the page that asked, as Web Chat resolves it.
  const domain = new URL(grant.domain, base).href;
  const auth = { authorization: `Bearer ${grant.token}` };
  expect((await request(`${domain}/conversations`, 'POST', {}, auth)).status).toBe(201);
  const posted = await request(`${domain}/conversations/${grant.conversationId}/activities`, 'POST', { type: 'message', text, locale: 'en-US' }, auth);
  expect(posted.status).toBe(200);
  const { id } = posted.body as { id: string };
  const deadline = Date.now() + 15_000;
  for (;;) {
    const log = (await request(`${domain}/conversations/${grant.conversationId}/activities`, 'GET', undefined, auth)).body as {
      activities: { type: string; replyToId?: string; text?: string; from: { id: string } }[];
    };
    const replies = log.activities.filter((a) => a.type === 'message' && a.replyToId === id).map((a) => a.text ?? '');
    if (replies.length > 0) return replies;
    if (Date.now() > deadline) throw new Error(`no reply in ${JSON.stringify(log.activities.map((a) => a.text))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a real bot process in development, without MicrosoftAppId', () => {
  let bot: Instance;
  let channel: FakeChannel;
  let target: Awaited<ReturnType<typeof startTarget>>;

  beforeAll(async () => {
    bot = await startInstance({});
    channel = new FakeChannel(() => bot.url);
    await channel.start();
    target = await startTarget();
  });
  afterAll(async () => {
    await bot?.stop();
    await channel?.stop();
    await target?.close();
  });

  test('the start-up log says the endpoint is open only to the Emulator on this machine', () => {
    expect(bot.listening.auth).toMatch(/only to the Emulator on this machine/);
  });

  test('a serviceUrl that is not loopback gets 403, and nothing reaches the service it names', async () => {
    // 0.0.0.0 connects to this machine's services, yet is no loopback address; the userinfo
    // trick puts a loopback-looking prefix before the real host.
    const urls = [`http://0.0.0.0:${target.port}`, `http://127.0.0.1@0.0.0.0:${target.port}/`, `http://0x0:${target.port}/api/`];
    const answered: [string, number][] = [];
    for (const serviceUrl of urls) answered.push([serviceUrl, await postActivity(bot.url, serviceUrl)]);
    // The bot still answers the Emulator; by then any reply to the target would have been sent.
    const [answer] = await channel.ask('relay-emulator', 'how do i unlock my account');
    expect(answer?.text).toBeTruthy();
    expect({ answered, reachedTarget: target.hits }).toEqual({ answered: urls.map((url) => [url, 403]), reachedTarget: [] });
  });

  test('malformed serviceUrls are refused (400 or 403), never followed, and the bot keeps serving', async () => {
    const urls = ['http://[::1', 'javascript:alert(1)', 'file:///etc/passwd', 'ftp://127.0.0.1/', '//127.0.0.1/x', 'http://', 42, null, { href: 'http://127.0.0.1' }];
    const answered: [unknown, number][] = [];
    for (const serviceUrl of urls) answered.push([serviceUrl, await postActivity(bot.url, serviceUrl)]);
    expect(answered.filter(([, status]) => status !== 400 && status !== 403)).toEqual([]);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    expect(target.hits).toEqual([]);
  });

  test('the Emulator on this machine is served as before (loopback client, loopback serviceUrl, or localhost)', async () => {
    const [answer] = await channel.ask('relay-ok', 'how do i unlock my account');
    expect(answer?.text).toMatch(/password|unlock|support/i);
    expect(await postActivity(bot.url, `http://localhost:${target.port}`)).toBe(200);
    expect(target.hits.length).toBeGreaterThan(0);
  });
});

describe('a real bot process in production, without MicrosoftAppId', () => {
  let bot: Instance;
  let channel: FakeChannel;

  beforeAll(async () => {
    bot = await startInstance({ NODE_ENV: 'production' });
    channel = new FakeChannel(() => bot.url);
    await channel.start();
  });
  afterAll(async () => {
    await bot?.stop();
    await channel?.stop();
  });

  test('the start-up log says /api/messages is closed', () => {
    expect(bot.listening.auth).toMatch(/closed/);
  });

  test('/api/messages answers 403 even to the Emulator on this machine, and the bot sends nothing', async () => {
    expect((await channel.join('prod-1')).status).toBe(403);
    expect((await channel.say('prod-1', 'how do i unlock my account')).status).toBe(403);
    expect(channel.sent('prod-1')).toEqual([]);
  });

  test('the web chat widget still works through the embedded Direct Line', async () => {
    const replies = await widgetAsks(bot.url, 'how do i unlock my account');
    expect(replies.join(' ')).toMatch(/password|unlock|support/i);
  });
});

describe('clients on other machines (an entrance whose peers look remote)', () => {
  let kefu: RunningKefu;
  let remote: RemoteEntrance;

  beforeAll(async () => {
    kefu = await startKefu();
    remote = await remoteEntrance(kefu.app.server.server);
  });
  afterAll(async () => {
    await kefu?.stop();
    await remote?.close();
  });

  test('/api/messages → 403 even with a loopback serviceUrl; nothing is sent', async () => {
    const activity = {
      type: 'message',
      channelId: 'emulator',
      serviceUrl: kefu.channel.serviceUrl,
      conversation: { id: 'remote-1' },
      from: { id: 'u' },
      recipient: { id: 'kefu-bot' },
      text: 'hello',
    };
    expect((await request(`${remote.url}/api/messages`, 'POST', activity)).status).toBe(403);
    expect(kefu.channel.sent('remote-1')).toEqual([]);
  });

  test('the development routes answer only this machine', async () => {
    for (const [method, path] of [
      ['GET', '/api/dev/sms?phone=13800000002'],
      ['GET', '/api/dev/accounts/13800000002'],
      ['POST', '/api/dev/reset'],
    ] as const) {
      expect([path, (await request(`${remote.url}${path}`, method)).status]).toEqual([path, 403]);
      expect([path, (await request(`${kefu.url}${path}`, method)).status]).toEqual([path, 200]);
    }
    // Through a proxy on this machine, from a page re-bound to 127.0.0.1, or for another site: not local.
    for (const headers of [{ 'x-forwarded-for': '203.0.113.7' }, { host: 'rebind.example' }, { 'sec-fetch-site': 'cross-site' }] as Record<string, string>[]) {
      expect([headers, (await request(`${kefu.url}/api/dev/sms?phone=13800000002`, 'GET', undefined, headers)).status]).toEqual([headers, 403]);
    }
  });

  test('the demo agents, whose passwords are public, cannot sign in from elsewhere', async () => {
    const [id, password] = DEMO_AGENTS.wang;
    const fromElsewhere = await request(`${remote.url}/api/agent/session`, 'POST', { id, password }, { 'x-kefu-agent': '1' });
    expect(fromElsewhere.status).toBe(403);
    expect(fromElsewhere.headers['set-cookie']).toBeUndefined();
    expect((await request(`${kefu.url}/api/agent/session`, 'POST', { id, password }, { 'x-kefu-agent': '1' })).status).toBe(200);
  });

  test('the web chat widget works from elsewhere', async () => {
    const replies = await widgetAsks(remote.url, 'how do i unlock my account');
    expect(replies.join(' ')).toMatch(/password|unlock|support/i);
  });
});
