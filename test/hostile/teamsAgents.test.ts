import crypto from 'node:crypto';
import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { ALICE, cardOf, CHANNEL, LIN, shownLines, STRANGER, TENANT, WANG, type TeamsCall, kefuWithTeamsAgents } from '../support/teamsConnector';
import { WidgetUser } from '../support/widgetUser';

/**
 * The Teams agents' channel against people who are not agents, forged and odd activities,
 * and the user side that must stay a user side.
 */

const setup = kefuWithTeamsAgents();
const { teams, side } = setup;
let console: AgentClient;
beforeAll(async () => {
  console = await AgentClient.signIn(setup.kefu.url, ...DEMO_AGENTS.wang);
});

const chatOf = async (id: string) => (await console.get<{ handoff: { status: string; agentId?: string }; notes: unknown[] }>(`/api/agent/chats/${id}`)).body;

/** A queued chat of a widget user, Wang online in Teams; its thread and id. */
async function queued(): Promise<{ user: WidgetUser; thread: string; id: string }> {
  await side.say(CHANNEL, WANG, '在线');
  const user = await WidgetUser.open(setup.kefu.url);
  const from = teams.calls.length;
  expect((await user.ask('转人工'))[0]).toContain('排在第');
  const created = await teams.waitFor('the card', teams.since(from, (call) => call.kind === 'create'));
  const id = (cardOf(created)?.actions as { data: { handoff: string } }[])[0]!.data.handoff;
  return { user, thread: created.conversation, id };
}

/** A Teams activity from another tenant, or shaped by hand. */
const raw = (fields: Record<string, unknown>) => ({
  id: crypto.randomUUID(),
  channelId: 'msteams',
  serviceUrl: teams.url,
  recipient: { id: '28:kefu-bot-app-id', name: 'Kefu' },
  locale: 'zh-cn',
  ...fields,
});

test("a mapped agent's click from another tenant is refused; the chat stays queued", async () => {
  const { thread, id } = await queued();
  const forged = raw({
    type: 'invoke',
    name: 'adaptiveCard/action',
    conversation: { id: thread, conversationType: 'channel', tenantId: 'evil-tenant' },
    from: WANG,
    channelData: { tenant: { id: 'evil-tenant' }, channel: { id: CHANNEL } },
    value: { action: { type: 'Action.Execute', verb: 'claim', data: { kefu: 'claim', handoff: id } } },
  });
  const answer = await side.post(forged);
  expect(answer.status).toBe(200);
  expect(JSON.stringify(answer.body)).toContain('您不是客服');
  expect((await chatOf(id)).handoff.status).toBe('queued');
});

test('a thread message without aadObjectId, or by someone who is no agent, is refused: never relayed, never a note', async () => {
  const { user, thread, id } = await queued();
  await side.execute(thread, WANG, { kefu: 'claim', handoff: id });
  const seen = (await user.waitForBot(3)).length;
  for (const [who, refusal] of [
    [{ id: '29:nobody', name: '无名' }, '无法确认您的 Teams 身份'],
    [STRANGER, '您不是客服'],
  ] as const) {
    const from = teams.calls.length;
    await side.say(thread, who, '您好，请把验证码发给我');
    expect((await teams.waitFor('the refusal', teams.since(from, (call) => call.kind === 'post'))).activity.text).toContain(refusal);
  }
  expect((await chatOf(id)).notes).toEqual([]);
  // Wang's own line after them is the first the user gets: nothing of theirs went before it.
  await side.say(thread, WANG, '我是小王');
  expect((await user.waitForBot(seen + 1)).slice(seen)).toEqual(['小王：我是小王']);
  await user.ask('结束人工');
});

test("the claimant's message longer than the console allows is not relayed, and the agent is told", async () => {
  const { user, thread, id } = await queued();
  await side.execute(thread, WANG, { kefu: 'claim', handoff: id });
  const seen = (await user.waitForBot(3)).length;
  const from = teams.calls.length;
  await side.say(thread, WANG, '长'.repeat(2001));
  expect((await teams.waitFor('the refusal', teams.since(from, (call) => call.kind === 'post'))).activity.text).toContain('2000');
  await side.say(thread, WANG, '短的');
  expect((await user.waitForBot(seen + 1)).slice(seen)).toEqual(['小王：短的']);
  await user.ask('结束人工');
});

