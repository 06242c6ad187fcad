import { Redis } from 'ioredis';
import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { launchBrowser, shoot, signInToConsole } from '../support/browser';
import { FakeChannel } from '../support/channel';
import { startInstance, type Instance } from '../support/cluster';
import { latestCode } from '../support/kefuServer';
import { PostgresServer } from '../support/postgres';
import { finishChat, openChat, readiness } from '../support/recordedChats';
import { RedisServer } from '../support/redis';
import { until } from '../support/until';

/**
 * History that outlives Redis (issue 29, items 2 and 4): a chat handled on two instances is
 * found by the agents' history search after Redis is flushed and both bots restarted, and a
 * user whose hot state expired starts afresh while their old chat stays findable.
 */
jest.setTimeout(180_000);

interface HistoryChat {
  handoff: { id: string; status: string; rating?: number; agentName?: string; conversation?: string };
  transcript: { from: string; text: string; agentName?: string }[];
  notes: { agentName: string; text: string }[];
}
interface History {
  chats: HistoryChat[];
  tickets: unknown[];
}

let redis: RedisServer;
let pg: PostgresServer;
const running: Instance[] = [];
const channels: FakeChannel[] = [];

beforeAll(async () => {
  [redis, pg] = await Promise.all([RedisServer.start(), PostgresServer.start()]);
});
afterAll(async () => {
  await Promise.all(channels.map((c) => c.stop()));
  await Promise.all(running.map((i) => i.stop()));
  await Promise.all([pg?.destroy(), redis?.destroy()]);
});

/** Two instances on the file's Redis and database, once both have migrated and answer. */
async function pair(env: Record<string, string> = {}): Promise<[Instance, Instance]> {
  const both = await Promise.all([0, 1].map(() => startInstance({ REDIS_URL: redis.url, DATABASE_URL: pg.url, ...env })));
  running.push(...both);
  await until(async () => (await Promise.all(both.map((i) => readiness(i.url)))).every((r) => r.status === 200 && r.body.database === 'ok'), 60_000);
  return [both[0]!, both[1]!];
}

async function userOn(instance: () => Instance): Promise<FakeChannel> {
  const channel = new FakeChannel(() => instance().url);
  await channel.start();
  channels.push(channel);
  return channel;
}

async function stopped(instance: Instance): Promise<void> {
  await instance.stop();
  running.splice(running.indexOf(instance), 1);
}

/** Until every record queued so far is in PostgreSQL. */
const drained = (instance: Instance) => until(async () => (await readiness(instance.url)).body.outbox === 0, 60_000);

const search = async (agent: AgentClient, q: string) => {
  const answer = await agent.get<History>(`/api/agent/history?q=${encodeURIComponent(q)}`);
  expect(answer.status).toBe(200);
  return answer.body;
};

/** Files an appeal for the number as a user does; its case number, as the bot gave it. */
async function fileAppeal(channel: FakeChannel, url: string, user: string, phone: string): Promise<string> {
  await channel.ask(user, '我要申诉');
  await channel.ask(user, phone);
  await channel.ask(user, await latestCode(url, phone), {}, 2);
  await channel.ask(user, '实名认证时上传的照片不清楚，现在补充清晰的身份证照片，请重新审核。');
  const [filed] = await channel.ask(user, '跳过');
  const caseId = /AP-\d{8}-[0-9A-Z]{4}/.exec(filed?.text ?? '')?.[0];
  if (!caseId) throw new Error(`no case number in: ${filed?.text}`);
  return caseId;
}

