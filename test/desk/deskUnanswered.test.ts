import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { kefuForTests } from '../support/kefuServer';
import type { EntryJson } from './deskSupport';

/**
 * Issue 28, item 2: what users asked without a good answer, grouped by wording with how many
 * conversations asked, masked; a lead resolves a group into the draft (or dismisses it), it
 * leaves the list, and the evaluation checks every resolved question.
 */
jest.setTimeout(120_000);

const bot = kefuForTests();

interface Group {
  id: string;
  locale: string;
  count: number;
  conversations: number;
  examples: string[];
  downvoted: string[];
  nearest: { id: string; question: string; score: number }[];
}

const groups = async (lead: AgentClient) => (await lead.get<{ groups: Group[] }>('/api/knowledge/unanswered?locale=zh-CN')).body.groups;
const groupOf = (all: Group[], wording: string) => all.find((g) => g.examples.some((e) => e.includes(wording)));

test('unanswered groups: biggest first, conversations counted, masked; resolving takes them out and feeds the evaluation', async () => {
  // The bot falls back on these: a user's message lands in the signals as it does in a conversation.
  await bot.kefu.channel.ask('desk-u1', '提现怎么还没到账');
  await bot.kefu.channel.ask('desk-u2', '提现怎么还没到账');
  await bot.kefu.channel.ask('desk-u2', '提现怎么还没到账啊');
  await bot.kefu.signals.append({ kind: 'unanswered', question: '转账到13812345678这个号码了没到', locale: 'zh-CN' }, 'desk-u6');
  await bot.kefu.channel.ask('desk-u3', '帮我订一张明天去北京的机票');
  await bot.kefu.channel.ask('desk-u4', '今天天气怎么样');
  const lin = await AgentClient.signIn(bot.kefu.url, ...DEMO_AGENTS.lin);
  const listed = await groups(lin);
  const withdraw = groupOf(listed, '提现怎么还没到账');
  expect(withdraw).toEqual(expect.objectContaining({ locale: 'zh-CN', count: 3, conversations: 2, id: expect.stringMatching(/^[\w-]{6,}$/) }));
  expect(listed[0]?.id).toBe(withdraw?.id);
  const phone = groupOf(listed, '转账到');
  expect(phone?.examples[0]).toMatch(/^转账到138\*+5678这个号码了没到$/);
  expect(withdraw?.nearest.length).toBeGreaterThan(0);
  // The id holds from one call to the next: a page can resolve what it listed.
  expect(groupOf(await groups(lin), '提现怎么还没到账')?.id).toBe(withdraw?.id);

  const entry = { id: 'withdraw-arrival-time', locale: 'zh-CN', question: '提现多久能到账？', alternates: ['钱提出来了银行卡没收到'], answer: '提现到银行卡一般 2 小时内到账。' };
  const added = await lin.post(`/api/knowledge/unanswered/${withdraw?.id}/resolve`, { action: 'new-entry', entry });
  expect(added.status).toBe(200);
  expect(added.body).toEqual({ resolved: true, entry: { entry: expect.objectContaining({ id: entry.id }), etag: expect.any(String) } });

  const weather = groupOf(await groups(lin), '今天天气怎么样');
  expect((await lin.post(`/api/knowledge/unanswered/${weather?.id}/resolve`, { action: 'dismiss' })).body).toEqual({ resolved: true });

  expect((await lin.post(`/api/knowledge/unanswered/${phone?.id}/resolve`, { action: 'dismiss' })).status).toBe(200);
  const ticket = groupOf(await groups(lin), '机票');
  const outOfScope = await lin.post(`/api/knowledge/unanswered/${ticket?.id}/resolve`, { action: 'out-of-scope' });
  expect(outOfScope.status).toBe(200);
  const oos = (outOfScope.body as { entry: { entry: EntryJson } }).entry.entry;
  expect(oos.kind).toBe('out-of-scope');
  expect(oos.alternates).toContain('帮我订一张明天去北京的机票');

  expect(await groups(lin)).toEqual([]);
  expect((await lin.post(`/api/knowledge/unanswered/${weather?.id}/resolve`, { action: 'dismiss' })).status).toBe(404);

  // A phrasing added to an entry: the wording becomes one of its alternates.
  await bot.kefu.signals.append({ kind: 'feedback', vote: 'down', entryId: 'password-forgot', question: '支付密码不记得了咋办', locale: 'zh-CN' }, 'desk-u5');
  const downvoted = groupOf(await groups(lin), '支付密码不记得了咋办');
  expect(downvoted?.downvoted).toEqual(['password-forgot']);
  expect((await lin.post(`/api/knowledge/unanswered/${downvoted?.id}/resolve`, { action: 'phrasing', entryId: 'no-such-entry' })).status).toBe(404);
  const phrasing = await lin.post(`/api/knowledge/unanswered/${downvoted?.id}/resolve`, { action: 'phrasing', entryId: 'password-forgot' });
  expect(phrasing.status).toBe(200);
  expect((phrasing.body as { entry: { entry: EntryJson } }).entry.entry.alternates).toContain('支付密码不记得了咋办');

  // The evaluation takes every resolved question with the label it should now get (dismissed ones have none).
  const evaluation = (await lin.post('/api/knowledge/evaluate')).body as { resolved: { total: number; rightBefore: number; rightAfter: number; failing: unknown[] } };
  expect(evaluation.resolved.total).toBe(3);
  expect(evaluation.resolved.failing).toEqual([]);
  expect(evaluation.resolved.rightAfter).toBe(3);
  expect(evaluation.resolved.rightBefore).toBeLessThan(3);
});

test('a resolve with an unknown action is refused; an unknown group is 404', async () => {
  const lin = await AgentClient.signIn(bot.kefu.url, ...DEMO_AGENTS.lin);
  expect((await lin.post('/api/knowledge/unanswered/nope/resolve', { action: 'dismiss' })).status).toBe(404);
  expect((await lin.post('/api/knowledge/unanswered/nope/resolve', { action: 'delete-everything' })).status).toBe(400);
});
