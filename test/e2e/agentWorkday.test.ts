import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { launchBrowser, signInToConsole } from '../support/browser';
import { SHARED_ENV } from '../support/cluster';
import { RedisServer } from '../support/redis';
import { startKefu, TEST_DIRECTLINE_SECRET, type RunningKefu } from '../support/kefuServer';

/**
 * An agent's working day through the protocol: users on /api/messages and the embedded Direct
 * Line, agents on the console API — the per-agent chat limit, typing both ways, the history
 * and the supervisor's figures.
 */

interface Board {
  agentsOnline: number;
  maxChats: number | null;
  queue: { id: string }[];
}
interface HistoryChat {
  handoff: { id: string; status: string; rating?: number; conversation?: string };
  transcript: { from: string; text: string }[];
  notes: { text: string }[];
}
interface History {
  chats: HistoryChat[];
  tickets: { id: string; contact: string; text: string; conversation?: string }[];
}
interface Figures {
  queue: { length: number; longestWaitMs: number };
  agentsOnline: number;
  maxChats: number | null;
  agents: { id: string; name?: string; chats: number; online: boolean; atLimit: boolean }[];
  today: { claimed: number; resolved: number; rated: number; averageCsat: number | null };
}

const waitUntil = async (check: () => Promise<boolean>, what = 'condition') => {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};
const board = async (agent: AgentClient) => (await agent.get<Board>('/api/agent/board')).body;

/** The user asks for a person; returns the id of the queued chat. */
async function queue(kefu: RunningKefu, agent: AgentClient, user: string, before: string[] = []): Promise<string> {
  for (const line of before) await kefu.channel.ask(user, line);
  const known = new Set((await board(agent)).queue.map((h) => h.id));
  const [queued] = await kefu.channel.ask(user, '转人工');
  expect(queued?.text).toContain('排在第');
  const item = (await board(agent)).queue.find((h) => !known.has(h.id));
  return item!.id;
}

async function claim(kefu: RunningKefu, agent: AgentClient, user: string, id: string) {
  const count = kefu.channel.messages(user).length;
  const answer = await agent.post(`/api/agent/chats/${id}/claim`);
  if (answer.status === 200) await kefu.channel.waitForMessages(user, count + 1);
  return answer;
}

async function resolveAndRate(kefu: RunningKefu, agent: AgentClient, user: string, id: string, rating?: string) {
  const count = kefu.channel.messages(user).length;
  expect((await agent.post(`/api/agent/chats/${id}/resolve`)).status).toBe(200);
  const [asked] = (await kefu.channel.waitForMessages(user, count + 1)).slice(count);
  expect(asked?.text).toContain('请为客服的服务打个分');
  if (rating) expect((await kefu.channel.ask(user, rating))[0]?.text).toContain('感谢您的评价');
}

describe('AGENT_MAX_CHATS', () => {
  let kefu: RunningKefu;
  beforeAll(async () => {
    kefu = await startKefu({ AGENT_MAX_CHATS: '1' });
  });
  afterAll(async () => {
    await kefu.stop();
  });

  test('a claim beyond the limit is refused with a reason the console can show; resolving one frees the place', async () => {
    const wang = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.wang);
    const events = await wang.stream();
    await waitUntil(async () => (await board(wang)).agentsOnline === 1);
    expect((await board(wang)).maxChats).toBe(1);
    const first = await queue(kefu, wang, 'limit-1');
    const second = await queue(kefu, wang, 'limit-2');

    expect((await claim(kefu, wang, 'limit-1', first)).status).toBe(200);
    const refused = await claim(kefu, wang, 'limit-2', second);
    expect(refused).toEqual({ status: 409, body: { error: expect.stringContaining('AGENT_MAX_CHATS'), refusal: 'at-limit' } });
    // The refused chat is still waiting, and its user was told nothing of a claim.
    expect((await board(wang)).queue.map((h) => h.id)).toEqual([second]);
    expect(kefu.channel.messages('limit-2').at(-1)?.text).toContain('排在第');
    // Claiming one's own chat again is no second chat.
    expect((await wang.post(`/api/agent/chats/${first}/claim`)).status).toBe(200);
    // Another agent is not limited by wang's load.
    const alice = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.alice);
    const third = await queue(kefu, wang, 'limit-3');
    expect((await claim(kefu, alice, 'limit-3', third)).status).toBe(200);

    await resolveAndRate(kefu, wang, 'limit-1', first);
    expect((await claim(kefu, wang, 'limit-2', second)).status).toBe(200);
    await resolveAndRate(kefu, wang, 'limit-2', second);
    await resolveAndRate(kefu, alice, 'limit-3', third);
    events.close();
  });
});

