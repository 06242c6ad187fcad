import { insightsSchema } from '../../bot/desk/insights';
import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { kefuForTests } from '../support/kefuServer';

/** GET /api/knowledge/insights: leads only, every day of the window, what the bot counted today. */

const bot = kefuForTests();

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

test('no session → 401, an agent → 403, each with an error', async () => {
  const nobody = await AgentClient.anonymous(bot.kefu.url).get<{ error: string }>('/api/knowledge/insights');
  expect(nobody.status).toBe(401);
  expect(nobody.body.error).toEqual(expect.any(String));
  const wang = await AgentClient.signIn(bot.kefu.url, ...DEMO_AGENTS.wang);
  const agent = await wang.get<{ error: string }>('/api/knowledge/insights?days=30');
  expect(agent.status).toBe(403);
  expect(agent.body.error).toContain('lead');
});

test('a lead gets 30 China-time days, oldest first and ending today, with what users did today', async () => {
  // Opened and left without a word: no conversation. Opened, then written in: one.
  expect((await bot.kefu.channel.join('ins-0')).status).toBe(200);
  await bot.kefu.channel.waitForMessages('ins-0', 1);
  await bot.kefu.channel.ask('ins-1', '今天天气怎么样');
  expect((await bot.kefu.channel.join('ins-2')).status).toBe(200);
  await bot.kefu.channel.waitForMessages('ins-2', 1);
  await bot.kefu.channel.ask('ins-2', '验证码收不到怎么办');
  await bot.kefu.channel.ask('ins-2', '👍 有帮助');
  const lin = await AgentClient.signIn(bot.kefu.url, ...DEMO_AGENTS.lin);
  const { status, body } = await lin.get('/api/knowledge/insights?days=30');
  expect(status).toBe(200);
  const insights = insightsSchema.strict().parse(body);
  expect(insights.days).toHaveLength(30);
  expect(insights.days.at(-1)?.date).toBe(today());
  expect(insights.days.map((d) => d.date)).toEqual([...insights.days.map((d) => d.date)].sort());
  expect(insights.days.at(-1)).toEqual(expect.objectContaining({ conversations: 2, answeredByBot: 2, questions: 2, fallbacks: 1, thumbsUp: 1, thumbsDown: 0 }));
  expect(insights.days.slice(0, -1).every((d) => d.conversations === 0)).toBe(true);
  expect(insights.topUnanswered).toEqual([{ wording: '今天天气怎么样', count: 1 }]);
});

test('days is a whole number within what is kept; the chart library is served from node_modules', async () => {
  const lin = await AgentClient.signIn(bot.kefu.url, ...DEMO_AGENTS.lin);
  expect(((await lin.get<{ days: unknown[] }>('/api/knowledge/insights?days=7')).body.days ?? []).length).toBe(7);
  expect((await lin.get('/api/knowledge/insights?days=0')).status).toBe(400);
  expect((await lin.get('/api/knowledge/insights?days=abc')).status).toBe(400);
  expect((await lin.get('/api/knowledge/insights?days=400')).status).toBe(400);
  const chart = await fetch(`${bot.kefu.url}/knowledge/vendor/chart.umd.js`);
  expect(chart.status).toBe(200);
  expect(chart.headers.get('content-type')).toContain('javascript');
  expect(await chart.text()).toContain('Chart');
});
