import { HandoffService } from '../../bot/handoff/service';
import { parseSchedule } from '../../bot/handoff/schedule';
import { MemoryConsoleBus, MemoryHandoffStore } from '../../bot/storage/memory/handoffStore';
import pino from 'pino';
import { buttons, Conversation, demoPlatform, helpDesk, text } from '../support/conversation';

/** The handoff as the user lives it, turn by turn, with the real service on a memory store. */

function queuedChat() {
  const desk = helpDesk();
  const chat = new Conversation('zh-CN', demoPlatform().platform, desk);
  return { desk, chat };
}

test('request → queue position → agent joins → messages both ways → resolve → rating', async () => {
  const { desk, chat } = queuedChat();
  await desk.agentOnline();
  await chat.say('忘记密码怎么办');
  const queued = await chat.say('转人工');
  expect(text(queued)).toContain('排在第 1 位，预计等待约 5 分钟');
  expect(buttons(queued)).toEqual(['取消排队']);

  // While queued the bot does not answer questions; it says the agent will read them.
  expect(text(await chat.say('我的账户怎么了'))).toContain('还在排队');

  const handoff = await desk.store.openFor(chat.key);
  expect((await desk.service.claim(handoff!.id, desk.wang)).ok).toBe(true);
  expect(text(chat.pushed.at(-1)!)).toContain('人工客服「小王」已接入');
  expect(chat.state).toEqual({ withHuman: 'withAgent' });

  // With the agent: the bot is silent, whatever the user types — even its own commands.
  for (const words of ['我的账户被锁了', '帮助', '你好', '13800000003']) expect((await chat.say(words)).replies).toEqual([]);
  await desk.service.reply(handoff!.id, desk.wang, '<b>请稍等</b>，我查一下');
  const relayed = chat.pushed.at(-1)!.replies[0];
  expect(relayed).toEqual({ text: '小王：<b>请稍等</b>，我查一下', plain: true });

  await desk.service.resolve(handoff!.id, desk.wang);
  const rating = chat.pushed.at(-1)!;
  expect(text(rating)).toContain('请为客服的服务打个分');
  expect(buttons(rating)).toEqual(['⭐ 5 分', '⭐ 4 分', '⭐ 3 分', '⭐ 2 分', '⭐ 1 分']);
  expect(text(await chat.say('4'))).toContain('感谢您的评价');
  expect(chat.state).toBe('idle');
  expect((await desk.store.lastClosed(chat.key))?.rating).toBe(4);
  // Back with the bot.
  expect(text(await chat.say('忘记密码怎么办'))).toMatch(/密码/);
});

test('a question instead of a rating is answered, and no rating is stored', async () => {
  const { desk, chat } = queuedChat();
  await desk.agentOnline();
  await chat.say('人工客服');
  const handoff = await desk.store.openFor(chat.key);
  await desk.service.claim(handoff!.id, desk.wang);
  await desk.service.resolve(handoff!.id, desk.wang);
  expect(text(await chat.say('验证码收不到怎么办'))).toContain('验证码');
  expect((await desk.store.lastClosed(chat.key))?.rating).toBeUndefined();
});

test('取消排队 leaves the queue, and those behind move up and are told', async () => {
  const desk = helpDesk();
  await desk.agentOnline();
  const first = new Conversation('zh-CN', demoPlatform().platform, desk);
  const second = new Conversation('zh-CN', demoPlatform().platform, desk);
  await first.say('转人工');
  expect(text(await second.say('转人工'))).toContain('排在第 2 位');
  expect(text(await second.say('转人工'))).toContain('目前排在第 2 位');
  expect(text(await first.say('取消排队'))).toContain('已为您取消排队');
  expect(first.state).toBe('idle');
  expect(text(second.pushed.at(-1)!)).toContain('马上就到您了');
  expect((await desk.service.board()).queue).toHaveLength(1);
});

test('nobody claims in time: the chat expires and the user may leave a message', async () => {
  const clock = { ms: Date.parse('2026-11-23T10:00:00+08:00') };
  const desk = helpDesk(() => clock.ms);
  const chat = new Conversation('zh-CN', demoPlatform().platform, desk);
  await desk.agentOnline();
  await chat.say('转人工');
  clock.ms += 9 * 60_000;
  await desk.service.sweep();
  expect(chat.pushed).toHaveLength(0);
  clock.ms += 2 * 60_000;
  await desk.service.sweep();
  expect(text(chat.pushed.at(-1)!)).toContain('一直没能接入');
  expect(chat.state).toBe('offeringMessage');
  expect((await desk.store.lastClosed(chat.key))?.status).toBe('expired');
});

