import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { until } from '../support/until';
import { latestCode, kefuForTests } from '../support/kefuServer';

/** GET /metrics: the numbers move as turns, flows and handoffs happen. */

const bot = kefuForTests();

/** One sample's value from the Prometheus text format, 0 when absent. */
async function metric(name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${bot.kefu.url}/metrics`)).text();
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (wanted.every((pair) => line.includes(pair))) return Number(line.split(' ').at(-1));
  }
  return 0;
}

test('turns, latency, decisions, feedback, flows, handoffs, queue wait, CSAT and containment', async () => {
  const res = await fetch(`${bot.kefu.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');

  await bot.kefu.channel.ask('m-1', '忘记密码怎么办');
  await bot.kefu.channel.ask('m-1', '👍 有帮助');
  await bot.kefu.channel.ask('m-1', '今天天气怎么样');
  expect(await metric('kefu_turns_total', { channel: 'emulator', event: 'user.message' })).toBe(2);
  expect(await metric('kefu_turn_duration_seconds_count', { channel: 'emulator' })).toBe(3);
  expect(await metric('kefu_faq_decisions_total', { decision: 'answer' })).toBe(1);
  expect(await metric('kefu_faq_decisions_total', { decision: 'fallback' })).toBe(1);
  expect(await metric('kefu_feedback_total', { vote: 'up' })).toBe(1);

  // A flow cancelled, then one completed.
  await bot.kefu.channel.ask('m-2', '帮我解锁');
  await bot.kefu.channel.ask('m-2', '取消');
  await bot.kefu.channel.ask('m-3', '帮我解锁');
  await bot.kefu.channel.ask('m-3', '13800000003');
  await bot.kefu.channel.ask('m-3', await latestCode(bot.kefu.url, '13800000003'));
  expect(await metric('kefu_flows_total', { flow: 'unlock', event: 'started' })).toBe(2);
  expect(await metric('kefu_flows_total', { flow: 'unlock', event: 'abandoned' })).toBe(1);
  expect(await metric('kefu_flows_total', { flow: 'unlock', event: 'completed' })).toBe(1);
  expect(await metric('kefu_containment_ratio')).toBe(1);

  // A handoff through to a rating; then one with nobody online becomes a ticket.
  const wang = await AgentClient.signIn(bot.kefu.url, ...DEMO_AGENTS.wang);
  const events = await wang.stream();
  await bot.kefu.channel.ask('m-4', '转人工');
  const id = (await wang.get<{ queue: { id: string }[] }>('/api/agent/board')).body.queue[0]!.id;
  await wang.post(`/api/agent/chats/${id}/claim`);
  await wang.post(`/api/agent/chats/${id}/resolve`);
  await bot.kefu.channel.waitForMessages('m-4', 3);
  await bot.kefu.channel.ask('m-4', '4');
  expect(await metric('kefu_handoffs_total', { event: 'requested' })).toBe(1);
  expect(await metric('kefu_handoffs_total', { event: 'claimed' })).toBe(1);
  expect(await metric('kefu_handoffs_total', { event: 'resolved' })).toBe(1);
  expect(await metric('kefu_handoff_queue_wait_seconds_count')).toBe(1);
  expect(await metric('kefu_csat_rating_sum')).toBe(4);
  expect(await metric('kefu_conversations_total', { outcome: 'started' })).toBe(4);
  expect(await metric('kefu_containment_ratio')).toBe(0.75);
  events.close();
  expect((await wang.request('DELETE', '/api/agent/session')).status).toBe(204);

  await bot.kefu.channel.ask('m-5', '转人工');
  await bot.kefu.channel.ask('m-5', '留言');
  await bot.kefu.channel.ask('m-5', '13800000001');
  await bot.kefu.channel.ask('m-5', '请尽快给我回电话，谢谢');
  expect(await metric('kefu_handoffs_total', { event: 'ticket' })).toBe(1);
  expect(await metric('kefu_process_resident_memory_bytes')).toBeGreaterThan(0);
});

/** Every `kefu_faq_decisions_total` sample, by label. */
async function decisions(): Promise<Record<string, number>> {
  const text = await (await fetch(`${bot.kefu.url}/metrics`)).text();
  const found: Record<string, number> = {};
  for (const m of text.matchAll(/^kefu_faq_decisions_total\{decision="(\w+)"\} (\d+)$/gm)) found[m[1]!] = Number(m[2]);
  return found;
}

test('a scripted session counts as FAQ decisions only the free text the FAQ routing acted on', async () => {
  const before = await decisions();
  const signalsBefore = (await bot.kefu.signals.list()).length;
  const c = 'scripted-1';
  // An agent online, so that "转人工" queues the chat.
  const wang = await AgentClient.signIn(bot.kefu.url, ...DEMO_AGENTS.wang);
  const events = await wang.stream();
  await bot.kefu.channel.ask(c, '手机号换了怎么办'); // clarify: "您是想问：1… 2… 3…"
  await bot.kefu.channel.ask(c, '不用了'); // an act (none of those), not another clarification
  await bot.kefu.channel.ask(c, '忘记密码怎么办'); // answer
  await bot.kefu.channel.ask(c, '今天天气怎么样'); // fallback, real
  await bot.kefu.channel.ask(c, '帮我解锁'); // flow
  await bot.kefu.channel.ask(c, '13800000003'); // the flow's number
  await bot.kefu.channel.ask(c, await latestCode(bot.kefu.url, '13800000003')); // the flow's code
  await bot.kefu.channel.ask(c, '你们支持用火星币付款吗？'); // fallback, real
  await bot.kefu.channel.ask(c, '转人工'); // handoff
  const id = (await wang.get<{ queue: { id: string }[] }>('/api/agent/board')).body.queue[0]!.id;
  await wang.post(`/api/agent/chats/${id}/claim`);
  await wang.post(`/api/agent/chats/${id}/resolve`);
  await until(async () => bot.kefu.channel.messages(c).some((a) => (a.suggestedActions?.actions.length ?? 0) === 5));
  await bot.kefu.channel.ask(c, '5 分'); // the rating button
  events.close();
  expect((await wang.request('DELETE', '/api/agent/session')).status).toBe(204);

  const after = await decisions();
  const moved = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => v !== 0));
  expect(moved).toEqual({ clarify: 1, act: 1, answer: 1, fallback: 2, flow: 1, flow_input: 2, handoff: 1, with_person: 1 });
  // For the authors: the question none of whose options fitted, and the two real misses.
  const unanswered = (await bot.kefu.signals.list()).slice(signalsBefore).filter((s) => s.kind === 'unanswered');
  expect(unanswered.map((s) => s.kind === 'unanswered' && s.question)).toEqual(['手机号换了怎么办', '今天天气怎么样', '你们支持用火星币付款吗？']);
});