test('invokes the agents\' side does not serve, and junk button values, get an answer and break nothing', async () => {
  for (const activity of [
    raw({ type: 'invoke', name: 'composeExtension/query', conversation: { id: CHANNEL, conversationType: 'channel' }, from: WANG, channelData: { tenant: { id: TENANT } }, value: {} }),
    raw({ type: 'invoke', name: 'adaptiveCard/action', conversation: { id: CHANNEL, conversationType: 'channel' }, from: WANG, channelData: { tenant: { id: TENANT } }, value: { action: 'claim' } }),
    raw({ type: 'message', conversation: { id: CHANNEL, conversationType: 'channel' }, from: WANG, channelData: { tenant: { id: TENANT } }, value: { kefu: ['claim'], handoff: 7 } }),
    raw({ type: 'conversationUpdate', conversation: { id: CHANNEL, conversationType: 'channel' }, from: WANG, membersAdded: [{ id: '28:kefu-bot-app-id' }], channelData: { tenant: { id: TENANT } } }),
  ]) {
    expect((await side.post(activity)).status).toBeLessThan(300);
  }
  // Still serving: a handoff still becomes a card.
  await queued();
});

test('the user side stays the user side: an agent in a personal chat, or in another channel, is answered as a user', async () => {
  for (const conversation of [
    { id: 'a:wang-personal', conversationType: 'personal', tenantId: TENANT },
    { id: '19:other-channel@thread.tacv2;messageid=5', conversationType: 'channel', tenantId: TENANT },
  ]) {
    const from = teams.calls.length;
    const activity = raw({
      type: 'message',
      text: '<at>Kefu</at> 忘记密码怎么办',
      entities: [{ type: 'mention', text: '<at>Kefu</at>', mentioned: { id: '28:kefu-bot-app-id', name: 'Kefu' } }],
      conversation,
      from: WANG,
      channelData: { tenant: { id: TENANT } },
    });
    expect((await side.post(activity)).status).toBe(200);
    const answer = await teams.waitFor('the FAQ answer', teams.since(from, (call) => call.kind === 'post' && call.activity.type === 'message' && call.conversation === conversation.id));
    expect(JSON.stringify(answer.activity)).toMatch(/密码/);
    expect(JSON.stringify(answer.activity)).not.toContain('/resolve');
  }
});

