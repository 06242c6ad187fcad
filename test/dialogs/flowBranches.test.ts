import { AccountBackendError } from '../../domain/accounts';
import { OTP_RULES } from '../../bot/services/otp';
import { buttons, flowChat, text } from '../support/conversation';

/** The branches every flow shares: cancel at each step, three invalid answers, backend and SMS limits. */


describe.each([
  ['phone change', '我要换手机号', '13800000008', '请输入账户绑定的手机号'],
  ['appeal', '我要申诉', '13800000005', '请输入账户绑定的手机号'],
  ['appeal status', '查一下申诉进度', '13800000005', '请提供申诉案件号'],
])('%s', (_name, start, phone, question) => {
  test('cancel at the first question and at the code', async () => {
    const s = flowChat();
    await s.chat.say(start);
    expect(text(await s.chat.say('取消'))).toContain('已取消');
    await s.chat.say(start);
    await s.chat.say(phone);
    expect(text(await s.chat.say('cancel'))).toContain('已取消');
    expect(s.chat.state).toBe('idle');
  });

  /** The flow started and three invalid answers given: the third gets the offer of a person. */
  async function stuck() {
    const s = flowChat();
    await s.chat.say(start);
    await s.chat.say('999');
    await s.chat.say('abc');
    const third = await s.chat.say('???x');
    return { ...s, third };
  }

  test('three invalid answers in a row offer a person; yes hands off (nobody online: the bot offers to take a message)', async () => {
    const s = await stuck();
    expect(text(s.third)).toBe('看来这一步不太顺利。需要为您转接人工客服吗？回复“不用了”我们接着办，回复“取消”就先不办了。');
    expect(buttons(s.third)).toEqual(['转人工', '不用了', '取消']);
    // Only offered: nobody was asked for yet.
    expect(await s.chat.desk.store.openFor(s.chat.key)).toBeUndefined();
    expect(text(await s.chat.say('好的'))).toContain('没有人工客服在线');
    expect(s.chat.state).toBe('offeringMessage');
  });

  test('the offer declined, the step asks its own question again and goes on', async () => {
    const s = await stuck();
    const again = await s.chat.say('不用了');
    expect(text(again)).toContain(question);
    expect(text(again)).not.toMatch(/有效|再输入|人工/);
    expect(text(await s.chat.say(phone))).toContain(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
  });

  test('取消 at the offer leaves the flow', async () => {
    const s = await stuck();
    expect(text(await s.chat.say('取消'))).toContain('已取消');
    expect(s.chat.state).toBe('idle');
    expect(await s.chat.desk.store.openFor(s.chat.key)).toBeUndefined();
  });
});

test('an account backend failure gets one clear sentence and no change', async () => {
  const s = flowChat();
  s.directory.findByPhone = () => Promise.reject(new AccountBackendError('account API GET accounts/by-phone: timed out after 5000 ms'));
  await s.chat.say('帮我解锁');
  await s.chat.say('13800000003');
  expect(text(await s.chat.say(s.codeFor('13800000003')))).toContain('账户系统暂时无法处理');
  // The flow cannot finish: a person takes over (here nobody is online, so a message is offered).
  expect(s.chat.state).toBe('offeringMessage');
});

test('the daily limit of codes is explained in the flow', async () => {
  const s = flowChat();
  for (let i = 0; i < OTP_RULES.maxSendsPerDay; i++) {
    await s.platform.otp.send('13800000003', 'appeal', 'zh-CN');
    s.clock.ms += 61_000;
  }
  await s.chat.say('帮我解锁');
  expect(text(await s.chat.say('13800000003'))).toContain('次数已达上限');
});

test('an appeal explanation over 1000 characters is refused, then a good one goes on', async () => {
  const s = flowChat();
  await s.chat.say('我要申诉');
  await s.chat.say('13800000007');
  await s.chat.say(s.codeFor('13800000007'));
  expect(text(await s.chat.say('很'.repeat(1001)))).toContain('1000 字以内');
  expect(text(await s.chat.say('我没有违反规则，可能是系统误判，请帮我复核。'))).toContain('图片或 PDF');
});

test.each([
  ['phone change, at the new number', ['我要换手机号', '13800000008', 'CODE:13800000008']],
  ['appeal, at the explanation', ['我要申诉', '13800000005', 'CODE:13800000005']],
  ['appeal, at the files', ['我要申诉', '13800000005', 'CODE:13800000005', '照片不清楚导致认证失败，现在补充清晰证件照。']],
])('cancel in %s: nothing is changed or filed', async (_when, steps) => {
  const s = flowChat();
  for (const step of steps) await s.chat.say(step.startsWith('CODE:') ? s.codeFor(step.slice(5)) : step);
  expect(text(await s.chat.say('取消'))).toContain('已取消');
  expect(s.chat.state).toBe('idle');
  expect((await s.directory.findByPhone('13800000008'))?.phone).toBe('13800000008');
  const closed = (await s.directory.findByPhone('13800000005'))!;
  expect(await s.directory.casesOf(closed.id)).toEqual([]);
});

test('a tap on an old "您是想问" card during a flow gets a sentence, and the flow goes on', async () => {
  const s = flowChat();
  await s.chat.say('帮我解锁');
  expect(text(await s.chat.submit({ kefu: 'choose', entryId: 'password-forgot' }))).toContain('取消');
  expect(text(await s.chat.say('13800000003'))).toContain('138****0003');
});

test('a flow idle for longer than the limit is over: the user is told, and what they said now is handled afresh', async () => {
  const s = flowChat();
  await s.chat.say('帮我解锁');
  await s.chat.say('13800000003');
  const back = await s.chat.sayAfter(31 * 60_000, '忘记密码怎么办');
  expect(back.replies[0]?.text).toContain('长时间没有操作已经结束');
  expect(back.replies[1]?.text).toMatch(/密码/);
  expect(s.chat.state).toBe('idle');
  // Within the limit the flow simply goes on.
  await s.chat.say('帮我解锁');
  expect(text(await s.chat.sayAfter(29 * 60_000, '13800000002'))).toContain('验证码已发送');
});
