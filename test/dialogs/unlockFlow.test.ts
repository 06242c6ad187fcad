import { buttons, Conversation, flowChat, text } from '../support/conversation';

/** Account unlock through the turn runner, against the demo directory and the dev outbox. */


async function verified(phone: string) {
  const s = flowChat();
  await s.chat.say('帮我解锁');
  await s.chat.say(phone);
  const result = await s.chat.say(s.codeFor(phone));
  return { ...s, result };
}

describe('unlock flow', () => {
  test('13800000002 (wrong_password): unlocked, reset link by SMS, no password asked', async () => {
    const s = flowChat();
    const start = await s.chat.say('帮我解锁');
    expect(text(start)).toContain('手机号');
    const sent = await s.chat.say('我的号码是138 0000 0002');
    expect(text(sent)).toContain('如果该号码已注册，验证码已发送至 138****0002');
    const code = s.codeFor('13800000002');
    expect(code).toMatch(/^\d{6}$/);
    expect(text(sent)).not.toContain(code);
    const done = await s.chat.say(code);
    expect(text(done)).toContain('账户已解锁');
    expect(text(done)).toContain('重置密码的链接已通过短信发送');
    expect((await s.directory.findByPhone('13800000002'))?.status).toBe('active');
    expect(s.outbox.messagesTo('13800000002')[0]?.text).toMatch(/https:\/\/\S+reset-password/);
    expect(s.chat.state).toBe('idle');
  });

  test('zero-width characters change nothing: the request, the number and the code are read as typed', async () => {
    const s = flowChat();
    expect(text(await s.chat.say('帮\u200b我\u200d解\ufeff锁'))).toContain('请输入账户绑定的手机号');
    expect(text(await s.chat.say('138\u200b0000\u200d0003'))).toContain('验证码已发送至 138****0003');
    const code = s.codeFor('13800000003');
    expect(text(await s.chat.say(`${code.slice(0, 3)}\u200b${code.slice(3)}`))).toContain('账户已解锁');
  });

  test('numbers and codes typed full-width, spaced or dashed are read', async () => {
    const s = flowChat();
    await s.chat.say('帮我解锁');
    expect(text(await s.chat.say('１３８-００００-０００３'))).toContain('验证码已发送至 138****0003');
    const code = s.codeFor('13800000003');
    const fullWidth = [...code].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
    expect(text(await s.chat.say(`${fullWidth.slice(0, 3)} ${fullWidth.slice(3)}`))).toContain('账户已解锁');
  });

  test('13800000003 (inactive): unlocked after the code', async () => {
    const { result, directory } = await verified('13800000003');
    expect(text(result)).toContain('账户已解锁');
    expect(text(result)).not.toContain('重置密码');
    expect((await directory.findByPhone('13800000003'))?.status).toBe('active');
  });

  test('13800000004 (security_alert): never unlocked here, queued for a person with high priority', async () => {
    const s = flowChat();
    await s.chat.desk.agentOnline();
    // Someone else is already waiting: the security escalation still goes first.
    const other = new Conversation('zh-CN', s.platform, s.chat.desk);
    await other.say('转人工');
    await s.chat.say('帮我解锁');
    await s.chat.say('13800000004');
    const result = await s.chat.say(s.codeFor('13800000004'));
    expect(text(result)).toContain('不能自助解锁');
    expect(text(result)).toContain('排在第 1 位');
    expect((await s.directory.findByPhone('13800000004'))?.status).toBe('locked');
    expect(s.chat.state).toEqual({ withHuman: 'queued' });
    const handoff = await s.chat.desk.store.openFor(s.chat.key);
    expect(handoff).toEqual(expect.objectContaining({ priority: 'high', context: expect.objectContaining({ reason: 'security_alert' }) }));
    // What is true when the handoff opens, in this very turn: verified by code, locked by the alert.
    expect(handoff?.context.trail).toEqual({ flow: 'unlock', stage: 'securityLocked', maskedPhone: '138****0004', verified: true });
    // The one who was first is told they moved back.
    expect(text(other.pushed[0]!)).toContain('第 2 位');
  });

  test('active, closed and unregistered numbers are told so, only after the code', async () => {
    expect(text((await verified('13800000001')).result)).toContain('没有被锁定');
    const closed = (await verified('13800000005')).result;
    expect(text(closed)).toContain('已被关闭');
    expect(buttons(closed)).toContain('我要申诉');
    const s = flowChat();
    await s.chat.say('帮我解锁');
    const unknown = await s.chat.say('13900000000');
    // The same words as for a registered number: nothing is revealed before the code.
    expect(text(unknown)).toContain('如果该号码已注册，验证码已发送至 139****0000');
    expect(text(await s.chat.say(s.codeFor('13900000000')))).toContain('没有找到');
  });

  test('a wrong code says how many tries are left; the right one still works', async () => {
    const s = flowChat();
    await s.chat.say('帮我解锁');
    await s.chat.say('13800000003');
    const right = s.codeFor('13800000003');
    const wrong = right === '000000' ? '111111' : '000000';
    expect(text(await s.chat.say(wrong))).toContain('还可以再试 4 次');
    expect(text(await s.chat.say(right))).toContain('账户已解锁');
  });

  test('resend too early is refused with the wait; after 60 s a new code comes', async () => {
    const s = flowChat();
    await s.chat.say('帮我解锁');
    await s.chat.say('13800000003');
    s.clock.ms += 20_000;
    expect(text(await s.chat.say('重新发送'))).toContain('40 秒后');
    s.clock.ms += 41_000;
    expect(text(await s.chat.say('重新发送'))).toContain('验证码已发送');
    expect(s.outbox.messagesTo('13800000003').filter((m) => m.code)).toHaveLength(2);
    expect(text(await s.chat.say(s.codeFor('13800000003')))).toContain('账户已解锁');
  });

  test('an expired code is refused', async () => {
    const s = flowChat();
    await s.chat.say('帮我解锁');
    await s.chat.say('13800000003');
    s.clock.ms += 5 * 60_000 + 1;
    expect(text(await s.chat.say(s.codeFor('13800000003')))).toMatch(/过期|失效/);
    expect((await s.directory.findByPhone('13800000003'))?.status).toBe('locked');
  });

  test.each([
    ['at the number', ['帮我解锁']],
    ['at the code', ['帮我解锁', '13800000003']],
  ])('取消 %s leaves the flow and nothing changes', async (_when, steps) => {
    const s = flowChat();
    for (const step of steps) await s.chat.say(step);
    expect(text(await s.chat.say('取消'))).toContain('已取消');
    expect(s.chat.state).toBe('idle');
    expect((await s.directory.findByPhone('13800000003'))?.status).toBe('locked');
  });

  test('an FAQ question mid-flow is answered, then the question is asked again', async () => {
    const s = flowChat();
    await s.chat.say('帮我解锁');
    const digression = await s.chat.say('换手机号收费吗');
    expect(digression.replies).toHaveLength(2);
    expect(digression.replies[0]?.text).toMatch(/免费|费用/);
    expect(digression.replies[1]?.text).toContain('请输入账户绑定的手机号');
    expect(text(await s.chat.say('13800000003'))).toContain('验证码已发送');
  });

  test('three invalid answers in a row offer a person; taken, the chat is queued as a stuck flow', async () => {
    const s = flowChat();
    await s.chat.desk.agentOnline();
    await s.chat.say('帮我解锁');
    expect(text(await s.chat.say('999'))).toContain('有效的手机号');
    await s.chat.say('12345');
    const third = await s.chat.say('abc');
    expect(text(third)).toContain('需要为您转接人工客服吗');
    expect(text(third)).not.toContain('排在');
    expect(s.chat.state).toEqual({ inFlow: 'unlock' });
    const taken = await s.chat.say('转人工');
    expect(text(taken)).toContain('排在第 1 位');
    expect(s.chat.state).toEqual({ withHuman: 'queued' });
    // The agent reads where it got stuck: no number was ever given.
    expect((await s.chat.desk.store.openFor(s.chat.key))?.context).toEqual(
      expect.objectContaining({ reason: 'flow-stuck', trail: { flow: 'unlock', stage: 'askingPhone', verified: false } }),
    );
    expect(taken.flows).toEqual([{ flow: 'unlock', event: 'handed_off' }]);
  });

  test('three invalid codes: the offer declined, the code is asked for again and the one sent still works', async () => {
    const s = flowChat();
    await s.chat.say('帮我解锁');
    await s.chat.say('13800000003');
    expect(text(await s.chat.say('12'))).toContain('验证码是 6 位数字');
    await s.chat.say('abc');
    expect(text(await s.chat.say('一二三'))).toContain('需要为您转接人工客服吗');
    const again = await s.chat.say('不用了');
    expect(text(again)).toBe('请输入发送到 138****0003 的 6 位验证码。没收到的话，回复“重新发送”。');
    expect(buttons(again)).toEqual(['重新发送', '取消']);
    // Counted afresh: one more slip is just that, not the offer again.
    expect(text(await s.chat.say('xyz'))).toContain('验证码是 6 位数字');
    expect(text(await s.chat.say(s.codeFor('13800000003')))).toContain('账户已解锁');
    expect(s.outbox.messagesTo('13800000003').filter((m) => m.code)).toHaveLength(1);
  });

  test('an answer to the step instead of yes or no lets the offer lapse and the flow goes on', async () => {
    const s = flowChat();
    await s.chat.say('帮我解锁');
    for (const wrong of ['999', '12345']) await s.chat.say(wrong);
    expect(text(await s.chat.say('abc'))).toContain('需要为您转接人工客服吗');
    expect(text(await s.chat.say('13800000003'))).toContain('验证码已发送至 138****0003');
    // "好的" now is no longer a yes to the lapsed offer: it is a wrong code.
    expect(text(await s.chat.say('好的'))).toContain('验证码是 6 位数字');
    expect(s.chat.state).toEqual({ inFlow: 'unlock' });
  });

  test('a question at the code is answered, then the code is asked for, not an error', async () => {
    const s = flowChat();
    await s.chat.say('帮我解锁');
    await s.chat.say('13800000003');
    const digression = await s.chat.say('换手机号收费吗');
    expect(digression.replies).toHaveLength(2);
    expect(digression.replies[0]?.text).toMatch(/免费|费用/);
    expect(digression.replies[1]?.text).toBe('请输入发送到 138****0003 的 6 位验证码。没收到的话，回复“重新发送”。');
    expect(text(await s.chat.say(s.codeFor('13800000003')))).toContain('账户已解锁');
  });

  test('starting over within the resend wait: the code already sent is still valid, asked for, and accepted', async () => {
    const s = flowChat();
    await s.chat.say('帮我解锁');
    await s.chat.say('13800000003');
    expect(text(await s.chat.say('取消'))).toContain('已取消');
    s.clock.ms += 20_000;
    await s.chat.say('帮我解锁');
    const again = await s.chat.say('13800000003');
    expect(text(again)).toBe('刚才发送到 138****0003 的验证码仍然有效，请直接输入短信里的 6 位验证码。如果没收到，40 秒后可以回复“重新发送”。');
    expect(buttons(again)).toEqual(['重新发送', '取消']);
    // No second SMS: the earlier code is the one.
    expect(s.outbox.messagesTo('13800000003').filter((m) => m.code)).toHaveLength(1);
    expect(text(await s.chat.say(s.codeFor('13800000003')))).toContain('账户已解锁');
  });

  test('starting over within the resend wait does not extend the earlier code: it still expires 5 minutes after it was sent', async () => {
    const s = flowChat();
    await s.chat.say('帮我解锁');
    await s.chat.say('13800000003');
    await s.chat.say('取消');
    s.clock.ms += 50_000;
    await s.chat.say('帮我解锁');
    expect(text(await s.chat.say('13800000003'))).toContain('仍然有效');
    s.clock.ms += 5 * 60_000 - 50_000;
    expect(text(await s.chat.say(s.codeFor('13800000003')))).toContain('验证码已过期');
    expect((await s.directory.findByPhone('13800000003'))?.status).toBe('locked');
  });

  test('asking for a person mid-flow leaves the flow; the agent sees where it stood', async () => {
    const s = flowChat();
    await s.chat.desk.agentOnline();
    await s.chat.say('帮我解锁');
    await s.chat.say('13800000003');
    const handoff = await s.chat.say('转人工');
    expect(text(handoff)).toContain('正在为您转接人工客服');
    expect(s.chat.state).toEqual({ withHuman: 'queued' });
    const record = await s.chat.desk.store.openFor(s.chat.key);
    expect(record?.context).toEqual({
      reason: 'user-request',
      trail: { flow: 'unlock', stage: 'awaitingCode', maskedPhone: '138****0003', verified: false },
      misses: [],
    });
    // The flow is over: "取消排队" leaves the queue, and the next question is answered again.
    expect(text(await s.chat.say('取消排队'))).toContain('已为您取消排队');
    expect(s.chat.state).toBe('idle');
  });

  test('a person asked for after the flow finished sees which flow, verified, the masked number and that it was completed', async () => {
    const s = flowChat();
    await s.chat.desk.agentOnline();
    await s.chat.say('帮我解锁');
    await s.chat.say('13800000003');
    expect(text(await s.chat.say(s.codeFor('13800000003')))).toContain('账户已解锁');
    expect(s.chat.state).toBe('idle');
    await s.chat.sayAfter(60_000, '还有个问题，转人工');
    expect((await s.chat.desk.store.openFor(s.chat.key))?.context.trail).toEqual({ flow: 'unlock', maskedPhone: '138****0003', verified: true, outcome: 'completed' });
  });

  test('a cancelled flow is told with the step it was left at; gone half an hour of the user time later', async () => {
    const s = flowChat();
    await s.chat.desk.agentOnline();
    await s.chat.say('帮我解锁');
    await s.chat.say('13800000003');
    await s.chat.say('取消');
    await s.chat.sayAfter(10 * 60_000, '转人工');
    const first = await s.chat.desk.store.openFor(s.chat.key);
    expect(first?.context.trail).toEqual({ flow: 'unlock', stage: 'awaitingCode', maskedPhone: '138****0003', verified: false, outcome: 'cancelled' });
    await s.chat.say('取消排队');
    // 10 + 21 minutes of the user's time since the flow ended, in two gaps each under the 30.
    await s.chat.sayAfter(21 * 60_000, '转人工');
    const second = await s.chat.desk.store.openFor(s.chat.key);
    expect(second?.id).not.toBe(first?.id);
    expect(second?.context.trail).toBeUndefined();
  });

  test('the unlock FAQ answer offers the flow; its button starts it', async () => {
    const s = flowChat();
    const answer = await s.chat.say('账户被锁了怎么解锁');
    expect(buttons(answer)).toContain('帮我解锁');
    expect(text(await s.chat.say('帮我解锁'))).toContain('请输入账户绑定的手机号');
  });

  test('in English, in English', async () => {
    const s = flowChat();
    const start = await s.chat.say('please unlock my account');
    expect(text(start)).toContain('mobile number');
    expect(text(await s.chat.say('13800000003'))).toContain('138****0003');
  });

  test('in English: a question at the code, three slips and starting over are worded for what they are', async () => {
    const s = flowChat();
    await s.chat.say('please unlock my account');
    await s.chat.say('13800000003');
    const digression = await s.chat.say('Is changing my phone number free?');
    expect(digression.replies[1]?.text).toBe('Please enter the 6-digit code sent to 138****0003. Type "resend" if it did not arrive.');
    for (const wrong of ['12', 'abc']) await s.chat.say(wrong);
    const third = await s.chat.say('what');
    expect(text(third)).toContain('Would you like me to connect you to a human agent?');
    expect(buttons(third)).toEqual(['Talk to an agent', 'No thanks', 'Cancel']);
    expect(text(await s.chat.say('No thanks'))).toContain('Please enter the 6-digit code sent to 138****0003');
    expect(text(await s.chat.say('cancel'))).toContain('cancelled');
    s.clock.ms += 30_000;
    await s.chat.say('please unlock my account');
    expect(text(await s.chat.say('13800000003'))).toBe(
      'The code sent to 138****0003 a moment ago is still valid: please enter the 6 digits from that SMS. If it did not arrive, you can type "resend" in 30 seconds.',
    );
    expect(text(await s.chat.say(s.codeFor('13800000003')))).toContain('unlocked');
  });
});