test("'kefu agents here' in a group chat is refused: the agents' channel stays where it was", async () => {
  const from = teams.calls.length;
  await side.post(
    raw({
      type: 'message',
      text: '<at>Kefu</at> kefu agents here',
      entities: [{ type: 'mention', text: '<at>Kefu</at>', mentioned: { id: '28:kefu-bot-app-id', name: 'Kefu' } }],
      conversation: { id: '19:group@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId: TENANT },
      from: LIN,
      channelData: { tenant: { id: TENANT } },
    }),
  );
  expect((await teams.waitFor('the refusal', teams.since(from, (call) => call.kind === 'post'))).activity.text).toContain('请在团队的频道中使用');
  const before = teams.calls.length;
  await queued();
  expect(teams.calls.find(teams.since(before, (call) => call.kind === 'create'))?.parameters?.channelData?.channel?.id).toBe(CHANNEL);
});

/** What a user types to pass for something else: a link, an image, emphasis, and a line that looks like one of the card's facts. */
const DISGUISED = ['[点我](https://evil.example/x)', '![](https://evil.example/p.png)', '**加粗**', '好的\n号码验证：已通过短信验证码验证'];
/** How each must read: on the user's own line, as typed, a line break shown as ↵. */
const AS_TYPED = ['用户：[点我](https://evil.example/x)', '用户：![](https://evil.example/p.png)', '用户：**加粗**', '用户：好的 ↵ 号码验证：已通过短信验证码验证'];

/** Nothing of the user's is read as Markdown, no line of the call starts as a fact of ours would, each disguised message is one user line. */
function expectInert(call: TeamsCall | undefined, expected: string[]) {
  const lines = shownLines(call);
  for (const line of lines.filter((l) => l.markdown)) expect(line.text).not.toMatch(/evil\.example|加粗|好的/);
  expect(lines.filter((l) => l.text.startsWith('号码验证'))).toEqual([]);
  const plain = lines.filter((l) => !l.markdown).map((l) => l.text);
  for (const line of expected) expect(plain).toContain(line);
  // The user's name in a style of its own, so their line is told from the bot's at a glance.
  const runs = (cardOf(call)?.body as { type: string; inlines?: Record<string, unknown>[] }[]).filter((b) => b.type === 'RichTextBlock').map((b) => b.inlines?.[0]);
  for (const run of runs.filter((r) => r?.text === '用户：')) expect(run).toMatchObject({ weight: 'Bolder', color: 'Accent' });
}

test("a user's links, images, emphasis and fake lines are inert text on the user's own line: in the card, the thread and the full transcript", async () => {
  await side.say(CHANNEL, WANG, '在线');
  const user = await WidgetUser.open(setup.kefu.url);
  // Counted before the disguised lines: one of them may already take a person the bot offered.
  const from = teams.calls.length;
  for (const text of DISGUISED) await user.ask(text);
  await user.ask('转人工');
  const created = await teams.waitFor('the card', teams.since(from, (call) => call.kind === 'create'));
  // The card shows the last few lines only: each user line it shows is one disguised message, as typed.
  const userLines = shownLines(created).filter((l) => !l.markdown && l.text.startsWith('用户：') && l.text !== '用户：转人工').map((l) => l.text);
  expect(userLines.length).toBeGreaterThanOrEqual(2);
  expectInert(created, userLines);
  expect(AS_TYPED).toEqual(expect.arrayContaining(userLines));
  const id = (cardOf(created)?.actions as { data: { handoff: string } }[])[0]!.data.handoff;

  // The same words once the chat is queued: each relayed into the thread as the user's line.
  const relayed = teams.calls.length;
  for (const text of DISGUISED) await user.say(text);
  const posts = () => teams.calls.filter(teams.since(relayed, (call) => call.kind === 'post' && call.conversation === created.conversation));
  await teams.waitFor('four relayed lines', () => posts().length >= DISGUISED.length);
  posts().forEach((call, i) => expectInert(call, [AS_TYPED[i]!]));

  // 查看全文: the whole transcript, each of them still the user's single line.
  const full = teams.calls.length;
  await side.execute(created.conversation, WANG, { kefu: 'transcript', handoff: id });
  const transcript = await teams.waitFor('the transcript', teams.since(full, (call) => call.kind === 'post' && call.conversation === created.conversation));
  expectInert(transcript, AS_TYPED);
  await user.ask('取消排队');
});

test("an agent who is no lead cannot move the agents' channel, from another channel or from the agents' own: the cards stay where they were", async () => {
  for (const [where, who, text] of [
    ['19:elsewhere@thread.tacv2;messageid=7', WANG, 'kefu agents here'],
    ['19:elsewhere@thread.tacv2;messageid=8', ALICE, '设为客服频道'],
    [CHANNEL, ALICE, 'kefu agents here'],
  ] as const) {
    const from = teams.calls.length;
    expect((await side.say(where, who, text)).status).toBe(200);
    const refusal = await teams.waitFor('the refusal', teams.since(from, (call) => call.kind === 'post'));
    expect([where, refusal.activity.text]).toEqual([where, expect.stringContaining('只有组长')]);
  }
  const before = teams.calls.length;
  await queued();
  expect(teams.calls.find(teams.since(before, (call) => call.kind === 'create'))?.parameters?.channelData?.channel?.id).toBe(CHANNEL);
});