test('no agent online: a message is taken as a ticket, with the number masked in the reply', async () => {
  const { desk, chat } = queuedChat();
  const offer = await chat.say('转人工');
  expect(text(offer)).toContain('暂时没有人工客服在线');
  expect(buttons(offer)).toEqual(['留言', '不用了']);
  expect(text(await chat.say('留言'))).toContain('手机号');
  expect(text(await chat.say('随便'))).toContain('不是有效的手机号');
  expect(text(await chat.say('我的手机是 138 0000 0002'))).toContain('描述');
  expect(text(await chat.say('锁了'))).toContain('多写几个字');
  const left = await chat.say('账户被锁了，验证码 123456 也收不到，身份证 11010519491231002X');
  expect(text(left)).toMatch(/工单号 T-\d{8}-[0-9A-Z]{4}。客服会尽快通过 138\*\*\*\*0002 联系您/);
  const [ticket] = (await desk.service.board()).tickets;
  expect(ticket).toEqual(expect.objectContaining({ contact: '138****0002', reason: 'user-request', status: 'open' }));
  expect(ticket?.text).toBe('账户被锁了，验证码 ****** 也收不到，身份证 110***********002X');
  expect(chat.state).toBe('idle');
});

test('declining to leave a message, and cancelling it half-way', async () => {
  const { chat } = queuedChat();
  await chat.say('转人工');
  expect(text(await chat.say('不用了'))).toContain('继续问我');
  await chat.say('转人工');
  await chat.say('留言');
  expect(text(await chat.say('取消'))).toContain('已取消');
  expect(chat.state).toBe('idle');
});

test('outside business hours the user is told the hours and offered a message', async () => {
  const store = new MemoryHandoffStore();
  const service = new HandoffService({
    store,
    bus: new MemoryConsoleBus(),
    schedule: parseSchedule('mon-fri 09:00-18:00', 'Asia/Shanghai'),
    queueTimeoutMs: 600_000,
    defaultHandleMs: 300_000,
    notify: async () => undefined,
    logger: pino({ level: 'silent' }),
    // Sunday 22 Nov 2026, 15:00 in Shanghai.
    now: () => Date.parse('2026-11-22T15:00:00+08:00'),
  });
  await service.agentOnline({ id: 'wang', name: '小王' });
  const desk = { ...helpDesk(), service, store };
  const chat = new Conversation('zh-CN', demoPlatform().platform, desk);
  const closed = await chat.say('转人工');
  expect(text(closed)).toContain('现在不在人工客服的服务时间（北京时间周一至周五 09:00–18:00）');
  expect(chat.state).toBe('offeringMessage');
  const english = new Conversation('en-US', demoPlatform().platform, desk);
  expect(text(await english.say('talk to a human'))).toContain('their hours are Monday to Friday 09:00–18:00 (Beijing time)');
});

test('a complaint is apologised for and a person offered; yes queues it as a complaint', async () => {
  const { desk, chat } = queuedChat();
  await desk.agentOnline();
  const offer = await chat.say('你们就是骗子，我要投诉');
  expect(offer.route?.decision).toBe('complaint');
  expect(text(offer)).toContain('非常抱歉');
  expect(chat.state).toBe('offeringHuman');
  await chat.say('好');
  expect((await desk.store.openFor(chat.key))?.context.reason).toBe('complaint');
  // A question that mentions scammers and has an answer is still answered.
  const other = new Conversation();
  expect((await other.say('是不是骗子冒充客服')).route).toEqual(expect.objectContaining({ decision: 'answer' }));
});

test('an agent who claimed a chat a moment before 取消排队 keeps it', async () => {
  const { desk, chat } = queuedChat();
  await desk.agentOnline();
  await chat.say('转人工');
  const handoff = await desk.store.openFor(chat.key);
  // The claim lands between the user's turns, but its notice has not reached them yet.
  await desk.store.transition(handoff!.id, ['queued'], { status: 'active', agentId: 'wang', agentName: '小王' });
  expect(text(await chat.say('取消排队'))).toContain('客服刚刚已经接入');
  expect(chat.state).toEqual({ withHuman: 'withAgent' });
});

test('in English, in English', async () => {
  const desk = helpDesk();
  await desk.agentOnline();
  const chat = new Conversation('en-US', demoPlatform().platform, desk);
  expect(text(await chat.say('I want to talk to a human'))).toContain('You are number 1 in the queue');
  const handoff = await desk.store.openFor(chat.key);
  await desk.service.claim(handoff!.id, { id: 'alice', name: 'Alice' });
  expect(text(chat.pushed.at(-1)!)).toContain('Alice from our support team has joined');
});

test('结束人工 ends the chat with the agent from the user\'s side, then the rating', async () => {
  const { desk, chat } = queuedChat();
  await desk.agentOnline();
  await chat.say('转人工');
  const handoff = await desk.store.openFor(chat.key);
  await desk.service.claim(handoff!.id, desk.wang);
  expect(text(chat.pushed.at(-1)!)).toContain('回复“结束人工”');
  // Said in a sentence, it is for the agent.
  expect((await chat.say('我想结束人工服务但还有个问题')).replies).toEqual([]);
  expect(text(await chat.say('结束人工'))).toContain('请为客服的服务打个分');
  expect((await desk.store.get(handoff!.id))?.status).toBe('resolved');
  expect((await desk.service.reply(handoff!.id, desk.wang, '还在吗')).ok).toBe(false);
});