describe('AGENT_MAX_CHATS, claims at once (on Redis, where the claims interleave)', () => {
  let kefu: RunningKefu;
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await RedisServer.start();
    kefu = await startKefu({ ...SHARED_ENV, AGENT_MAX_CHATS: '2', REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await kefu?.stop();
    await redis?.destroy();
  });

  test('an agent claiming eight chats at once (two tabs, double clicks) gets exactly the limit; the rest stay queued, untold', async () => {
    const wang = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.wang);
    const events = await wang.stream();
    await waitUntil(async () => (await board(wang)).agentsOnline === 1);
    const users = Array.from({ length: 8 }, (_, i) => `burst-${i}`);
    const ids: string[] = [];
    for (const user of users) ids.push(await queue(kefu, wang, user));
    const answers = await Promise.all(ids.map((id) => wang.post(`/api/agent/chats/${id}/claim`)));
    const won = ids.filter((_, i) => answers[i]?.status === 200);
    expect(won).toHaveLength(2);
    expect(answers.filter((a) => a.status !== 200).every((a) => a.status === 409 && (a.body as { refusal: string }).refusal === 'at-limit')).toBe(true);
    const after = (await wang.get<Board & { active: { id: string; agentId: string }[] }>('/api/agent/board')).body;
    expect(after.active.filter((h) => h.agentId === 'wang').map((h) => h.id).sort()).toEqual([...won].sort());
    expect(after.queue).toHaveLength(8 - won.length);
    // Only the users whose chat was kept heard that an agent joined.
    for (const [i, user] of users.entries()) {
      const joined = kefu.channel.messages(user).some((m) => m.text?.includes('已接入') ?? false);
      if (!won.includes(ids[i]!)) expect(joined).toBe(false);
    }
    // Given back is queued again, and claimable once a place is free.
    const [first, ...rest] = won.length > 0 ? won : [undefined];
    if (first) await resolveAndRate(kefu, wang, users[ids.indexOf(first)]!, first);
    for (const id of rest) await resolveAndRate(kefu, wang, users[ids.indexOf(id!)]!, id!);
    const again = ids.find((id) => !won.includes(id))!;
    expect((await claim(kefu, wang, users[ids.indexOf(again)]!, again)).status).toBe(200);
    events.close();
  });
});

