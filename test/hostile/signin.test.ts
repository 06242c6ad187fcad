import crypto from 'node:crypto';
import { DEMO_AGENTS_FILE } from '../../bot/handoff/agents';
import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { kefuPair } from '../support/cluster';
import { startKefu, type RunningKefu } from '../support/kefuServer';
import { remoteEntrance, request, type Reply } from '../support/remoteClient';

/**
 * Agent sign-in under attack, in memory and on Redis (two instances): concurrent guesses are
 * counted before any password is hashed; a stranger hammering a name does not keep the agent
 * out of the browser they signed in from before; hashing has a global cap, so a flood of
 * sign-ins is turned away at once instead of clogging the thread pool that serves files.
 * And the agent's cookie cannot be used by another site's page to change anything.
 */
jest.setTimeout(90_000);

const statuses = (replies: { status: number }[]) => replies.reduce<Record<number, number>>((count, r) => ({ ...count, [r.status]: (count[r.status] ?? 0) + 1 }), {});

/** Fires `flood`, then asks for the widget page and /healthz while it runs. */
async function duringFlood(flood: () => Promise<Reply>[], pageUrl: string): Promise<{ replies: Reply[]; page: number; health: number }> {
  const inFlight = flood();
  const [page, health] = await Promise.all([fetch(`${pageUrl}/`), fetch(`${pageUrl}/healthz`)]);
  await Promise.all([page.arrayBuffer(), health.arrayBuffer()]);
  return { replies: await Promise.all(inFlight), page: page.status, health: health.status };
}

const signInBody = (id: string, password: string) => ({ id, password });

describe.each(['memory', 'redis'])('%s', (kind) => {
  // The demo agents named in a file, as an operator's agents: the API is open to other machines.
  const pair = kefuPair(kind, { AGENTS_FILE: DEMO_AGENTS_FILE });

  test('40 concurrent wrong passwords for one name: at most 6 are checked, the rest get 429 with a Retry-After of at most a minute', async () => {
    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => AgentClient.anonymous(i % 2 ? pair.a.url : pair.b.url).signIn('alice', `wrong-${i}`)));
    const checked = replies.filter((r) => r.status === 401).length;
    const waiting = replies.filter((r) => r.status === 429);
    // Five are free; a sixth only if the requests took over 2 s to arrive.
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(checked).toBeLessThanOrEqual(6);
    expect(checked + waiting.length).toBe(40);
    for (const reply of waiting) expect(Number(reply.retryAfter)).toBeGreaterThanOrEqual(1);
    for (const reply of waiting) expect(Number(reply.retryAfter)).toBeLessThanOrEqual(60);
  });

  test('a stranger locking out a name cannot stop the agent from the browser they signed in with before', async () => {
    const desk = await AgentClient.signIn(pair.a.url, ...DEMO_AGENTS.wang);
    expect((await desk.request('DELETE', '/api/agent/session')).status).toBe(204);

    const attacker = AgentClient.anonymous(pair.b.url);
    const guesses = await Promise.all(Array.from({ length: 12 }, (_, i) => attacker.signIn('wang', `guess-${i}`)));
    expect(guesses.filter((g) => g.status === 429).length).toBeGreaterThan(0);
    // The name is locked for anyone without the mark, even with the right password …
    const stranger = await AgentClient.anonymous(pair.a.url).signIn(...DEMO_AGENTS.wang);
    expect(stranger.status).toBe(429);
    expect(Number(stranger.retryAfter)).toBeLessThanOrEqual(60);
    // … but the agent's own browser goes straight in, on either instance.
    expect((await desk.signIn(...DEMO_AGENTS.wang)).status).toBe(200);
    expect((await desk.get('/api/agent/me')).status).toBe(200);
    // And the agent's sign-in does not reopen the name to the attacker.
    expect((await attacker.signIn('wang', 'guess-again')).status).toBe(429);
  });

  test('a flood of sign-ins under random names from one address: at most 20 are checked; the widget page answers meanwhile', async () => {
    const remote = await remoteEntrance(pair.a.app.server.server, () => '198.51.100.23');
    try {
      const { replies, page, health } = await duringFlood(
        () => Array.from({ length: 60 }, () => request(`${remote.url}/api/agent/session`, 'POST', signInBody(`r-${crypto.randomUUID()}`, 'x'), { 'x-kefu-agent': '1' })),
        pair.a.url,
      );
      const count = statuses(replies);
      expect(count[401] ?? 0).toBeLessThanOrEqual(20);
      expect((count[401] ?? 0) + (count[429] ?? 0) + (count[503] ?? 0)).toBe(60);
      expect([page, health]).toEqual([200, 200]);
    } finally {
      await remote.close();
    }
  });

  test('a flood from many addresses: hashing is capped, most of the flood gets 503 with Retry-After at once', async () => {
    const remote = await remoteEntrance(pair.a.app.server.server, (n) => `198.18.${Math.floor(n / 250)}.${(n % 250) + 1}`);
    try {
      const { replies, page, health } = await duringFlood(
        () => Array.from({ length: 100 }, () => request(`${remote.url}/api/agent/session`, 'POST', signInBody(`r-${crypto.randomUUID()}`, 'x'), { 'x-kefu-agent': '1' })),
        pair.a.url,
      );
      const count = statuses(replies);
      expect((count[401] ?? 0) + (count[503] ?? 0)).toBe(100);
      expect(count[503] ?? 0).toBeGreaterThan(count[401] ?? 0);
      for (const reply of replies.filter((r) => r.status === 503)) expect(reply.headers['retry-after']).toBe('1');
      expect([page, health]).toEqual([200, 200]);
    } finally {
      await remote.close();
    }
  });
});

