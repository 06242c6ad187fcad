import pino from 'pino';
import { OtpService } from '../../bot/services/otp';
import { MemoryOtpStore } from '../../bot/storage/memory/otpStore';
import { ConsoleSmsOutbox } from '../../bot/services/sms';
import { Conversation, demoPlatform, helpDesk, text } from '../support/conversation';

/** What the user hears when a per-client limit refuses a handoff, a message left or a code. */

test('over the handoff limit: one clear sentence, nothing queued; the chat goes on', async () => {
  let allowed = 1;
  const desk = helpDesk(Date.now, async () => allowed-- > 0);
  await desk.agentOnline();
  const first = new Conversation('zh-CN', demoPlatform().platform, desk);
  expect(text(await first.say('转人工'))).toContain('排在第 1 位');

  const second = new Conversation('zh-CN', demoPlatform().platform, desk);
  expect(text(await second.say('转人工'))).toBe('您所在的网络最近转人工和留言的次数太多了，请过一段时间再试；有问题也可以继续问我。');
  expect(second.state).toBe('idle');
  expect((await desk.service.board()).queue).toHaveLength(1);
  // Still a conversation: questions are answered.
  expect(text(await second.say('忘记密码怎么办'))).toMatch(/密码/);

  const english = new Conversation('en-US', demoPlatform().platform, desk);
  expect(text(await english.say('I want to talk to a human agent'))).toBe(
    'Too many requests for an agent or messages have come from your network lately; please try again later, or keep asking me.',
  );
});

test('over the limit when leaving a message: told so, no ticket', async () => {
  const desk = helpDesk(Date.now, async () => false);
  const chat = new Conversation('zh-CN', demoPlatform().platform, desk);
  expect(text(await chat.say('转人工'))).toContain('暂时没有人工客服在线');
  await chat.say('留言');
  await chat.say('13800000002');
  expect(text(await chat.say('账户被锁了，想请客服联系我'))).toBe('您所在的网络最近转人工和留言的次数太多了，请过一段时间再试；有问题也可以继续问我。');
  expect((await desk.service.board()).tickets).toEqual([]);
});

test('over the SMS limit: no code is sent and the user is told why, in their language', async () => {
  const demo = demoPlatform();
  const outbox = new ConsoleSmsOutbox(pino({ level: 'silent' }));
  const platform = { ...demo.platform, sms: outbox, otp: new OtpService(new MemoryOtpStore(), outbox, 'test-otp-secret-of-at-least-32-characters', Date.now, async () => 'over' as const) };
  const zh = new Conversation('zh-CN', platform);
  await zh.say('帮我解锁');
  expect(text(await zh.say('13800000002'))).toContain('获取验证码的请求太多了，请过一段时间再试');
  const en = new Conversation('en-US', platform);
  await en.say('unlock my account');
  expect(text(await en.say('13800000003'))).toContain('Too many codes have been requested lately.');
  expect(outbox.messagesTo('13800000002')).toEqual([]);
  expect(outbox.messagesTo('13800000003')).toEqual([]);
});

test('SMS limits that cannot be counted (store down): no code is sent and the user hears the outage sentence, in their language', async () => {
  const demo = demoPlatform();
  const outbox = new ConsoleSmsOutbox(pino({ level: 'silent' }));
  const platform = { ...demo.platform, sms: outbox, otp: new OtpService(new MemoryOtpStore(), outbox, 'test-otp-secret-of-at-least-32-characters', Date.now, async () => 'unavailable' as const) };
  const zh = new Conversation('zh-CN', platform);
  await zh.say('帮我解锁');
  expect(text(await zh.say('13800000002'))).toContain('系统暂时无法服务');
  const en = new Conversation('en-US', platform);
  await en.say('unlock my account');
  expect(text(await en.say('13800000003'))).toContain('temporarily unavailable');
  expect(outbox.messagesTo('13800000002')).toEqual([]);
  expect(outbox.messagesTo('13800000003')).toEqual([]);
});
