import fs from 'node:fs';
import path from 'node:path';
import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { ARTIFACTS, launchBrowser, signInToConsole } from '../support/browser';
import { cardOf, CHANNEL, STRANGER, TENANT, WANG, type TeamsCall, kefuWithTeamsAgents } from '../support/teamsConnector';

/**
 * Teams agents who watch the channel quietly: on duty (上班) until off duty (下班), and the
 * messages users leave (留言) posted to the channel as cards with 已联系.
 */

interface Figures {
  agentsOnline: number;
  onDuty: { id: string; name: string; until: number | null }[];
}
interface Board {
  tickets: { id: string }[];
}

const texts = (card: Record<string, unknown> | undefined) => JSON.stringify(card ?? {});
const actionsOf = (card: Record<string, unknown> | undefined) => (card?.actions ?? []) as { type: string; title: string; data: Record<string, string> }[];
const invokeAnswer = (body: unknown) => body as { statusCode: number; type: string; value: unknown };

const setup = kefuWithTeamsAgents();
const { teams, side } = setup;
let lead: AgentClient;
beforeAll(async () => {
  // Reads the figures only: without the console's event stream a lead is not online.
  lead = await AgentClient.signIn(setup.kefu.url, ...DEMO_AGENTS.lin);
});


/** What the bot answered a message of the agent's in the channel. */
async function tell(text: string): Promise<string> {
  const from = teams.calls.length;
  expect((await side.say(CHANNEL, WANG, text)).status).toBe(200);
  const answer = await teams.waitFor(`the answer to ${text}`, teams.since(from, (call) => call.kind === 'post'));
  return String(answer.activity.text);
}

test('上班 makes a quiet Teams agent available until 下班: users are queued, then told nobody is online again', async () => {
  const [before] = await setup.kefu.channel.ask('d-1', '转人工');
  expect(before?.text).toContain('暂时没有人工客服在线');

  const on = await tell('上班');
  expect(on).toContain('您已上班');
  expect(on).toContain('下班');
  const figures = (await lead.get<Figures>('/api/agent/supervisor')).body;
  expect(figures.onDuty).toEqual([{ id: 'wang', name: '小王', until: null }]);
  expect(figures.agentsOnline).toBe(1);

  const [queued] = await setup.kefu.channel.ask('d-2', '转人工');
  expect(queued?.text).toContain('排在第 1 位');
  await setup.kefu.channel.ask('d-2', '取消排队');

  expect(await tell('下班')).toContain('您已下班');
  expect((await lead.get<Figures>('/api/agent/supervisor')).body.onDuty).toEqual([]);
  const [after] = await setup.kefu.channel.ask('d-3', '转人工');
  expect(after?.text).toContain('暂时没有人工客服在线');
});

/** A user leaves a message while nobody is online; returns its ticket id and the card posted for it. */
async function leaveMessage(conversation: string, phone: string, text: string): Promise<{ ticket: string; card: TeamsCall }> {
  const from = teams.calls.length;
  const [offer] = await setup.kefu.channel.ask(conversation, '转人工');
  expect(offer?.text).toContain('暂时没有人工客服在线');
  await setup.kefu.channel.ask(conversation, '留言');
  await setup.kefu.channel.ask(conversation, phone);
  const [left] = await setup.kefu.channel.ask(conversation, text);
  const ticket = /工单号 (T-\d{8}-\w{4})/.exec(left?.text ?? '')?.[1];
  expect(ticket).toBeDefined();
  const card = await teams.waitFor('the ticket card', teams.since(from, (call) => call.kind === 'create' && texts(cardOf(call)).includes(ticket!)));
  return { ticket: ticket!, card };
}

test('a message left is a card in the agents\' channel, number masked; 已联系 there closes it in the console, and closing in the console updates the card', async () => {
  const { ticket, card } = await leaveMessage('m-1', '13800000001', '转账一直失败，请尽快联系我，也可以打 13912345678，身份证 11010519491231002X');
  expect(card.parameters).toEqual(expect.objectContaining({ channelData: { channel: { id: CHANNEL }, tenant: { id: TENANT } } }));
  const shown = texts(cardOf(card));
  for (const fact of [`留言工单 ${ticket}`, '待联系', '138****0001', '用户要求转人工', '转账一直失败，请尽快联系我', '139****5678']) expect(shown).toContain(fact);
  for (const whole of ['13800000001', '13912345678', '11010519491231002X']) expect(shown).not.toContain(whole);
  expect(actionsOf(cardOf(card)).map((a) => [a.title, a.data])).toEqual([['已联系 Contacted', { kefu: 'contacted', ticket }]]);
  const second = await leaveMessage('m-2', '13900000002', '想问问提现多久到账');

  // Anyone may read the channel; only an agent of AGENTS_FILE closes a ticket.
  const stranger = await side.execute(card.conversation, STRANGER, { kefu: 'contacted', ticket });
  expect(invokeAnswer(stranger.body).value).toContain('您不是客服');
  // A message in the ticket's thread never reaches the user: the agent is told so.
  expect(await (async () => {
    const from = teams.calls.length;
    await side.say(card.conversation, WANG, '我来打');
    return String((await teams.waitFor('the thread answer', teams.since(from, (call) => call.kind === 'post'))).activity.text);
  })()).toContain('不会发给用户');

  const from = teams.calls.length;
  const pressed = await side.execute(card.conversation, WANG, { kefu: 'contacted', ticket });
  expect(invokeAnswer(pressed.body).type).toBe('application/vnd.microsoft.card.adaptive');
  const updated = await teams.waitFor('the card updated', teams.since(from, (call) => call.kind === 'update' && call.activityId === card.activityId));
  expect(texts(cardOf(updated))).toContain('已联系（小王）');
  expect(actionsOf(cardOf(updated))).toEqual([]);
  expect((await lead.get<Board>('/api/agent/board')).body.tickets.map((t) => t.id)).toEqual([second.ticket]);
  const again = await side.execute(card.conversation, WANG, { kefu: 'contacted', ticket });
  expect(invokeAnswer(again.body).value).toContain('已经标记为已联系');

  const console = teams.calls.length;
  expect((await lead.post(`/api/agent/tickets/${second.ticket}/close`)).status).toBe(200);
  const closedThere = await teams.waitFor('the second card updated', teams.since(console, (call) => call.kind === 'update' && call.activityId === second.card.activityId));
  expect(texts(cardOf(closedThere))).toContain('已联系（林组长）');
  // Pressing buttons made 小王 present for a while: 下班 ends that too.
  await tell('下班');
}, 90_000);

test('in the console: a lead\'s overview names who is on duty in Teams, and no longer after 下班', async () => {
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await signInToConsole(page, setup.kefu.url, DEMO_AGENTS.lin);
    await page.getByRole('button', { name: '今日概览' }).click();
    await page.getByText('Teams 值班：无').waitFor();
    await tell('上班');
    await page.getByText('Teams 值班：小王（至下班）').waitFor();
    await page.getByText('2 位客服在线').waitFor();
    const dir = path.join(ARTIFACTS, 'teams-duty');
    fs.mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, 'on-duty.png'), fullPage: true });
    await tell('下班');
    await page.getByText('Teams 值班：无').waitFor();
    await page.getByText('1 位客服在线').waitFor();
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
  }
}, 90_000);
