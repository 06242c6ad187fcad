import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { latestCode, startKefu, kefuForTests } from '../support/kefuServer';

/** The handoff through the protocol: users on /api/messages, agents on the console API. */

interface Board {
  agentsOnline: number;
  queue: { id: string; position: number; reason: string; priority: string; channel: string }[];
  active: { id: string; agentName: string }[];
  tickets: { id: string; contact: string; text: string }[];
}
interface Chat {
  handoff: { status: string; locale: string; channel: string; context: { reason: string; trail?: Record<string, unknown>; misses: string[] } };
  transcript: { from: string; text: string; agentName?: string; attachments?: unknown[] }[];
  notes: { agentName: string; text: string }[];
}

const bot = kefuForTests();

const board = async (agent: AgentClient) => (await agent.get<Board>('/api/agent/board')).body;
const waitUntil = async (check: () => Promise<boolean>) => {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

test('the whole cycle: request, position, claim, messages both ways, resolve, rating', async () => {
  const wang = await AgentClient.signIn(bot.kefu.url, ...DEMO_AGENTS.wang);
  const events = await wang.stream();
  await waitUntil(async () => (await board(wang)).agentsOnline === 1);
  const user = 'cycle-1';

  // The user goes half-way through unlock (a code typed), then asks for a person.
  await bot.kefu.channel.ask(user, '帮我解锁');
  await bot.kefu.channel.ask(user, '13800000003');
  const code = await latestCode(bot.kefu.url, '13800000003');
  const seen = events.events.length;
  const [queued] = await bot.kefu.channel.ask(user, '转人工');
  expect(queued?.text).toContain('排在第 1 位');
  await events.waitFor('board', seen);

  const [item] = (await board(wang)).queue;
  expect(item).toEqual(expect.objectContaining({ position: 1, reason: 'user-request', priority: 'normal', channel: 'emulator' }));
  const chatPath = `/api/agent/chats/${item!.id}`;
  const before = (await wang.get<Chat>(chatPath)).body;
  expect(before.handoff.context).toEqual({
    reason: 'user-request',
    trail: { flow: 'unlock', stage: 'awaitingCode', maskedPhone: '138****0003', verified: false },
    misses: [],
  });
  expect(before.transcript.map((e) => e.from)).toEqual(['user', 'bot', 'user', 'bot', 'user', 'bot']);
  expect(JSON.stringify(before)).not.toContain('13800000003');
  expect(JSON.stringify(before)).not.toContain(code);

  const beforeClaim = bot.kefu.channel.messages(user).length;
  expect((await wang.post(`${chatPath}/claim`)).status).toBe(200);
  const [joined] = (await bot.kefu.channel.waitForMessages(user, beforeClaim + 1)).slice(beforeClaim);
  expect(joined?.text).toContain('人工客服「小王」已接入');

  // The user writes: the bot stays silent, the agent's console is told and shows it (masked).
  const chatSeen = events.events.length;
  const count = bot.kefu.channel.messages(user).length;
  expect((await bot.kefu.channel.say(user, '我的身份证号是 11010519491231002X，验证码 ' + code)).status).toBe(200);
  await events.waitFor('chat', chatSeen);
  const during = (await wang.get<Chat>(chatPath)).body;
  expect(during.transcript.at(-1)).toEqual(expect.objectContaining({ from: 'user', text: '我的身份证号是 110***********002X，验证码 ******' }));
  expect(bot.kefu.channel.messages(user)).toHaveLength(count);
  // Files reach the agent too (web links only: a javascript: URL is dropped).
  const fileSeen = events.events.length;
  const files = [
    { contentType: 'image/png', contentUrl: 'https://files.example.test/id-front.png', name: 'id-front.png' },
    { contentType: 'text/html', contentUrl: 'javascript:alert(1)', name: 'evil.html' },
  ];
  expect((await bot.kefu.channel.say(user, undefined, { attachments: files })).status).toBe(200);
  await events.waitFor('chat', fileSeen);
  const withFile = (await wang.get<Chat>(chatPath)).body;
  expect(withFile.transcript.at(-1)?.attachments).toEqual([{ name: 'id-front.png', contentType: 'image/png', url: 'https://files.example.test/id-front.png' }]);
  expect(bot.kefu.channel.messages(user)).toHaveLength(count);

  // The agent answers; the user reads it as plain text, in the same conversation.
  expect((await wang.post(`${chatPath}/messages`, { text: '已经收到，<script>alert(1)</script> 我来核实' })).status).toBe(200);
  const [reply] = (await bot.kefu.channel.waitForMessages(user, count + 1)).slice(count);
  expect(reply).toEqual(expect.objectContaining({ text: '小王：已经收到，<script>alert(1)</script> 我来核实', textFormat: 'plain' }));
  expect((await wang.post(`${chatPath}/notes`, { text: '用户已提供身份证，待核实' })).status).toBe(200);

  expect((await wang.post(`${chatPath}/resolve`)).status).toBe(200);
  const [rating] = (await bot.kefu.channel.waitForMessages(user, count + 2)).slice(count + 1);
  expect(rating?.text).toContain('请为客服的服务打个分');
  const [thanks] = await bot.kefu.channel.ask(user, '5');
  expect(thanks?.text).toContain('感谢您的评价');
  const [answer] = await bot.kefu.channel.ask(user, '忘记密码怎么办');
  expect(answer?.text).toMatch(/密码/);

  const after = (await wang.get<Chat>(chatPath)).body;
  expect(after.handoff.status).toBe('resolved');
  expect(after.notes).toEqual([expect.objectContaining({ agentName: '小王', text: '用户已提供身份证，待核实' })]);
  expect(after.transcript.filter((e) => e.from === 'agent')).toEqual([expect.objectContaining({ agentName: '小王' })]);
  expect((await board(wang)).queue).toHaveLength(0);
  events.close();
});

test('cancel while queued: the user leaves the queue and the console sees it empty', async () => {
  const wang = await AgentClient.signIn(bot.kefu.url, ...DEMO_AGENTS.wang);
  const events = await wang.stream();
  await bot.kefu.channel.ask('cancel-1', '人工客服');
  expect((await board(wang)).queue).toHaveLength(1);
  const [left] = await bot.kefu.channel.ask('cancel-1', '取消排队');
  expect(left?.text).toContain('已为您取消排队');
  expect((await board(wang)).queue).toHaveLength(0);
  events.close();
});

test('a number and a code typed outside a flow are no unanswered questions; the transcript keeps them, masked', async () => {
  const wang = await AgentClient.signIn(bot.kefu.url, ...DEMO_AGENTS.wang);
  const events = await wang.stream();
  await waitUntil(async () => (await board(wang)).agentsOnline >= 1);
  const user = 'misses-1';
  await bot.kefu.channel.ask(user, '13800000004');
  await bot.kefu.channel.ask(user, '802 560');
  await bot.kefu.channel.ask(user, '不用了');
  await bot.kefu.channel.ask(user, '火星分行几点开门');
  await bot.kefu.channel.ask(user, '转人工');
  const item = (await board(wang)).queue.find((h) => h.reason === 'user-request');
  const chat = (await wang.get<Chat>(`/api/agent/chats/${item!.id}`)).body;
  expect(chat.handoff.context.misses).toEqual(['火星分行几点开门']);
  expect(chat.transcript.filter((e) => e.from === 'user').map((e) => e.text)).toEqual(['138****0004', '******', '不用了', '火星分行几点开门', '转人工']);
  await bot.kefu.channel.ask(user, '取消排队');
  events.close();
});

describe('security', () => {
  test('no session → 401 on every agent API; the page itself is public', async () => {
    const nobody = AgentClient.anonymous(bot.kefu.url);
    for (const [method, path] of [
      ['GET', '/api/agent/me'],
      ['GET', '/api/agent/board'],
      ['GET', '/api/agent/events'],
      ['GET', '/api/agent/chats/x'],
      ['POST', '/api/agent/chats/x/claim'],
      ['POST', '/api/agent/chats/x/messages'],
      ['POST', '/api/agent/chats/x/notes'],
      ['POST', '/api/agent/chats/x/resolve'],
      ['POST', '/api/agent/tickets/x/close'],
    ] as const) {
      expect([method, path, (await nobody.request(method, path, method === 'POST' ? { text: 'hi' } : undefined)).status]).toEqual([method, path, 401]);
    }
    const page = await fetch(`${bot.kefu.url}/agent`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  test('a chat claimed by another agent → 403 for writes; wrong password → 401; guessing → 429', async () => {
    const wang = await AgentClient.signIn(bot.kefu.url, ...DEMO_AGENTS.wang);
    const alice = await AgentClient.signIn(bot.kefu.url, ...DEMO_AGENTS.alice);
    const events = await wang.stream();
    await bot.kefu.channel.ask('sec-1', '转人工');
    const id = (await board(wang)).queue.at(-1)!.id;
    expect((await wang.post(`/api/agent/chats/${id}/claim`)).status).toBe(200);
    for (const action of ['claim', 'resolve']) expect((await alice.post(`/api/agent/chats/${id}/${action}`)).status).toBe(403);
    expect((await alice.post(`/api/agent/chats/${id}/messages`, { text: '我来' })).status).toBe(403);
    expect((await alice.post(`/api/agent/chats/${id}/notes`, { text: '我来' })).status).toBe(403);
    // Alice may read it (the team sees every chat), but nothing reached the user from her.
    expect((await alice.get(`/api/agent/chats/${id}`)).status).toBe(200);
    expect(bot.kefu.channel.messages('sec-1').map((m) => m.text).join()).not.toContain('我来');
    // A form post (what a cross-site page could send) is refused.
    expect((await wang.request('POST', `/api/agent/chats/${id}/messages`, 'text=hi', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await wang.post(`/api/agent/chats/${id}/resolve`)).status).toBe(200);
    expect((await wang.post(`/api/agent/chats/${id}/resolve`)).status).toBe(409);

    const guesser = AgentClient.anonymous(bot.kefu.url);
    expect((await guesser.signIn('alice', 'wrong-password')).status).toBe(401);
    expect((await guesser.signIn('nobody', 'wrong-password')).status).toBe(401);
    for (let i = 0; i < 4; i++) await guesser.signIn('alice', `wrong-${i}`);
    expect((await guesser.signIn('alice', 'kefu-demo-alice')).status).toBe(429);

    // Signing out ends the session.
    expect((await wang.request('DELETE', '/api/agent/session')).status).toBe(204);
    events.close();
  });
});

describe('availability', () => {
  test('no agent online → the user leaves a message; it is a ticket on the board', async () => {
    const quiet = await startKefu();
    try {
      const [offer] = await quiet.channel.ask('t-1', '转人工');
      expect(offer?.text).toContain('暂时没有人工客服在线');
      await quiet.channel.ask('t-1', '留言');
      await quiet.channel.ask('t-1', '13800000001');
      const [left] = await quiet.channel.ask('t-1', '转账一直失败，请尽快联系我');
      expect(left?.text).toMatch(/工单号 (T-\d{8}-\w{4})/);
      const ticketId = /工单号 (T-\d{8}-\w{4})/.exec(left?.text ?? '')?.[1];
      const wang = await AgentClient.signIn(quiet.url, ...DEMO_AGENTS.wang);
      expect((await board(wang)).tickets).toEqual([expect.objectContaining({ id: ticketId, contact: '138****0001', text: '转账一直失败，请尽快联系我' })]);
      expect((await wang.post(`/api/agent/tickets/${ticketId}/close`)).status).toBe(200);
      expect((await board(wang)).tickets).toEqual([]);
    } finally {
      await quiet.stop();
    }
  });

  test('nobody claims within HANDOFF_QUEUE_TIMEOUT_S → expired, and a message is offered', async () => {
    const hurried = await startKefu({ HANDOFF_QUEUE_TIMEOUT_S: '1' });
    try {
      const wang = await AgentClient.signIn(hurried.url, ...DEMO_AGENTS.wang);
      const events = await wang.stream();
      await hurried.channel.ask('e-1', '转人工');
      const [expired] = (await hurried.channel.waitForMessages('e-1', 2, 5000)).slice(1);
      expect(expired?.text).toContain('一直没能接入');
      expect((await board(wang)).queue).toHaveLength(0);
      events.close();
    } finally {
      await hurried.stop();
    }
  });

  test('outside business hours the user is told the hours', async () => {
    // Open only on the day after today (in Shanghai), so it is closed now.
    const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
    const today = new Date(Date.now() + 8 * 3600_000).getUTCDay();
    const closed = await startKefu({ HANDOFF_HOURS: `${days[(today + 1) % 7]} 09:00-18:00` });
    try {
      const wang = await AgentClient.signIn(closed.url, ...DEMO_AGENTS.wang);
      const events = await wang.stream();
      const [offer] = await closed.channel.ask('h-1', '转人工');
      expect(offer?.text).toMatch(/现在不在人工客服的服务时间（北京时间周. 09:00–18:00）/);
      events.close();
    } finally {
      await closed.stop();
    }
  });
});

describe('HANDOFF_MODE=external (Bot Framework handoff protocol)', () => {
  test('handoff.initiate carries context and transcript; handoff.status accepted / completed / failed are honoured', async () => {
    const hub = await startKefu({ HANDOFF_MODE: 'external' });
    const status = (id: string, state: string) =>
      hub.channel.post({
        type: 'event',
        name: 'handoff.status',
        value: { state },
        id: `status-${state}`,
        channelId: 'emulator',
        serviceUrl: hub.channel.serviceUrl,
        conversation: { id },
        from: { id: 'hub', role: 'bot' },
        recipient: { id: 'kefu-bot', role: 'bot' },
      });
    try {
      await hub.channel.ask('x-1', '忘记密码怎么办');
      const [connecting] = await hub.channel.ask('x-1', '转人工');
      expect(connecting?.text).toContain('正在为您转接人工客服');
      const initiate = (hub.channel.sent('x-1') ?? []).find((a) => a.type === 'event' && a.name === 'handoff.initiate');
      expect(initiate?.value).toEqual({ reason: 'user-request', misses: [] });
      const transcript = (initiate?.attachments as { contentType: string; content: { activities: { text: string }[] } }[])[0];
      expect(transcript?.contentType).toBe('application/json');
      expect(transcript?.content.activities.map((a) => a.text)).toEqual(expect.arrayContaining(['忘记密码怎么办', '转人工']));

      let count = hub.channel.messages('x-1').length;
      expect((await status('x-1', 'accepted')).status).toBe(200);
      const [joined] = (await hub.channel.waitForMessages('x-1', count + 1)).slice(count);
      expect(joined?.text).toContain('人工客服已接入');
      // The hub has the chat: the bot says nothing.
      count = hub.channel.messages('x-1').length;
      expect((await hub.channel.say('x-1', '你好，在吗')).status).toBe(200);
      expect((await status('x-1', 'completed')).status).toBe(200);
      const [rating] = (await hub.channel.waitForMessages('x-1', count + 1)).slice(count);
      expect(rating?.text).toContain('请为客服的服务打个分');

      await hub.channel.ask('x-2', '转人工');
      count = hub.channel.messages('x-2').length;
      expect((await status('x-2', 'failed')).status).toBe(200);
      const [failed] = (await hub.channel.waitForMessages('x-2', count + 1)).slice(count);
      expect(failed?.text).toContain('留言');
    } finally {
      await hub.stop();
    }
  });
});
