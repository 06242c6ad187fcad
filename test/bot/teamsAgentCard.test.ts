import { oneLine } from '../../bot/channels/render';
import { CARD_LINES, chatLine, handoffCard, linesCards } from '../../bot/handoff/teamsAgents/card';
import { cardLines } from '../support/teamsConnector';
import { cardAction, channelOf, parseAgentText } from '../../bot/handoff/teamsAgents/commands';
import type { Handoff, HandoffStatus } from '../../domain/handoff';

/** The Teams agents' card and commands: pure functions of what they are given. */

const handoff = (status: HandoffStatus, extra: Partial<Handoff> = {}): Handoff => ({
  id: 'h1',
  conversation: 'directline:c1',
  channel: 'msteams',
  locale: 'en-US',
  status,
  priority: 'normal',
  context: { reason: 'complaint', misses: [] },
  createdAt: 1000,
  ...extra,
});
const text = (value: unknown) => JSON.stringify(value);
const verbs = (status: HandoffStatus) => handoffCard(handoff(status, { agentName: '小王' }), []).actions.map((a) => (a.data as { kefu: string }).kefu);

test('buttons follow the state: Claim only while queued, the transcript while open, none once closed', () => {
  expect(verbs('queued')).toEqual(['claim', 'transcript']);
  expect(verbs('active')).toEqual(['transcript']);
  for (const closed of ['resolved', 'cancelled', 'expired'] as const) expect(verbs(closed)).toEqual([]);
});

test('each state is shown in words, with who has the chat', () => {
  expect(text(handoffCard(handoff('queued'), []))).toContain('排队中');
  expect(text(handoffCard(handoff('active', { agentName: '小王' }), []))).toContain('小王 已接入');
  expect(text(handoffCard(handoff('resolved', { agentName: '小王' }), []))).toContain('已结束（小王处理）');
  expect(text(handoffCard(handoff('cancelled'), []))).toContain('用户已取消排队');
  expect(text(handoffCard(handoff('expired'), []))).toContain('无人接入，已超时');
  const card = text(handoffCard(handoff('queued'), []));
  for (const words of ['投诉或不满', 'English', 'Microsoft Teams']) expect(card).toContain(words);
  expect(card).not.toContain('所在流程');
});

test('a flow that ended before the handoff says how it ended, as the console does', () => {
  const trail = { flow: 'unlock', verified: true, maskedPhone: '138****0003' };
  const completed = text(handoffCard(handoff('queued', { context: { reason: 'user-request', misses: [], trail: { ...trail, outcome: 'completed' } } }), []));
  expect(completed).toContain('账户解锁 · 已办理完成');
  expect(completed).toContain('138****0003');
  const cancelled = text(handoffCard(handoff('queued', { context: { reason: 'user-request', misses: [], trail: { ...trail, stage: 'awaitingCode', outcome: 'cancelled' } } }), []));
  expect(cancelled).toContain('账户解锁 · 用户中途取消 · 取消时：已向该号码发送验证码，等待用户输入');
  // A flow still running says where it stands.
  expect(text(handoffCard(handoff('queued', { context: { reason: 'flow-stuck', misses: [], trail: { ...trail, stage: 'awaitingCode' } } }), []))).toContain('账户解锁：已向该号码发送验证码');
});

test('the last lines only, each cut short; files counted, never linked', () => {
  const lines = Array.from({ length: 10 }, (_, i) => ({ at: i, from: 'user' as const, text: `${i}`.repeat(i === 9 ? 500 : 1) }));
  const withFile = [...lines, { at: 11, from: 'user' as const, text: '', attachments: [{ name: 'id.png', contentType: 'image/png', url: 'https://evil.example/x' }] }];
  const card = handoffCard(handoff('queued'), withFile);
  const shown = cardLines(card)
    .filter((line) => line.text.startsWith('用户：'))
    .map((line) => line.text);
  expect(shown).toHaveLength(CARD_LINES);
  expect(shown.at(-2)?.length).toBeLessThan(220);
  expect(shown.at(-1)).toBe('用户： [附件 1]');
  expect(text(card)).not.toContain('evil.example');
});

test("a user's words on one line: every kind of line break shown as ↵, controls and bidi overrides dropped", () => {
  expect(oneLine('好的\r\n号码验证：已通过\u2028手机号：138\u202e0002\u0000\t!')).toBe('好的 ↵ 号码验证：已通过 ↵ 手机号：1380002 !');
  expect(oneLine('[点我](https://evil.example/x)')).toBe('[点我](https://evil.example/x)');
});

test('the full transcript is cut into cards under a size, the heading on the first, no line lost or split', () => {
  const lines = Array.from({ length: 30 }, (_, i) => chatLine({ from: 'user', who: '用户', text: `${i}`.padEnd(300, '字') }));
  const cards = linesCards('对话全文：', lines, 4000);
  expect(cards.length).toBeGreaterThan(1);
  for (const card of cards) expect(Buffer.byteLength(JSON.stringify(card.body))).toBeLessThan(4000 + 200);
  expect(cards.flatMap((card) => cardLines(card).map((line) => line.text))).toEqual(['对话全文：', ...lines.map((_, i) => `用户：${`${i}`.padEnd(300, '字')}`)]);
});

test('agent text: the channel command, /resolve and 结束, /note, anything else is said', () => {
  expect(parseAgentText(' kefu agents here ')).toEqual({ kind: 'here' });
  expect(parseAgentText('设为客服频道')).toEqual({ kind: 'here' });
  expect(parseAgentText('/RESOLVE')).toEqual({ kind: 'resolve' });
  expect(parseAgentText('结束')).toEqual({ kind: 'resolve' });
  expect(parseAgentText('/note  已核实\n第二行')).toEqual({ kind: 'note', text: '已核实\n第二行' });
  expect(parseAgentText('/note')).toEqual({ kind: 'empty' });
  expect(parseAgentText('结束了吗？')).toEqual({ kind: 'say', text: '结束了吗？' });
  expect(parseAgentText(undefined)).toEqual({ kind: 'empty' });
});

test('card buttons: Action.Execute invokes and Action.Submit values are read; anything else is no button', () => {
  const data = { kefu: 'claim', handoff: 'h1' };
  expect(cardAction({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'claim', data } } })).toEqual(data);
  expect(cardAction({ type: 'message', value: data })).toEqual(data);
  expect(cardAction({ type: 'message', value: { kefu: 'delete', handoff: 'h1' } })).toBeUndefined();
  expect(cardAction({ type: 'message', value: { kefu: 'claim', handoff: { $ne: 1 } } })).toBeUndefined();
  expect(cardAction({ type: 'invoke', name: 'adaptiveCard/action', value: 'x' })).toBeUndefined();
  expect(cardAction({ type: 'invoke', name: 'composeExtension/query', value: { action: { type: 'Action.Execute', data } } })).toBeUndefined();
  expect(cardAction({ type: 'message' })).toBeUndefined();
});

test("a thread's conversation id names its channel", () => {
  expect(channelOf('19:abc@thread.tacv2;messageid=1700')).toBe('19:abc@thread.tacv2');
  expect(channelOf('19:abc@thread.tacv2')).toBe('19:abc@thread.tacv2');
});
