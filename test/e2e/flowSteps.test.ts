import type { SentActivity } from '../support/channel';
import { latestCode as latestCodeOf, kefuForTests } from '../support/kefuServer';

/**
 * A flow's step as the user meets it through /api/messages: a question asked at it, three
 * slips, the new number's code, and starting over while the last code is still fresh.
 */

const bot = kefuForTests();
beforeEach(async () => {
  await fetch(`${bot.kefu.url}/api/dev/reset`, { method: 'POST' });
});

const latestCode = (phone: string) => latestCodeOf(bot.kefu.url, phone);
const codesSentTo = async (phone: string) =>
  ((await (await fetch(`${bot.kefu.url}/api/dev/sms?phone=${phone}`)).json()) as { code: string | null }[]).filter((m) => m.code).length;
const buttonsOf = (activity: SentActivity | undefined) => activity?.suggestedActions?.actions.map((a) => a.title);

/** Markdown text as the user reads it: the escaped asterisks of a mask ("138\\*\\*\\*\\*0003") are asterisks. */
const asShown = (activity: SentActivity): SentActivity => ({ ...activity, text: activity.text?.replace(/\\\*/g, '*') });

/** A user of one language: what they type is posted with their locale; the replies as shown. */
function user(id: string, locale: 'zh-CN' | 'en-US') {
  return async (text: string, expected = 1) => (await bot.kefu.channel.ask(id, text, { locale }, expected)).map(asShown);
}

describe('a question asked at the code step', () => {
  test.each([
    ['zh-CN', '帮我解锁', '换手机号收费吗', /免费|费用/, '请输入发送到 138****0003 的 6 位验证码。没收到的话，回复“重新发送”。', '账户已解锁'],
    ['en-US', 'please unlock my account', 'Is changing my phone number free?', /free|fee/i, 'Please enter the 6-digit code sent to 138****0003. Type "resend" if it did not arrive.', 'unlocked'],
  ] as const)('%s: is answered, then the code is asked for again — not an error', async (locale, start, question, answer, ask, done) => {
    const say = user(`digress-${locale}`, locale);
    await say(start);
    await say('13800000003');
    const [answered, asked] = await say(question, 2);
    expect(answered?.text).toMatch(answer);
    expect(asked?.text).toBe(ask);
    expect(buttonsOf(asked)).toHaveLength(2);
    expect((await say(await latestCode('13800000003')))[0]?.text).toContain(done);
  });
});

describe('three invalid answers in a row', () => {
  test.each([
    ['zh-CN', '帮我解锁', '看来这一步不太顺利。需要为您转接人工客服吗？', ['转人工', '不用了', '取消'], '请输入账户绑定的手机号（11 位）。'],
    ['en-US', 'please unlock my account', 'Would you like me to connect you to a human agent?', ['Talk to an agent', 'No thanks', 'Cancel'], 'Please enter the mobile number bound to your account (11 digits).'],
  ] as const)('%s: a person is offered, not imposed; declined, the step asks its question again', async (locale, start, offer, words, question) => {
    const say = user(`stuck-${locale}`, locale);
    await say(start);
    await say('999');
    await say('12345');
    const [offered] = await say('abc');
    expect(offered?.text).toContain(offer);
    expect(buttonsOf(offered)).toEqual(words);
    const [again] = await say(words[1]);
    expect(again?.text).toBe(question);
    expect((await say('13800000003'))[0]?.text).toContain('138****0003');
  });

  test('accepted, the chat goes to a person (nobody online here: the bot offers to take a message)', async () => {
    const say = user('stuck-yes', 'zh-CN');
    await say('帮我解锁');
    for (const wrong of ['999', '12345']) await say(wrong);
    expect((await say('abc'))[0]?.text).toContain('需要为您转接人工客服吗');
    expect((await say('转人工'))[0]?.text).toContain('没有人工客服在线');
  });

  test('取消 at the offer leaves the flow', async () => {
    const say = user('stuck-cancel', 'zh-CN');
    await say('帮我解锁');
    for (const wrong of ['999', '12345', 'abc']) await say(wrong);
    expect((await say('取消'))[0]?.text).toContain('已取消');
  });
});

describe('the code to the new number of a phone change', () => {
  test.each([
    ['zh-CN', '我要换手机号', '为确认新号码在您手上，我们向 139****0000 发送了一条验证码短信，5 分钟内有效。请输入收到的 6 位验证码。'],
    ['en-US', 'I want to change my phone number', 'To confirm the new number is yours, a code has been sent to 139****0000; it is valid for 5 minutes. Please enter the 6-digit code you received.'],
  ] as const)('%s: says it confirms the user holds that number, not "if it is registered"', async (locale, start, sent) => {
    const say = user(`new-number-${locale}`, locale);
    await say(start);
    await say('13800000008');
    await say(await latestCode('13800000008'));
    const [prompt] = await say('13900000000');
    expect(prompt?.text).toBe(sent);
    expect(buttonsOf(prompt)).toHaveLength(2);
  });
});

describe('starting a flow again while the code sent a moment ago is still fresh', () => {
  test.each([
    ['zh-CN', '帮我解锁', '取消', /^刚才发送到 138\*{4}0003 的验证码仍然有效，请直接输入短信里的 6 位验证码。如果没收到，\d+ 秒后可以回复“重新发送”。$/, '账户已解锁'],
    ['en-US', 'please unlock my account', 'cancel', /^The code sent to 138\*{4}0003 a moment ago is still valid: please enter the 6 digits from that SMS\. If it did not arrive, you can type "resend" in \d+ seconds\.$/, 'unlocked'],
  ] as const)('%s: the user is asked for that code, and it works', async (locale, start, cancel, stillValid, done) => {
    const say = user(`again-${locale}`, locale);
    await say(start);
    await say('13800000003');
    await say(cancel);
    await say(start);
    const [asked] = await say('13800000003');
    expect(asked?.text).toMatch(stillValid);
    expect(buttonsOf(asked)).toHaveLength(2);
    // The earlier code, the only one sent, is accepted.
    expect(await codesSentTo('13800000003')).toBe(1);
    expect((await say(await latestCode('13800000003')))[0]?.text).toContain(done);
  });
});
