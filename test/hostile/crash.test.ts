import { startInstance, type Instance } from '../support/cluster';
import { startKefu } from '../support/kefuServer';
import { RedisServer } from '../support/redis';
import { rawRequest, upgradeHead } from '../support/rawHttp';

/**
 * One request must never take the process down. Every route the server mounts (read from
 * the app itself, so a new route is covered the day it is added) gets malformed paths,
 * percent-escapes, headers and bodies, and the Direct Line stream gets malformed upgrades;
 * against real processes, in memory and on Redis. Afterwards the same process still
 * answers /healthz and a user's question.
 */
jest.setTimeout(120_000);

interface Route {
  method: string;
  path: string;
}

async function mountedRoutes(): Promise<Route[]> {
  const kefu = await startKefu();
  try {
    return kefu.app.server.getDebugInfo().routes.map((route: Route) => ({ method: route.method.toUpperCase(), path: route.path }));
  } finally {
    await kefu.stop();
  }
}

const BROKEN_ESCAPES = ['%E0%A4%A', '%', '%zz', '%C0%AF%'];

/** The route's path with every `:param` replaced. */
const withParams = (path: string, value: string) => path.replace(/:\w+/g, value);

function request(method: string, target: string, headers: string[] = [], body = ''): [string, string] {
  const head = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...headers];
  if (method !== 'GET') head.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return [head.join('\r\n'), body];
}

/** Headers and bodies no well-behaved client sends, each on its own. */
const HOSTILE_HEADERS: { name: string; headers: string[]; body?: string }[] = [
  { name: 'broken bearer', headers: ['Authorization: Bearer %%%\u00ff'] },
  { name: 'basic auth', headers: ['Authorization: Basic Og=='] },
  { name: 'broken cookie escape', headers: ['Cookie: kefu_agent=%E0%A4%A; =; ;;'] },
  { name: 'spoofed host', headers: ['Host: a:99999', 'X-Forwarded-Proto: \u00ff,https', 'X-Forwarded-For: 999.1.1.1, ::zz'] },
  { name: 'truncated JSON', headers: ['Content-Type: application/json'], body: '{"type": "message", "text": ' },
  { name: 'JSON with a bad charset', headers: ['Content-Type: application/json; charset=klingon'], body: '{}' },
  { name: 'multipart without a boundary', headers: ['Content-Type: multipart/form-data'], body: '--x\r\n\r\n' },
  { name: 'form body', headers: ['Content-Type: application/x-www-form-urlencoded'], body: 'a=%E0%A4%A&__proto__[x]=1' },
  { name: 'garbage language', headers: ['Accept-Language: \u00ff;q=zz,*;q=-1'] },
];

const UPGRADE_TARGETS = [
  '/v3/directline/conversations/%E0%A4%A/stream?t=x',
  '//a:99999/v3/directline/conversations/x/stream',
  'http://[::1/v3/directline/conversations/x/stream',
  '*',
  '/v3/directline/conversations/x/stream?t=%ZZ&watermark=%',
  '/v3/directline/conversations/x/stream',
  '/api/messages',
];

async function askedAndAnswered(instance: Instance): Promise<void> {
  expect((await fetch(`${instance.url}/healthz`)).status).toBe(200);
  const grant = (await (await fetch(`${instance.url}/api/webchat/token`, { method: 'POST' })).json()) as { token: string; conversationId: string };
  const auth = { authorization: `Bearer ${grant.token}`, 'content-type': 'application/json' };
  expect((await fetch(`${instance.url}/v3/directline/conversations`, { method: 'POST', headers: auth })).status).toBe(201);
  const posted = await fetch(`${instance.url}/v3/directline/conversations/${grant.conversationId}/activities`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ type: 'message', text: '忘记密码怎么办' }),
  });
  expect(posted.status).toBe(200);
  const { activities } = (await (await fetch(`${instance.url}/v3/directline/conversations/${grant.conversationId}/activities`, { headers: auth })).json()) as {
    activities: { text?: string; from: { role?: string } }[];
  };
  expect(activities.filter((a) => a.from.role !== 'user').at(-1)?.text).toMatch(/密码/);
}

let routes: Route[];
beforeAll(async () => {
  routes = await mountedRoutes();
  expect(routes.length).toBeGreaterThan(30);
});

describe.each([
  ['in memory', false],
  ['on Redis', true],
])('%s', (_mode, onRedis) => {
  let redis: RedisServer | undefined;
  let kefu: Instance;

  beforeAll(async () => {
    redis = onRedis ? await RedisServer.start() : undefined;
    kefu = await startInstance(redis ? { REDIS_URL: redis.url } : {});
  });
  afterAll(async () => {
    await kefu?.stop();
    await redis?.destroy();
  });

  test('malformed WebSocket upgrades are refused with a status, and the process keeps serving', async () => {
    const answered: string[] = [];
    for (const target of UPGRADE_TARGETS) answered.push(`${target} → ${await rawRequest(kefu.url, upgradeHead(target))}`);
    // 400 for what cannot be read, 403/404 for what can; never a dropped connection.
    expect(answered.filter((line) => !/→ (400|403|404)$/.test(line))).toEqual([]);
    // A client that hangs up while the server is still checking its conversation.
    const grant = (await (await fetch(`${kefu.url}/api/webchat/token`, { method: 'POST' })).json()) as { token: string; conversationId: string };
    await Promise.all(
      Array.from({ length: 20 }, () => rawRequest(kefu.url, upgradeHead(`/v3/directline/conversations/${grant.conversationId}/stream?t=${grant.token}`)).catch(() => 0)),
    );
    await askedAndAnswered(kefu);
  });

  test('every route with broken percent-escapes in its path answers 400', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const targets = BROKEN_ESCAPES.map((escape) => (route.path.includes(':') ? withParams(route.path, escape) : `${route.path}/${escape}`));
      targets.push(`//a:99999${withParams(route.path, 'x')}`);
      for (const target of targets) {
        const status = await rawRequest(kefu.url, ...request(route.method, target));
        if (status !== 400) wrong.push(`${route.method} ${target} → ${status}`);
      }
    }
    expect(wrong).toEqual([]);
    await askedAndAnswered(kefu);
  });

  test('every route with hostile headers, bodies and query strings answers without a server error', async () => {
    const failed: string[] = [];
    for (const route of routes) {
      const target = `${withParams(route.path, 'x')}?watermark=%&phone=%E0%A4%A&t=%&__proto__=1`;
      for (const attack of HOSTILE_HEADERS) {
        const status = await rawRequest(kefu.url, ...request(route.method, target, attack.headers, attack.body ?? ''));
        if (status < 200 || status >= 500) failed.push(`${route.method} ${route.path} with ${attack.name} → ${status}`);
      }
    }
    expect(failed).toEqual([]);
    await askedAndAnswered(kefu);
  });
});
