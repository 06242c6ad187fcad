import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { startInstance, type Instance } from '../support/cluster';
import { startKefu, type RunningKefu } from '../support/kefuServer';
import { RedisServer } from '../support/redis';
import { ALICE, cardOf, CHANNEL, LIN, shownText, STRANGER, TeamsAgentSide, TENANT, WANG, type TeamsCall, kefuWithTeamsAgents } from '../support/teamsConnector';
import { WidgetUser } from '../support/widgetUser';

/**
 * Agents in Microsoft Teams: Teams-shaped activities from the agents' channel posted to
 * /api/messages, the bot's calls recorded by a Teams connector, users on the web chat
 * widget (the embedded Direct Line), and the console API beside it.
 */

interface Board {
  queue: { id: string }[];
  active: { id: string; agentId: string; agentName: string }[];
}
interface Chat {
  handoff: { status: string };
  notes: { agentName: string; text: string }[];
  transcript: { from: string; text: string }[];
}

const texts = (card: Record<string, unknown> | undefined) => JSON.stringify(card ?? {});
const actionsOf = (card: Record<string, unknown> | undefined) => (card?.actions ?? []) as { type: string; title: string; data: { kefu: string; handoff: string }; fallback?: { type: string } }[];
/** The body of an Action.Execute's answer as Teams reads it. */
const invokeAnswer = (body: unknown) => body as { statusCode: number; type: string; value: unknown };

const setup = kefuWithTeamsAgents();
const { teams, side, file } = setup;
let wang: AgentClient;
beforeAll(async () => {
  wang = await AgentClient.signIn(setup.kefu.url, ...DEMO_AGENTS.wang);
});


/** A widget user asks for a person; returns the user, the card's new thread and the handoff id. */
async function handoffFromWidget(): Promise<{ user: WidgetUser; created: TeamsCall; id: string }> {
  const user = await WidgetUser.open(setup.kefu.url);
  const from = teams.calls.length;
  const [queued] = await user.ask('转人工');
  expect(queued).toContain('排在第');
  const created = await teams.waitFor('the card', teams.since(from, (call) => call.kind === 'create'));
  const claim = actionsOf(cardOf(created)).find((a) => a.data.kefu === 'claim');
  return { user, created, id: claim!.data.handoff };
}

test("an agent active in the channel counts as online; a handoff is one card, a new thread in the configured channel", async () => {
  // Nobody in the console and nobody in Teams yet: the user would be offered to leave a message.
  const from = teams.calls.length;
  expect((await side.say(CHANNEL, WANG, '忘记密码怎么办')).status).toBe(200);
  // Not a user's question: no FAQ answer, only how the channel works.
  const hint = await teams.waitFor('the hint', teams.since(from, (call) => call.kind === 'post'));
  expect(hint.conversation).toBe(CHANNEL);
  expect(hint.activity.text).toContain('/resolve');
  expect(hint.activity.text).not.toMatch(/密码.*(重置|找回)/);

  const user = await WidgetUser.open(setup.kefu.url);
  await user.ask('帮我解锁');
  await user.ask('13800000003');
  const before = teams.calls.length;
  const [queued] = await user.ask('转人工');
  expect(queued).toContain('排在第 1 位');
  const created = await teams.waitFor('the card', teams.since(before, (call) => call.kind === 'create'));
  expect(created.parameters).toEqual(expect.objectContaining({ isGroup: true, channelData: { channel: { id: CHANNEL }, tenant: { id: TENANT } } }));
  const card = cardOf(created);
  expect(card).toEqual(expect.objectContaining({ type: 'AdaptiveCard', version: '1.4' }));
  const shown = texts(card);
  for (const fact of ['用户要求转人工', '普通', '中文', '网页聊天', '账户解锁：已向该号码发送验证码，等待用户输入', '未验证', '138****0003', '排队中']) expect(shown).toContain(fact);
  expect(shown).not.toContain('13800000003');
  expect(actionsOf(card).map((a) => [a.type, a.title, a.fallback?.type])).toEqual([
    ['Action.Execute', '接入 Claim', 'Action.Submit'],
    ['Action.Execute', '查看全文 Full transcript', 'Action.Submit'],
  ]);
  // One card per handoff: asking again is no second card.
  await user.ask('转人工');
  expect(teams.calls.filter((call) => call.kind === 'create' && teams.calls.indexOf(call) >= before)).toHaveLength(1);
  await user.ask('取消排队');
});