describe('typing indicators', () => {
  let kefu: RunningKefu;
  beforeAll(async () => {
    kefu = await startKefu();
  });
  afterAll(async () => {
    await kefu.stop();
  });

  test('Bot Framework channel: the agent types → the user gets a typing activity; the user types → the console hears "typing"', async () => {
    const wang = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.wang);
    const alice = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.alice);
    const events = await wang.stream();
    await waitUntil(async () => (await board(wang)).agentsOnline >= 1);
    const user = 'typing-1';
    const id = await queue(kefu, wang, user);

    // Not claimed yet: nobody may show typing to the user, and the user's typing goes nowhere.
    expect((await wang.post(`/api/agent/chats/${id}/typing`)).status).toBe(409);
    expect(kefu.channel.sent(user).filter((a) => a.type === 'typing')).toEqual([]);

    expect((await claim(kefu, wang, user, id)).status).toBe(200);
    expect(await wang.post(`/api/agent/chats/${id}/typing`)).toEqual({ status: 200, body: { shown: true } });
    await waitUntil(async () => kefu.channel.sent(user).some((a) => a.type === 'typing'), 'typing activity at the channel');
    // Another agent cannot type into wang's chat, nor can anyone signed out.
    expect((await alice.post(`/api/agent/chats/${id}/typing`)).status).toBe(403);
    expect((await fetch(`${kefu.url}/api/agent/chats/${id}/typing`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);

    const seen = events.events.length;
    const status = await kefu.channel.post({
      type: 'typing',
      channelId: 'emulator',
      serviceUrl: kefu.channel.serviceUrl,
      conversation: { id: user },
      from: { id: `user-${user}`, role: 'user' },
      recipient: { id: 'kefu-bot', role: 'bot' },
    });
    expect(status.status).toBeLessThan(300);
    await events.waitFor('typing', seen);
    expect(events.events.slice(seen).filter((e) => e.type === 'typing')).toEqual([{ type: 'typing', id }]);
    // Typing is no message: the bot said nothing and the transcript did not grow.
    const chat = (await wang.get<HistoryChat>(`/api/agent/chats/${id}`)).body;
    expect(chat.transcript.filter((e) => e.from === 'user')).toHaveLength(1);

    await resolveAndRate(kefu, wang, user, id);
    events.close();
  });

  test('Direct Line (Web Chat): the agent types → the client reads a typing activity from the bot; the client types → the console hears it', async () => {
    const wang = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.wang);
    const events = await wang.stream();
    await waitUntil(async () => (await board(wang)).agentsOnline >= 1);
    const dl = `${kefu.url}/v3/directline`;
    const grant = (await (await fetch(`${dl}/tokens/generate`, { method: 'POST', headers: { authorization: `Bearer ${TEST_DIRECTLINE_SECRET}`, 'content-type': 'application/json' }, body: '{}' })).json()) as { token: string };
    const auth = { authorization: `Bearer ${grant.token}`, 'content-type': 'application/json' };
    const { conversationId } = (await (await fetch(`${dl}/conversations`, { method: 'POST', headers: auth })).json()) as { conversationId: string };
    const post = (activity: object) => fetch(`${dl}/conversations/${conversationId}/activities`, { method: 'POST', headers: auth, body: JSON.stringify({ from: { id: 'dl-user' }, locale: 'zh-CN', ...activity }) });
    const fromBot = async () => {
      const body = (await (await fetch(`${dl}/conversations/${conversationId}/activities`, { headers: auth })).json()) as { activities: { type: string; text?: string; from: { role?: string; id: string } }[] };
      return body.activities.filter((a) => a.from.id !== 'dl-user' && a.from.role !== 'user');
    };

    const known = new Set((await board(wang)).queue.map((h) => h.id));
    expect((await post({ type: 'message', text: '转人工' })).status).toBe(200);
    await waitUntil(async () => (await fromBot()).some((a) => a.text?.includes('排在第') ?? false), 'queued reply');
    const id = (await board(wang)).queue.find((h) => !known.has(h.id))!.id;
    expect((await wang.post(`/api/agent/chats/${id}/claim`)).status).toBe(200);

    expect((await wang.post(`/api/agent/chats/${id}/typing`)).body).toEqual({ shown: true });
    await waitUntil(async () => (await fromBot()).some((a) => a.type === 'typing'), 'typing activity in Direct Line');

    const seen = events.events.length;
    expect((await post({ type: 'typing' })).status).toBe(200);
    await events.waitFor('typing', seen);
    expect(events.events.slice(seen).filter((e) => e.type === 'typing')).toEqual([{ type: 'typing', id }]);
    expect((await wang.post(`/api/agent/chats/${id}/resolve`)).status).toBe(200);
    events.close();
  });
});

