import { createConversationCore } from '../../bot/conversation/core';
import { buttons, Conversation, DEFAULT_CONFIG, demoPlatform, helpDesk, text } from '../support/conversation';
import { realKnowledge } from '../support/knowledge';

describe('root conversation machine', () => {
  test('welcome follows the channel locale', async () => {
    expect(text(await new Conversation('zh-CN').join())).toContain('您好');
    expect(text(await new Conversation('en-US').join())).toContain('Hi');
  });

  test('an answer carries feedback buttons; feedback refers to that answer once', async () => {
    const c = new Conversation();
    const answer = await c.say('验证码收不到怎么办');
    expect(answer.route?.decision).toBe('answer');
    expect(buttons(answer)).toEqual(expect.arrayContaining(['👍 有帮助', '👎 没帮助']));
    const vote = await c.say('👎 没帮助');
    expect(vote.signals).toEqual([expect.objectContaining({ kind: 'feedback', vote: 'down', entryId: 'sms-code-not-received' })]);
    // A second vote has no answer left to refer to: thanked, not recorded twice.
    expect((await c.say('👍')).signals).toEqual([]);
  });

  test('answers list the related questions and make every one a button', async () => {
    const answer = await new Conversation().say('验证码收不到怎么办');
    expect(text(answer)).toContain('您可能还想了解');
    const listed = text(answer)
      .split('\n')
      .filter((line) => line.startsWith('- '))
      .map((line) => line.slice(2));
    expect(listed.length).toBeGreaterThanOrEqual(2);
    expect(buttons(answer)).toEqual(expect.arrayContaining(listed));
  });

  test('an answer that says to contact support offers 转人工 with it, one that does not offers none', async () => {
    const answer = await new Conversation().say('验证码收不到怎么办');
    expect(text(answer)).toContain('请联系客服');
    expect(buttons(answer)).toContain('转人工');
    const english = await new Conversation().say("I'm not getting the verification code");
    expect(text(english)).toContain('contact support');
    expect(buttons(english)).toContain('Talk to an agent');
    const plain = await new Conversation().say('换了手机号银行卡要重新绑吗');
    expect(text(plain)).not.toContain('联系客服');
    expect(buttons(plain)).not.toContain('转人工');
  });

  test('clarify: a number, the option text or a card choice picks the entry', async () => {
    const byNumber = new Conversation();
    const question = await byNumber.say('手机号');
    expect(byNumber.state).toBe('clarifying');
    const options = question.replies[0]?.suggestions?.map((s) => s.title) ?? [];
    expect((await byNumber.say('第二个')).replies[0]?.text).not.toContain('您是想问');
    // Answered: the question is closed (the answer may offer its flow).
    expect(['idle', 'offeringFlow']).toContain(byNumber.state);

    const byText = new Conversation();
    await byText.say('手机号');
    const picked = await byText.say(options[0] ?? '');
    expect(buttons(picked)).toContain('👍 有帮助');

    const byCard = new Conversation();
    await byCard.say('手机号');
    const carded = await byCard.submit({ kefu: 'choose', entryId: 'bind-phone-how' });
    expect(text(carded)).toMatch(/绑定/);
    expect(byCard.state).toBe('idle');
  });

  test('a number, a code or an ID number typed on its own is no question: no miss, nothing for the KB authors', async () => {
    const c = new Conversation();
    for (const typed of ['13800000004', '802560', '１３８ ０００ ０４', '11010519491231002X', '+86 138-0000-0004。']) {
      expect([typed, (await c.say(typed)).signals]).toEqual([typed, []]);
    }
    expect(c.context.misses).toEqual([]);
    const asked = await c.say('火星分行几点开门 13800000004');
    expect(asked.signals).toEqual([expect.objectContaining({ kind: 'unanswered' })]);
    expect(c.context.misses).toEqual(['火星分行几点开门 138****0004']);
  });

  test('clarify: "都不是" asks to rephrase and records the miss; a new question is just answered', async () => {
    const none = new Conversation();
    await none.say('手机号');
    const rephrase = await none.say('都不是');
    expect(text(rephrase)).toContain('换个说法');
    expect(rephrase.signals).toEqual([expect.objectContaining({ kind: 'unanswered', question: '手机号' })]);

    const moveOn = new Conversation();
    await moveOn.say('手机号');
    const answer = await moveOn.say('忘记密码怎么办');
    expect(answer.route).toEqual(expect.objectContaining({ decision: 'answer', entryId: 'password-forgot' }));
    expect(text(answer)).toMatch(/密码/);
    expect(moveOn.state).toBe('idle');
  });

  test('two fallbacks in a row offer a person; yes queues the chat with both questions for the agent', async () => {
    const c = new Conversation();
    await c.desk.agentOnline();
    expect(text(await c.say('今天天气怎么样'))).toContain('答不上来');
    const offer = await c.say('讲个笑话');
    expect(text(offer)).toContain('人工客服');
    expect(c.state).toBe('offeringHuman');
    const yes = await c.say('好的');
    expect(text(yes)).toContain('排在第 1 位');
    expect(c.state).toEqual({ withHuman: 'queued' });
    expect((await c.desk.store.openFor(c.key))?.context).toEqual({ reason: 'repeated-fallback', misses: ['今天天气怎么样', '讲个笑话'] });
  });

  test('an answer in between resets the fallback count', async () => {
    const c = new Conversation();
    await c.say('今天天气怎么样');
    await c.say('忘记密码怎么办');
    expect(text(await c.say('讲个笑话'))).not.toContain('转接人工');
  });

  test.each([
    ['帮我解锁', 'unlock', '请输入账户绑定的手机号'],
    ['我要换手机号', 'phone-change', '当前绑定的手机号'],
    ['我要申诉', 'appeal', '提交申诉'],
    ['查一下申诉进度', 'appeal-status', '案件号'],
  ])('"%s" starts the %s flow', async (words, flow, firstQuestion) => {
    const started = await new Conversation().say(words);
    expect(started.route).toEqual(expect.objectContaining({ decision: 'flow', flow }));
    expect(text(started)).toContain(firstQuestion);
  });

  test('replies follow the language the user writes in', async () => {
    const c = new Conversation('zh-CN');
    const english = await c.say('how do i reset my password');
    expect(english.locale).toBe('en-US');
    expect(text(english)).toMatch(/password/i);
    // "ok" tells nothing: the conversation stays in English.
    expect((await c.say('ok')).locale).toBe('en-US');
    expect((await c.say('忘记密码怎么办')).locale).toBe('zh-CN');
  });

  test('help, restart and non-text messages', async () => {
    const c = new Conversation();
    expect(text(await c.say('帮助'))).toContain('转人工');
    expect(text(await c.say('help'))).toContain('agent');
    await c.say('手机号');
    expect(text(await c.say('重新开始'))).toContain('重新开始');
    expect(c.state).toBe('idle');
    expect(text(await c.submit({ unexpected: ['card', 1] }))).toContain('文字');
  });

  test('an unreadable stored snapshot starts a fresh conversation instead of failing', async () => {
    const runner = createConversationCore({ config: DEFAULT_CONFIG, router: realKnowledge().router, platform: demoPlatform().platform, handoff: helpDesk().service });
    const outcome = await runner.run({ status: 'active', value: 'no-such-state', context: {} }, { kind: 'message', text: '忘记密码怎么办' }, { conversation: 'test:1' });
    expect(outcome.route).toEqual(expect.objectContaining({ decision: 'answer', entryId: 'password-forgot' }));
    expect(outcome.replies).toHaveLength(1);
  });
});

test('greetings and thanks get a friendly word, not "I don\'t know"', async () => {
  const c = new Conversation();
  expect(text(await c.say('你好'))).toContain('请问有什么可以帮您');
  expect(text(await c.say('谢谢'))).toContain('不客气');
  expect(text(await c.say('hello'))).toContain('How can I help');
});
