import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { kefuForTests } from '../support/kefuServer';
import { until } from '../support/until';
import { WidgetUser } from '../support/widgetUser';

/**
 * Holding a conversation (issue #26) in the web chat widget: the same remembered questions,
 * acts and closings as on /api/messages, through the embedded Direct Line (its REST API, as the
 * widget's DirectLineJS polls it). What the user reads: the texts and the buttons under them.
 */
jest.setTimeout(120_000);

const bot = kefuForTests();

const FALLBACK = '抱歉，这个问题我暂时答不上来';
const PHONE_CHANGE_FIRST_STEP = '请先输入当前绑定的手机号';

/** One widget user; `say` sends a message and returns the bot's one reply with its buttons. */
async function widget() {
  const user = await WidgetUser.open(bot.kefu.url);
  return {
    say: async (text: string) => {
      const [reply] = await user.exchange(text);
      return reply ?? { text: '', buttons: [] };
    },
  };
}

test('"怎么换手机号" offers the flow; "行，麻烦你了" starts it', async () => {
  const chat = await widget();
  const answer = await chat.say('怎么换手机号');
  expect(answer.buttons).toContain('我要换手机号');
  expect((await chat.say('行，麻烦你了')).text).toContain(PHONE_CHANGE_FIRST_STEP);
});

test('"不用了" to the offer declines politely and starts nothing', async () => {
  const chat = await widget();
  await chat.say('怎么换手机号');
  const declined = await chat.say('不用了');
  expect(declined.text).toContain('先不办');
  expect(declined.text).not.toContain(PHONE_CHANGE_FIRST_STEP);
  expect((await chat.say('验证码收不到怎么办')).text).toContain('排查');
});

test('thanks asks 👍/👎 once; goodbye says goodbye; neither is "I don\'t know"', async () => {
  const chat = await widget();
  await chat.say('验证码收不到怎么办');
  const thanks = await chat.say('好的明白了 多谢');
  expect(thanks.text).toContain('刚才的回答对您有帮助吗');
  expect(thanks.buttons).toEqual(['👍 有帮助', '👎 没帮助']);
  const again = await chat.say('谢谢');
  expect(again.text).toContain('不客气');
  expect(again.buttons).not.toContain('👍 有帮助');
  const bye = await chat.say('没事了 拜拜');
  expect(bye.text).toContain('感谢您的咨询');
  expect([thanks.text, again.text, bye.text].join('\n')).not.toContain(FALLBACK);
});

test('"能再讲一遍吗" repeats; "你是真人吗" says it is a bot and offers a person, and a yes hands off', async () => {
  const chat = await widget();
  const answer = await chat.say('验证码收不到怎么办');
  expect((await chat.say('能再讲一遍吗')).text).toBe(answer.text);
  const bot = await chat.say('你是真人吗');
  expect(bot.text).toContain('机器人');
  expect(bot.buttons).toContain('转人工');
  expect((await chat.say('好的')).text).toMatch(/正在为您转接|没有人工客服在线/);
});

test('inside the phone change, a correction asks to switch; "是的" switches to unlock', async () => {
  const chat = await widget();
  await chat.say('我要换手机号');
  const ask = await chat.say('搞错了，不是这个，我是要解锁');
  expect(ask.text).toBe('要先退出「更换手机号」，改为「解锁账户」吗？');
  expect(ask.buttons).toEqual(['是的', '不是']);
  expect((await chat.say('是的')).text).toContain('我来帮您解锁账户');
});

test('a two-question message answers one and offers the other as "您还问到：…"', async () => {
  const chat = await widget();
  const reply = await chat.say('换了新号之后银行卡要重新绑吗？另外换号要钱吗');
  expect(reply.text).toContain('重新绑定一次银行卡');
  expect(reply.buttons).toContain('您还问到：更换手机号要收费吗？');
  expect((await chat.say('更换手机号要收费吗？')).text).toContain('更换手机号是免费的');
});

test('"您是想问…吗？" with 是的 / 不是: 是的 answers it, 不是 offers the next candidates', async () => {
  const yes = await widget();
  const ask = await yes.say('支付宝微信那边要改吗');
  expect(ask.text).toBe('您是想问「换了手机号后还需要更新哪些信息？」吗？');
  expect(ask.buttons).toEqual(['是的', '不是']);
  expect((await yes.say('是的')).text).toContain('支付宝、微信等第三方的绑定号码');
  const no = await widget();
  await no.say('支付宝微信那边要改吗');
  const others = await no.say('不是');
  expect(others.text).toMatch(/下面这些问题|换个说法/);
  expect(others.buttons).not.toContain('换了手机号后还需要更新哪些信息？');
});

test('a follow-up "那要钱不" after "怎么换手机号" answers the fee, which is then the answer "再说一遍" repeats', async () => {
  const chat = await widget();
  await chat.say('怎么换手机号');
  const fee = await chat.say('那要钱不');
  expect(fee.text).toContain('更换手机号是免费的');
  expect((await chat.say('能再讲一遍吗')).text).toBe(fee.text);
});

test('goodbye while queued for a person keeps the place and says so', async () => {
  const agent = await AgentClient.signIn(bot.kefu.url, ...DEMO_AGENTS.lin);
  const events = await agent.stream();
  try {
    const board = async () => (await agent.get<{ agentsOnline: number; queue: { id: string }[] }>('/api/agent/board')).body;
    await until(async () => (await board()).agentsOnline >= 1);
    const chat = await widget();
    expect((await chat.say('转人工')).text).toContain('排在第');
    const queued = (await board()).queue.length;
    const bye = await chat.say('没事了 拜拜');
    expect(bye.text).toContain('排队会继续保留');
    expect(bye.buttons).toContain('取消排队');
    expect((await board()).queue.length).toBe(queued);
    expect((await chat.say('取消排队')).text).toContain('已为您取消排队');
  } finally {
    events.close();
  }
});