test('Redis flushed and both bots restarted: the agent still finds the chat, its transcript and notes by digits, chat id and case id', async () => {
  const [a, b] = await pair();
  const channel = await userOn(() => a);
  const agent = await AgentClient.signIn(b.url, ...DEMO_AGENTS.wang);
  const events = await agent.stream();
  let id: string;
  let caseId: string;
  let before: History;
  let sent: string[];
  try {
    // The user on A, the agent on B.
    caseId = await fileAppeal(channel, a.url, 'hist-flush', '13800000005');
    id = await openChat(channel, agent, 'hist-flush');
    expect((await channel.say('hist-flush', '申诉提交了还是登录不了，请回电 13800000005')).status).toBe(200);
    await finishChat(channel, agent, 'hist-flush', id, { reply: '已加急处理您的申诉', note: '已回电 13800000005，申诉加急', rating: 4 });
    // As the transcript keeps them: without the markdown escapes of the masked number.
    sent = channel.messages('hist-flush').map((m) => (m.text ?? '').replace(/\\\*/g, '*'));
    await drained(b);
    before = await search(agent, id);
    expect(before.chats).toHaveLength(1);
  } finally {
    events.close();
  }

  await Promise.all([stopped(a), stopped(b)]);
  const flusher = new Redis(redis.url);
  try {
    await flusher.flushall();
    expect(await flusher.dbsize()).toBe(0);
  } finally {
    flusher.disconnect();
  }
  const [a2, b2] = await pair();

  // The old session went with Redis: the agent signs in again, on either instance.
  const again = await AgentClient.signIn(a2.url, ...DEMO_AGENTS.wang);
  const [chat] = before.chats;
  for (const q of ['0005', id.slice(0, 8), caseId.toLowerCase()]) {
    const found = await search(again, q);
    expect({ q, chats: found.chats }).toEqual({ q, chats: [chat] });
  }
  expect(chat?.handoff).toEqual(expect.objectContaining({ id, status: 'resolved', rating: 4, agentName: '小王' }));
  expect(chat?.handoff.conversation).toBeUndefined();
  expect(chat?.notes).toEqual([expect.objectContaining({ agentName: '小王', text: '已回电 138****0005，申诉加急' })]);
  // The whole chat, in order: every word of the user (masked) and every message they were sent up to the resolve.
  const transcript = chat?.transcript ?? [];
  expect(transcript.filter((line) => line.from === 'user').map((line) => line.text)).toEqual([
    '我要申诉',
    '138****0005',
    '******',
    '实名认证时上传的照片不清楚，现在补充清晰的身份证照片，请重新审核。',
    '跳过',
    '转人工',
    '申诉提交了还是登录不了，请回电 138****0005',
  ]);
  const shown = transcript.filter((line) => line.from !== 'user').map((line) => (line.from === 'agent' ? `${line.agentName}：${line.text}` : line.text));
  // The last two the user saw came after the resolve: the request for a rating and the thanks.
  expect(shown).toEqual(sent.slice(0, -2));
  expect(shown.join('\n')).toContain(caseId);
  expect(JSON.stringify(chat)).not.toContain('13800000005');
  expect((await search(await AgentClient.signIn(b2.url, ...DEMO_AGENTS.wang), id.slice(0, 8))).chats.map((c) => c.handoff.id)).toEqual([id]);

  // What the agent sees in the console of the other new instance: the chat, opened from the history by its case id.
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await signInToConsole(page, b2.url, DEMO_AGENTS.wang);
    await page.getByRole('button', { name: '历史记录' }).click();
    await page.locator('#history-panel input').fill(caseId);
    await page.locator('#history-panel button[type=submit]').click();
    await page.getByText('找到 1 条').waitFor();
    await page.locator('#history-panel details summary').first().click();
    await page.locator('#history-panel details[open] li').first().waitFor();
    const shown = await page.locator('#history-panel').innerText();
    for (const text of ['申诉提交了还是登录不了，请回电 138****0005', '已加急处理您的申诉', '已回电 138****0005，申诉加急', caseId]) expect(shown).toContain(text);
    expect(shown).not.toContain('13800000005');
    await shoot(page, 'records-history', 'after-redis-flush-1280');
    // The end of the record: the agent's answer and the note.
    await page.locator('#history-panel details[open]').getByText('已回电 138****0005，申诉加急').scrollIntoViewIfNeeded();
    await shoot(page, 'records-history', 'after-redis-flush-1280-end');
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
  }
});

test('a user back after their hot state expired starts afresh, not in their old flow; their old chat is still in the history', async () => {
  // Short enough to wait out; long enough that no two steps of the chat below are that far apart on a busy machine.
  const [a, b] = await pair({ HOT_STATE_TTL_S: '6' });
  const channel = await userOn(() => a);
  const agent = await AgentClient.signIn(b.url, ...DEMO_AGENTS.wang);
  const events = await agent.stream();
  const inspector = new Redis(redis.url);
  try {
    const id = await openChat(channel, agent, 'hist-ttl');
    await finishChat(channel, agent, 'hist-ttl', id, { reply: '好的，已经为您处理', note: '已处理', rating: 5 });
    // Half-way through unlocking when they leave.
    const [asked] = await channel.ask('hist-ttl', '帮我解锁');
    expect(asked?.text).toContain('请输入账户绑定的手机号');

    // Nothing of the conversation is left in Redis once HOT_STATE_TTL_S has passed.
    const left = () => inspector.keys('kefu:{c:emulator:hist-ttl}*');
    await until(async () => (await left()).length === 0, 60_000).catch(async (error: Error) => {
      throw new Error(`${error.message}: the conversation's hot state is still in Redis (${(await left()).join(', ')})`);
    });
    const [back] = await channel.ask('hist-ttl', '13800000006');
    expect(back?.text).toContain('这个问题我暂时答不上来');
    expect(await latestCode(a.url, '13800000006')).toBe('');

    await drained(a);
    const found = await search(agent, id.slice(0, 8));
    expect(found.chats.map((c) => c.handoff)).toEqual([expect.objectContaining({ id, status: 'resolved', rating: 5 })]);
    expect(found.chats[0]?.transcript.map((line) => `${line.from}: ${line.text}`)).toEqual(expect.arrayContaining(['user: 转人工', 'agent: 好的，已经为您处理']));
    expect(found.chats[0]?.notes).toEqual([expect.objectContaining({ text: '已处理' })]);
  } finally {
    inspector.disconnect();
    events.close();
  }
});