describe('history', () => {
  let kefu: RunningKefu;
  beforeAll(async () => {
    kefu = await startKefu();
  });
  afterAll(async () => {
    await kefu.stop();
  });

  test('closed chats and tickets are found by chat id, ticket id and the last four digits; masked; nothing of another conversation', async () => {
    // A message left while nobody is online: a ticket, closed later.
    await kefu.channel.ask('hist-ticket', '转人工');
    await kefu.channel.ask('hist-ticket', '留言');
    await kefu.channel.ask('hist-ticket', '13800000007');
    const [left] = await kefu.channel.ask('hist-ticket', '转账失败，回电 13800000007');
    const ticketId = /工单号 (T-\d{8}-\w{4})/.exec(left?.text ?? '')?.[1];
    expect(ticketId).toBeDefined();

    const wang = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.wang);
    const events = await wang.stream();
    await waitUntil(async () => (await board(wang)).agentsOnline === 1);
    const search = (q: string) => wang.get<History>(`/api/agent/history?q=${encodeURIComponent(q)}`);
    // An open ticket is on the board, not yet in the history.
    expect((await search(ticketId!)).body.tickets).toEqual([]);
    expect((await wang.post(`/api/agent/tickets/${ticketId}/close`)).status).toBe(200);

    // Two chats of two users with two numbers; each resolved and rated, one with a note.
    const mine = await queue(kefu, wang, 'hist-a', ['我的手机号 13800000008', '火星分行几点开门']);
    expect((await claim(kefu, wang, 'hist-a', mine)).status).toBe(200);
    await kefu.channel.say('hist-a', '请回电 13800000008');
    expect((await wang.post(`/api/agent/chats/${mine}/notes`, { text: '已回电 13800000008' })).status).toBe(200);
    await resolveAndRate(kefu, wang, 'hist-a', mine, '4');
    const other = await queue(kefu, wang, 'hist-b', ['我的手机号 13900000009', '秘密内容乙']);
    expect((await claim(kefu, wang, 'hist-b', other)).status).toBe(200);
    await resolveAndRate(kefu, wang, 'hist-b', other, '2');

    const byDigits = await search('0008');
    expect(byDigits.status).toBe(200);
    expect(byDigits.body.tickets).toEqual([]);
    expect(byDigits.body.chats.map((c) => c.handoff.id)).toEqual([mine]);
    const [found] = byDigits.body.chats;
    expect(found?.handoff).toEqual(expect.objectContaining({ status: 'resolved', rating: 4 }));
    expect(found?.handoff.conversation).toBeUndefined();
    expect(found?.notes).toEqual([expect.objectContaining({ text: '已回电 138****0008' })]);
    expect(found?.transcript.map((e) => e.text)).toEqual(expect.arrayContaining(['我的手机号 138****0008', '请回电 138****0008']));
    const text = JSON.stringify(byDigits.body);
    for (const secret of ['13800000008', '13900000009', '139****0009', '秘密内容乙', 'hist-a', 'hist-b']) expect(text).not.toContain(secret);

    expect((await search(mine)).body.chats.map((c) => c.handoff.id)).toEqual([mine]);
    expect((await search(other.slice(0, 8))).body.chats.map((c) => c.handoff.id)).toEqual([other]);
    const byTicket = (await search(ticketId!.toLowerCase())).body;
    expect(byTicket.chats).toEqual([]);
    expect(byTicket.tickets).toEqual([expect.objectContaining({ id: ticketId, contact: '138****0007', text: '转账失败，回电 138****0007' })]);
    expect(JSON.stringify(byTicket)).not.toContain('13800000007');
    expect(byTicket.tickets[0]?.conversation).toBeUndefined();
    expect((await search('0007')).body.tickets.map((t) => t.id)).toEqual([ticketId]);

    // Nothing matches nothing; a query that is none of the three is refused, not scanned.
    expect((await search('1234')).body).toEqual({ chats: [], tickets: [] });
    for (const q of ['', 'a', '火星', '.*', 'x'.repeat(65)]) expect((await search(q)).status).toBe(400);
    const signedOut = await fetch(`${kefu.url}/api/agent/history?q=0008`);
    expect(signedOut.status).toBe(401);
    expect(await signedOut.text()).not.toContain('0008');
    events.close();
  });
});

describe('supervisor figures', () => {
  let kefu: RunningKefu;
  beforeAll(async () => {
    kefu = await startKefu({ AGENT_MAX_CHATS: '2' });
  });
  afterAll(async () => {
    await kefu.stop();
  });

  test('after a scripted day: queue, longest wait, agents online and their load, resolved and average CSAT today', async () => {
    const signedOut = await fetch(`${kefu.url}/api/agent/supervisor`);
    expect(signedOut.status).toBe(401);

    const wang = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.wang);
    const alice = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.alice);
    // The lead reads the figures without taking chats (no event stream: not online).
    const lin = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.lin);
    const wangEvents = await wang.stream();
    const aliceEvents = await alice.stream();
    await waitUntil(async () => (await board(wang)).agentsOnline === 2);
    const figures = async () => (await lin.get<Figures>('/api/agent/supervisor')).body;
    expect(await figures()).toEqual(
      expect.objectContaining({ queue: { length: 0, longestWaitMs: 0 }, agentsOnline: 2, maxChats: 2, today: expect.objectContaining({ claimed: 0, resolved: 0, rated: 0, averageCsat: null }) }),
    );

    // Three chats resolved and rated 5, 4 and (unrated); two claimed and open; two waiting.
    const ids: Record<string, string> = {};
    for (const user of ['day-1', 'day-2', 'day-3', 'day-4', 'day-5', 'day-6', 'day-7']) ids[user] = await queue(kefu, wang, user);
    expect((await claim(kefu, wang, 'day-1', ids['day-1']!)).status).toBe(200);
    await resolveAndRate(kefu, wang, 'day-1', ids['day-1']!, '5');
    expect((await claim(kefu, alice, 'day-2', ids['day-2']!)).status).toBe(200);
    await resolveAndRate(kefu, alice, 'day-2', ids['day-2']!, '4');
    expect((await claim(kefu, wang, 'day-3', ids['day-3']!)).status).toBe(200);
    await resolveAndRate(kefu, wang, 'day-3', ids['day-3']!);
    expect((await claim(kefu, wang, 'day-4', ids['day-4']!)).status).toBe(200);
    expect((await claim(kefu, wang, 'day-5', ids['day-5']!)).status).toBe(200);

    const day = await figures();
    expect(day.queue.length).toBe(2);
    expect(day.queue.longestWaitMs).toBeGreaterThan(0);
    expect(day.agentsOnline).toBe(2);
    expect(day.agents).toEqual([
      // Named whether idle or busy.
      { id: 'alice', name: 'Alice', chats: 0, online: true, atLimit: false },
      { id: 'wang', name: '小王', chats: 2, online: true, atLimit: true },
    ]);
    expect(day.today).toEqual({ since: expect.any(Number), claimed: 5, resolved: 3, rated: 2, averageCsat: 4.5 });
    // The agents themselves do not see the team's figures.
    expect((await alice.get('/api/agent/supervisor')).status).toBe(403);
    expect((await wang.get('/api/agent/supervisor')).status).toBe(403);

    wangEvents.close();
    aliceEvents.close();
  });
});