test('claim: a non-agent is told so, a mapped agent claims and the card is updated in place; a second claim names who has it', async () => {
  const { user, created, id } = await handoffFromWidget();
  const data = { kefu: 'claim', handoff: id };

  const stranger = await side.execute(created.conversation, STRANGER, data);
  expect(stranger.status).toBe(200);
  expect(invokeAnswer(stranger.body)).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: expect.stringContaining('您不是客服') });
  const anonymous = await side.execute(created.conversation, { id: '29:x', name: 'x' }, data);
  expect(invokeAnswer(anonymous.body).value).toContain('无法确认您的 Teams 身份');
  expect((await wang.get<Board>('/api/agent/board')).body.queue.map((h) => h.id)).toContain(id);

  const from = teams.calls.length;
  const claimed = await side.execute(created.conversation, WANG, data);
  expect(invokeAnswer(claimed.body).type).toBe('application/vnd.microsoft.card.adaptive');
  expect(texts(invokeAnswer(claimed.body).value as Record<string, unknown>)).toContain('小王 已接入');
  const updated = await teams.waitFor('the card updated', teams.since(from, (call) => call.kind === 'update'));
  expect(updated.activityId).toBe(created.activityId);
  expect(texts(cardOf(updated))).toContain('小王 已接入');
  expect(actionsOf(cardOf(updated)).map((a) => a.data.kefu)).toEqual(['transcript']);
  expect((await user.waitForBot(3)).at(-1)).toContain('人工客服「小王」已接入');

  // Alice presses the old Claim button (Action.Submit, as older clients send it).
  const refusedFrom = teams.calls.length;
  expect((await side.submit(created.conversation, ALICE, data)).status).toBe(200);
  const taken = await teams.waitFor('the refusal', teams.since(refusedFrom, (call) => call.kind === 'post'));
  expect(taken.activity.text).toContain('已由 小王 接入');
  expect((await wang.get<Board>('/api/agent/board')).body.active).toContainEqual(expect.objectContaining({ id, agentId: 'wang' }));

  // 查看全文: the whole transcript, masked as stored, posted in the thread for the team.
  const fullFrom = teams.calls.length;
  const full = await side.execute(created.conversation, ALICE, { kefu: 'transcript', handoff: id });
  expect(invokeAnswer(full.body).value).toContain('已在帖子中贴出对话全文');
  const posted = await teams.waitFor('the transcript', teams.since(fullFrom, (call) => call.kind === 'post' && shownText(call).startsWith('对话全文')));
  expect(posted.conversation).toBe(created.conversation);
  expect(shownText(posted)).toContain('用户：转人工');
  await user.ask('结束人工');
});

test('a forged button for a chat that does not exist, or one that is over, is refused in words', async () => {
  const none = await side.execute(`${CHANNEL};messageid=1`, WANG, { kefu: 'claim', handoff: 'no-such-chat' });
  expect(none.status).toBe(200);
  expect(invokeAnswer(none.body).value).toContain('找不到这个会话');
  const garbage = await side.execute(`${CHANNEL};messageid=1`, WANG, { kefu: 'claim', handoff: { $ne: 1 } });
  expect(garbage.status).toBe(200);

  const { user, created, id } = await handoffFromWidget();
  await user.ask('取消排队');
  const late = await side.execute(created.conversation, WANG, { kefu: 'claim', handoff: id });
  expect(invokeAnswer(late.body).value).toContain('这个会话已经结束');
  // The cancelled chat's card says so, in place.
  const cancelled = await teams.waitFor('the card cancelled', (call) => call.kind === 'update' && call.activityId === created.activityId);
  expect(texts(cardOf(cancelled))).toContain('用户已取消排队');
  expect(actionsOf(cardOf(cancelled))).toEqual([]);
});