describe('cross-site requests carrying the agent’s cookie', () => {
  let kefu: RunningKefu;
  beforeAll(async () => {
    kefu = await startKefu();
  });
  afterAll(async () => {
    await kefu?.stop();
  });

  interface Board {
    queue: { id: string }[];
    active: { id: string }[];
    tickets: { id: string }[];
  }
  const board = async (agent: AgentClient) => (await agent.get<Board>('/api/agent/board')).body;
  const FORMS = [
    ['application/x-www-form-urlencoded', 'a=1'],
    ['text/plain', '{"text":"hi"}'],
  ] as const;

  test('a form post to close a ticket, claim, resolve, write or sign out is refused and changes nothing', async () => {
    // No agent online yet: the user leaves a message, which becomes a ticket.
    await kefu.channel.ask('csrf-t', '转人工');
    await kefu.channel.ask('csrf-t', '留言');
    await kefu.channel.ask('csrf-t', '13800000001');
    await kefu.channel.ask('csrf-t', '请尽快联系我');
    const wang = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.wang);
    const ticket = (await board(wang)).tickets[0]!.id;
    for (const [type, body] of FORMS) expect([type, (await wang.crossSite('POST', `/api/agent/tickets/${ticket}/close`, body, type)).status]).toEqual([type, 403]);
    expect((await board(wang)).tickets.map((t) => t.id)).toEqual([ticket]);

    const events = await wang.stream();
    try {
      await kefu.channel.ask('csrf-c', '转人工');
      const chat = (await board(wang)).queue[0]!.id;
      for (const [type, body] of FORMS) expect([type, (await wang.crossSite('POST', `/api/agent/chats/${chat}/claim`, body, type)).status]).toEqual([type, 403]);
      expect((await board(wang)).queue.map((q) => q.id)).toEqual([chat]);

      const before = kefu.channel.messages('csrf-c').length;
      expect((await wang.post(`/api/agent/chats/${chat}/claim`)).status).toBe(200);
      await kefu.channel.waitForMessages('csrf-c', before + 1);
      const claimed = kefu.channel.messages('csrf-c').length;
      for (const [type, body] of FORMS) {
        expect([type, (await wang.crossSite('POST', `/api/agent/chats/${chat}/resolve`, body, type)).status]).toEqual([type, 403]);
        expect([type, (await wang.crossSite('POST', `/api/agent/chats/${chat}/messages`, body, type)).status]).toEqual([type, 403]);
        expect([type, (await wang.crossSite('POST', `/api/agent/chats/${chat}/notes`, body, type)).status]).toEqual([type, 403]);
        expect([type, (await wang.crossSite('DELETE', '/api/agent/session', body, type)).status]).toEqual([type, 403]);
      }
      // A multipart form is turned away before any parser runs.
      expect((await wang.crossSite('POST', `/api/agent/chats/${chat}/resolve`, '--x\r\n\r\n--x--', 'multipart/form-data; boundary=x')).status).toBe(415);
      expect((await board(wang)).active.map((c) => c.id)).toEqual([chat]);
      const detail = (await wang.get<{ handoff: { status: string }; notes: unknown[] }>(`/api/agent/chats/${chat}`)).body;
      expect([detail.handoff.status, detail.notes]).toEqual(['active', []]);
      expect(kefu.channel.messages('csrf-c')).toHaveLength(claimed);
      expect((await wang.get('/api/agent/me')).status).toBe(200);
      // The console's own calls still work.
      expect((await wang.post(`/api/agent/chats/${chat}/resolve`)).status).toBe(200);
      expect((await wang.request('DELETE', '/api/agent/session')).status).toBe(204);
    } finally {
      events.close();
    }
  });
});
