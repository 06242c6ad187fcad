import { buttons, flowChat, text } from '../support/conversation';

/** Phone-number change through the turn runner, against the demo directory and the dev outbox. */


/** Through the old number's code, to the question for the new number. */
async function atNewNumber(current = '13800000008') {
  const s = flowChat();
  await s.chat.say('我要换手机号');
  await s.chat.say(current);
  const asked = await s.chat.say(s.codeFor(current));
  return { ...s, asked };
}

describe('phone change flow', () => {
  test('13800000008 → 13900000000: both codes, a masked confirmation card, notices, reminders', async () => {
    const s = await atNewNumber();
    expect(text(s.asked)).toContain('请输入新的手机号');
    const sentNew = await s.chat.say('13900000000');
    expect(text(sentNew)).toContain('139****0000');
    const confirm = await s.chat.say(s.codeFor('13900000000'));
    const card = confirm.replies.at(-1);
    expect(card?.text).toBe('请确认：将账户绑定的手机号从 138****0008 更换为 139****0000。');
    expect(card?.asCard).toBe(true);
    expect(buttons(confirm)).toEqual(['确认更换', '取消']);
    const done = await s.chat.say('确认更换');
    expect(text(done)).toContain('更换成功');
    expect(text(done)).toContain('重新绑定银行卡');
    expect((await s.directory.findByPhone('13900000000'))?.name).toBe('吴十');
    expect(await s.directory.findByPhone('13800000008')).toBeUndefined();
    for (const phone of ['13800000008', '13900000000']) expect(s.outbox.messagesTo(phone)[0]?.text).toContain('138****0008 更换为 139****0000');
    expect(s.chat.state).toBe('idle');
  });

  test('a number bound to another account is refused (one number per account)', async () => {
    const s = await atNewNumber();
    expect(text(await s.chat.say('13800000001'))).toContain('已经绑定了其他账户');
    expect(s.outbox.messagesTo('13800000001')).toHaveLength(0);
    expect(text(await s.chat.say('13900000000'))).toContain('139****0000');
  });

  test('the same number is refused', async () => {
    const s = await atNewNumber();
    expect(text(await s.chat.say('13800000008'))).toContain('相同');
  });

  test('"旧号码收不到" explains the ID check and hands off to a person', async () => {
    const s = flowChat();
    await s.chat.say('我要换手机号');
    await s.chat.say('13800000008');
    await s.chat.desk.agentOnline();
    const lost = await s.chat.say('旧号码收不到了');
    expect(text(lost)).toContain('身份证件');
    expect(text(lost)).toContain('排在第 1 位');
    expect(s.chat.state).toEqual({ withHuman: 'queued' });
    expect((await s.chat.desk.store.openFor(s.chat.key))?.context).toEqual(
      expect.objectContaining({ reason: 'old-number-unavailable', trail: { flow: 'phoneChange', stage: 'oldNumberLost', maskedPhone: '138****0008', verified: false } }),
    );
  });

  test('locked and closed accounts are told so after the code', async () => {
    expect(text((await atNewNumber('13800000003')).asked)).toContain('先解锁');
    const closed = (await atNewNumber('13800000006')).asked;
    expect(text(closed)).toContain('已被关闭');
    expect(buttons(closed)).toContain('我要申诉');
  });

  test('cancel at the confirmation changes nothing', async () => {
    const s = await atNewNumber();
    await s.chat.say('13900000000');
    await s.chat.say(s.codeFor('13900000000'));
    expect(text(await s.chat.say('取消'))).toContain('已取消');
    expect((await s.directory.findByPhone('13800000008'))?.status).toBe('active');
  });

  test('the code to the new number says what it is for, never "如果该号码已注册"', async () => {
    const s = await atNewNumber();
    const sentNew = await s.chat.say('13900000000');
    expect(text(sentNew)).toBe('为确认新号码在您手上，我们向 139****0000 发送了一条验证码短信，5 分钟内有效。请输入收到的 6 位验证码。');
    expect(text(sentNew)).not.toContain('已注册');
    expect(buttons(sentNew)).toEqual(['重新发送', '取消']);
  });

  test('in English, the code to the new number says what it is for', async () => {
    const s = flowChat();
    await s.chat.say('I want to change my phone number');
    await s.chat.say('13800000008');
    await s.chat.say(s.codeFor('13800000008'));
    const sentNew = await s.chat.say('13900000000');
    expect(text(sentNew)).toBe('To confirm the new number is yours, a code has been sent to 139****0000; it is valid for 5 minutes. Please enter the 6-digit code you received.');
  });

  test('a question at the new number is answered, then only the question is asked again', async () => {
    const s = await atNewNumber();
    const digression = await s.chat.say('换手机号收费吗');
    expect(digression.replies[0]?.text).toMatch(/免费|费用/);
    expect(digression.replies[1]?.text).toBe('请输入新的手机号（11 位）。');
    expect(text(await s.chat.say('13900000000'))).toContain('139****0000');
  });

  test('a number already bound is refused once, without the question repeated after it', async () => {
    const s = await atNewNumber();
    const taken = await s.chat.say('13800000001');
    expect(taken.replies).toHaveLength(1);
    expect(text(taken)).toContain('请换一个号码');
  });

  test('three invalid answers at the confirmation offer a person; declined, the card comes again and confirms', async () => {
    const s = await atNewNumber();
    await s.chat.say('13900000000');
    await s.chat.say(s.codeFor('13900000000'));
    expect(text(await s.chat.say('嗯？'))).toContain('确认更换');
    await s.chat.say('等一下');
    expect(text(await s.chat.say('再看看'))).toContain('需要为您转接人工客服吗');
    const card = await s.chat.say('不用了');
    expect(card.replies).toEqual([expect.objectContaining({ text: '请确认：将账户绑定的手机号从 138****0008 更换为 139****0000。', asCard: true })]);
    expect(text(await s.chat.say('确认更换'))).toContain('更换成功');
  });

  test('a card submission confirms like the typed words', async () => {
    const s = await atNewNumber();
    await s.chat.say('13900000000');
    await s.chat.say(s.codeFor('13900000000'));
    expect(text(await s.chat.submit({ text: '确认更换' }))).toContain('更换成功');
  });
});