test("the thread carries the chat: the claimant's words reach the user, the user's reach the thread, anyone else's are notes; /resolve ends it", async () => {
  const { user, created, id } = await handoffFromWidget();
  const thread = created.conversation;
  await side.execute(thread, WANG, { kefu: 'claim', handoff: id });
  let seen = (await user.waitForBot(3)).length;

  expect((await side.say(thread, WANG, '您好，我是小王，请问有什么可以帮您？')).status).toBe(200);
  const [reply] = (await user.waitForBot(seen + 1)).slice(seen);
  expect(reply).toBe('小王：您好，我是小王，请问有什么可以帮您？');
  seen += 1;

  const from = teams.calls.length;
  await user.say('我的手机号 13800000005 收不到验证码');
  const mirrored = await teams.waitFor("the user's line in the thread", teams.since(from, (call) => call.kind === 'post' && call.conversation === thread));
  expect(shownText(mirrored)).toBe('用户：我的手机号 138****0005 收不到验证码');

  // Alice writes in the thread: a note for the team; the user hears nothing of it.
  const noteFrom = teams.calls.length;
  await side.say(thread, ALICE, '这个号码上周也来问过');
  const noted = await teams.waitFor('the note confirmed', teams.since(noteFrom, (call) => call.kind === 'post' && call.conversation === thread));
  expect(noted.activity.text).toContain('内部备注');
  await side.say(thread, WANG, '/note 已核实身份');
  await side.say(thread, ALICE, '/resolve');
  const chat = (await wang.get<Chat>(`/api/agent/chats/${id}`)).body;
  expect(chat.notes.map((n) => [n.agentName, n.text])).toEqual([
    ['Alice', '这个号码上周也来问过'],
    ['小王', '已核实身份'],
  ]);
  expect(chat.handoff.status).toBe('active');
  expect(await user.botTexts()).toHaveLength(seen);

  await side.say(thread, WANG, '/resolve');
  const [rating] = (await user.waitForBot(seen + 1)).slice(seen);
  expect(rating).toContain('请为客服的服务打个分');
  const resolved = await teams.waitFor('the card resolved', (call) => call.kind === 'update' && call.activityId === created.activityId && texts(cardOf(call)).includes('已结束'));
  expect(actionsOf(cardOf(resolved))).toEqual([]);
  expect((await wang.get<Chat>(`/api/agent/chats/${id}`)).body.handoff.status).toBe('resolved');
  // The thread of a closed chat relays nothing any more.
  const afterFrom = teams.calls.length;
  await side.say(thread, WANG, '还在吗？');
  expect((await teams.waitFor('the refusal', teams.since(afterFrom, (call) => call.kind === 'post'))).activity.text).toContain('已经结束');
  expect(await user.botTexts()).toHaveLength(seen + 1);
});

test('the console and Teams agree: a claim in one shows in the other', async () => {
  const first = await handoffFromWidget();
  expect((await wang.post(`/api/agent/chats/${first.id}/claim`)).status).toBe(200);
  const shown = await teams.waitFor('the card claimed from the console', (call) => call.kind === 'update' && call.activityId === first.created.activityId);
  expect(texts(cardOf(shown))).toContain('小王 已接入');
  // Only the claimant's thread messages reach the user, whichever surface claimed.
  const seen = (await first.user.waitForBot(3)).length;
  await side.say(first.created.conversation, WANG, '控制台接入，Teams 回复');
  expect((await first.user.waitForBot(seen + 1)).at(-1)).toBe('小王：控制台接入，Teams 回复');

  const second = await handoffFromWidget();
  await side.execute(second.created.conversation, ALICE, { kefu: 'claim', handoff: second.id });
  const board = (await wang.get<Board>('/api/agent/board')).body;
  expect(board.active).toContainEqual(expect.objectContaining({ id: second.id, agentId: 'alice', agentName: 'Alice' }));
  expect((await wang.post(`/api/agent/chats/${second.id}/claim`)).status).toBe(403);
  for (const chat of [first, second]) await chat.user.ask('结束人工');
});