test('in the console: the supervisor strip (a lead\'s), the history search and "the user is typing", without a script error', async () => {
  const kefu = await startKefu();
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await signInToConsole(page, kefu.url, DEMO_AGENTS.lin);
    // The day's figures open from the top bar (a lead's), in a drawer over the page.
    await page.getByRole('button', { name: '今日概览' }).click();
    await page.getByText('在线客服 1').waitFor();

    const agent = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.lin);
    const id = await queue(kefu, agent, 'ui-1', ['我的手机号 13800000005']);
    await page.getByText('排队 1').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('#queue li').first().click();
    await page.locator('#claim').click();
    await page.locator('#resolve').waitFor({ state: 'visible' });
    await kefu.channel.post({ type: 'typing', channelId: 'emulator', serviceUrl: kefu.channel.serviceUrl, conversation: { id: 'ui-1' }, from: { id: 'user-ui-1', role: 'user' }, recipient: { id: 'kefu-bot', role: 'bot' } });
    await page.getByText('用户正在输入…').waitFor();
    await page.locator('#message').fill('稍等');
    await waitUntil(async () => kefu.channel.sent('ui-1').some((a) => a.type === 'typing'), 'typing activity from the console');
    await resolveAndRate(kefu, agent, 'ui-1', id, '5');

    await page.getByRole('button', { name: '历史记录' }).click();
    await page.getByRole('searchbox').or(page.getByLabel(/手机号后四位/)).fill('0005');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.getByText('找到 1 条').waitFor();
    await page.locator('#history-panel summary').first().click();
    expect(await page.locator('#history-panel').innerText()).toContain('138****0005');
    expect(await page.locator('#history-panel').innerText()).not.toContain('13800000005');
    // The strip follows the store: the chat resolved and rated shows without a reload.
    await page.getByRole('button', { name: '今日概览' }).click();
    await page.getByText(/今日结束 1 · 平均评分 5/).waitFor();

    // An agent's console has the history but not the team's figures.
    const agentPage = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })).newPage();
    agentPage.on('pageerror', (error) => errors.push(error.message));
    await agentPage.goto(`${kefu.url}/agent`);
    await agentPage.locator('#agent-id').fill(DEMO_AGENTS.wang[0]);
    await agentPage.locator('#agent-password').fill(DEMO_AGENTS.wang[1]);
    const refused = agentPage.waitForResponse((response) => response.url().endsWith('/api/agent/supervisor'));
    await agentPage.locator('#sign-in-form button[type=submit]').click();
    expect((await refused).status()).toBe(403);
    await agentPage.getByRole('button', { name: '历史记录' }).click();
    await agentPage.getByRole('button', { name: '搜索' }).waitFor();
    expect(await agentPage.getByRole('button', { name: '今日概览' }).isVisible()).toBe(false);
    expect(await agentPage.locator('#workday').innerText()).not.toMatch(/排队 \d|在线客服/);
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
    await kefu.stop();
  }
}, 90_000);