describe('HANDOFF_QUEUE_TIMEOUT_S', () => {
  let quick: RunningKefu;
  beforeAll(async () => {
    quick = await startKefu({ AGENTS_FILE: file, AGENT_TEAMS_CONVERSATION: CHANNEL, AGENT_TEAMS_SERVICE_URL: teams.url, HANDOFF_QUEUE_TIMEOUT_S: '1' });
  });
  afterAll(async () => {
    await quick.stop();
  });

  test('a chat nobody claims expires, and its card says so in place', async () => {
    const onQuick = new TeamsAgentSide(() => quick.url, teams, TENANT);
    await onQuick.say(CHANNEL, WANG, '在线');
    const user = await WidgetUser.open(quick.url);
    const from = teams.calls.length;
    expect((await user.ask('转人工'))[0]).toContain('排在第');
    const created = await teams.waitFor('the card', teams.since(from, (call) => call.kind === 'create'));
    const expired = await teams.waitFor('the card expired', (call) => call.kind === 'update' && call.activityId === created.activityId);
    expect(texts(cardOf(expired))).toContain('无人接入，已超时');
    expect(actionsOf(cardOf(expired))).toEqual([]);
  });
});

describe('two instances on Redis', () => {
  let redis: RedisServer;
  let a: Instance;
  let b: Instance;
  let onA: TeamsAgentSide;
  let onB: TeamsAgentSide;
  beforeAll(async () => {
    redis = await RedisServer.start();
    // No channel configured: the agents choose one, and every instance learns it from Redis.
    const env = { REDIS_URL: redis.url, AGENTS_FILE: file, AGENT_TEAMS_TENANT_ID: TENANT };
    a = await startInstance(env);
    b = await startInstance(env);
    onA = new TeamsAgentSide(() => a.url, teams, TENANT);
    onB = new TeamsAgentSide(() => b.url, teams, TENANT);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await redis?.destroy();
  });

  test("the channel chosen on one instance, the card posted by the other, claimed, replied and resolved across both", async () => {
    const learned = '19:learned-agents@thread.tacv2';
    const chose = teams.calls.length;
    await onA.say(`${learned};messageid=1`, STRANGER, 'kefu agents here');
    expect((await teams.waitFor('the refusal', teams.since(chose, (call) => call.kind === 'post'))).activity.text).toContain('您不是客服');
    const byAgent = teams.calls.length;
    await onA.say(`${learned};messageid=2`, WANG, '设为客服频道');
    expect((await teams.waitFor('the refusal', teams.since(byAgent, (call) => call.kind === 'post'))).activity.text).toContain('只有组长');
    const agreed = teams.calls.length;
    await onA.say(`${learned};messageid=3`, LIN, '设为客服频道');
    expect((await teams.waitFor('the agreement', teams.since(agreed, (call) => call.kind === 'post'))).activity.text).toContain('之后转人工的会话会发到这个频道');

    // The user is on B; Wang's presence in Teams (written on A) makes the queue open.
    const user = await WidgetUser.open(b.url);
    const from = teams.calls.length;
    expect((await user.ask('转人工'))[0]).toContain('排在第 1 位');
    const created = await teams.waitFor('the card', teams.since(from, (call) => call.kind === 'create'));
    expect(created.parameters?.channelData?.channel?.id).toBe(learned);
    const id = actionsOf(cardOf(created))[0]!.data.handoff;

    // Claimed on A: A finds B's card in Redis and updates that very message.
    const claimed = await onA.execute(created.conversation, WANG, { kefu: 'claim', handoff: id });
    expect(texts(invokeAnswer(claimed.body).value as Record<string, unknown>)).toContain('小王 已接入');
    const updated = await teams.waitFor('the card updated', (call) => call.kind === 'update' && call.activityId === created.activityId);
    expect(texts(cardOf(updated))).toContain('小王 已接入');
    let seen = (await user.waitForBot(3)).length;

    // The thread, on A, is B's card's: the reply reaches the user on B.
    await onA.say(created.conversation, WANG, '我在 A 上回复');
    expect((await user.waitForBot(seen + 1)).at(-1)).toBe('小王：我在 A 上回复');
    seen += 1;
    const mirroredFrom = teams.calls.length;
    await user.say('收到了');
    const mirrored = await teams.waitFor("the user's line", teams.since(mirroredFrom, (call) => call.kind === 'post' && call.conversation === created.conversation));
    expect(shownText(mirrored)).toBe('用户：收到了');

    await onB.say(created.conversation, WANG, '结束');
    expect((await user.waitForBot(seen + 1)).at(-1)).toContain('请为客服的服务打个分');
    await teams.waitFor('the card resolved', (call) => call.kind === 'update' && call.activityId === created.activityId && texts(cardOf(call)).includes('已结束'));
  });
});
