import fs from 'node:fs';
import path from 'node:path';
import { runConversations } from '../../bot/kb/conversationEval';
import { DEFAULT_CONFIG } from '../support/conversation';
import { parseConversationSet, type ScriptedConversation } from '../../knowledge/conversationEval';
import type { Locale } from '../../knowledge/schema';
import { EVAL_DIR, realKnowledge } from '../support/knowledge';

/**
 * Conversations played through the real conversation core (the root machine, its flows, the
 * demo platform and the handoff service), turn by turn, the way `kb eval <file.yaml>` plays them.
 */
jest.setTimeout(300_000);

const play = (scripts: ScriptedConversation[], locale: Locale) => runConversations(scripts, locale, realKnowledge().router, DEFAULT_CONFIG);

/** What people type in the most ordinary places of a conversation (issue 26's own examples). */
const ORDINARY: [string, Locale, [string, string][]][] = [
  ['"行，麻烦你了" takes the offer under an answer', 'zh-CN', [['怎么换手机号', 'phone-change-how'], ['行，麻烦你了', 'flow:phone-change']]],
  ['"好嘞" takes it too', 'zh-CN', [['账户被锁了怎么解锁', 'unlock-how'], ['好嘞', 'flow:unlock']]],
  ['"对" takes it', 'zh-CN', [['账户被锁了怎么解锁', 'unlock-how'], ['对', 'flow:unlock']]],
  ['"sure, go ahead" takes it in English', 'en-US', [['how do I change my phone number', 'phone-change-how'], ['sure, go ahead', 'flow:phone-change']]],
  ['"不用了" declines it', 'zh-CN', [['怎么换手机号', 'phone-change-how'], ['不用了', 'declined']]],
  ['a new question instead is answered, and the offer lapses', 'zh-CN', [['怎么换手机号', 'phone-change-how'], ['换手机号会影响征信吗', 'phone-change-credit'], ['好的', 'ack']]],
  ['"好的明白了 多谢" is thanks', 'zh-CN', [['验证码收不到怎么办', 'sms-code-not-received'], ['好的明白了 多谢', 'thanks']]],
  ['"thanks, that\'s all" closes', 'en-US', [["I didn't get the SMS code", 'sms-code-not-received'], ["thanks, that's all", 'goodbye']]],
  ['"没事了 拜拜" closes', 'zh-CN', [['验证码收不到怎么办', 'sms-code-not-received'], ['没事了 拜拜', 'goodbye']]],
  ['"能再讲一遍吗" repeats the answer', 'zh-CN', [['验证码收不到怎么办', 'sms-code-not-received'], ['能再讲一遍吗', 'repeat']]],
  ['"看不懂啥意思" is heard', 'zh-CN', [['验证码收不到怎么办', 'sms-code-not-received'], ['看不懂啥意思', 'not-understood'], ['好的', 'handoff']]],
  ['"你是真人吗" is answered as asked', 'zh-CN', [['你是真人吗', 'bot-challenge']]],
  ['frustration with the bot offers a person', 'zh-CN', [['你这机器人听不懂人话', 'offer-handoff'], ['好', 'handoff']]],
  ['someone in charge offers a person', 'zh-CN', [['叫个管事的来', 'offer-handoff'], ['不用了', 'declined']]],
  ['"…哦不是，是…" routes what follows the correction, not the phone change', 'zh-CN', [['我想改绑手机…哦不是，是账号被冻住了', 'unlock-how']]],
  ['inside a flow, another flow is asked for once; yes switches', 'zh-CN', [['我要换手机号', 'flow:phone-change'], ['搞错了，不是这个，我是要解锁', 'switch:flow:unlock'], ['是的', 'flow:unlock']]],
  ['inside a flow, no goes back to the step', 'zh-CN', [['我要换手机号', 'flow:phone-change'], ['搞错了，我要解锁', 'switch:flow:unlock'], ['不是', 'step-again'], ['13800000008', 'step']]],
  ['inside a flow, "keep going" to the switch question goes back to the step', 'en-US', [['I want to change my phone number', 'flow:phone-change'], ["hold on, I'd rather file an appeal", 'switch:flow:appeal'], ['no, keep going with the number change', 'step-again']]],
  ['two questions: the first answered, the other offered', 'zh-CN', [['改完号银行卡还用重新绑吗？另外改号收钱不', 'phone-change-bank-card']]],
  ['a follow-up is read with the last answer', 'zh-CN', [['怎么换手机号', 'phone-change-how'], ['那要钱不', 'phone-change-fee']]],
  ['a clear match a veto doubts is asked about, not thrown away', 'zh-CN', [['支付宝微信那边要改吗', 'confirm:phone-change-other-bindings'], ['是的', 'phone-change-other-bindings']]],
  ['asking to be called back is asking for a person, not a report of a call', 'en-US', [['Can someone from your team call me back?', 'offer-handoff'], ['yes please', 'handoff']]],
  ['"有真人在吗" asks for a person, not for the hours', 'zh-CN', [['这里有真人在吗', 'handoff']]],
  ['"我要跟人说话" asks for a person', 'zh-CN', [['我不要自动回复 我要跟人说话', 'handoff']]],
  ['"先不用转人工" declines the offered person', 'zh-CN', [['我的旧号码停机了，验证码收不到，怎么办', 'phone-old-number-unavailable'], ['先不用转人工', 'declined']]],
  ['"暂时不申诉，我再想想" declines the offered appeal', 'zh-CN', [['被关闭的账户怎么重新开通', 'closed-reopen-how'], ['暂时不申诉，我再想想', 'declined']]],
  ['"no, I\'ll do it myself" declines, it corrects nothing', 'en-US', [['How do I change my phone number?', 'phone-change-how'], ["no, I'll do it myself in the app", 'declined']]],
  ['"actually never mind" declines the offered person', 'en-US', [['Could someone from your team call me?', 'offer-handoff'], ['actually never mind', 'declined']]],
  ['"能让你们的人给我打个电话吗" asks for a person', 'zh-CN', [['能让你们的人给我打个电话吗', 'offer-handoff']]],
  ['a long story closing with "can someone call me?" asks for a person', 'en-US', [["I've been going back and forth with this bot for twenty minutes and nothing is getting solved. Can someone from your team just call me?", 'offer-handoff']]],
  ['"customer service是7x24的吗" asks the hours', 'zh-CN', [['customer service是7x24的吗', 'support-hours']]],
  ['the question typed in English inside Chinese is the question', 'en-US', [['my 账户 got locked, why?', 'unlock-reasons']]],
  ['"hello 客服" greets, with or without the space', 'zh-CN', [['hello 客服', 'greet'], ['hello客服', 'greet']]],
  ['"我还是找人工吧" inside a flow asks to switch to a person', 'zh-CN', [['我要申诉', 'flow:appeal'], ['13800000006', 'step'], ['我还是找人工吧', 'switch:handoff']]],
  ['"no thanks, I\'ll read the email first" declines', 'en-US', [['how can i reopen my closed wallet', 'closed-reopen-how'], ['no thanks, ill read the email first', 'declined']]],
  ['"算了，你们安排个专员联系我吧" still asks for a person', 'zh-CN', [['算了，你们安排个专员联系我吧', 'offer-handoff']]],
  ['"那算了 取消" inside a flow cancels it', 'zh-CN', [['帮我解锁账户', 'flow:unlock'], ['那算了 取消', 'cancelled']]],
  ['"never mind, cancel" inside a flow cancels it', 'en-US', [['I want to appeal', 'flow:appeal'], ['never mind, cancel', 'cancelled']]],
  ['inside a flow, "不解锁了 …帮我提个申诉" asks to switch', 'zh-CN', [['帮我解锁账户', 'flow:unlock'], ['不解锁了 我账户其实是被关了 帮我提个申诉', 'switch:flow:appeal'], ['对', 'flow:appeal']]],
  ['"我想跟客服主管谈谈" asks for a person, not the hours', 'zh-CN', [['我想跟客服主管谈谈', 'offer-handoff']]],
  ['a short question at the appeal\'s explanation step is answered, not filed as the explanation', 'en-US', [['file an appeal for me', 'flow:appeal'], ['13800000005', 'step'], ['{code}', 'step'], ['how long will the appeal take', 'reopen-duration'], ['my ID photo was blurry, I have a clear one now', 'step']]],
  ['"不要 不找人工" declines the offered person', 'zh-CN', [['我的旧号码停机了，验证码收不到，怎么办', 'phone-old-number-unavailable'], ['不要 不找人工', 'declined']]],
  ['a case number beside "how long" asks how long, not for the status', 'zh-CN', [['申诉号AP-20261201-2020交了好几天了 一般多久处理完', 'reopen-duration']]],
  ['a question about a look-alike site is answered, not read as asking for a person', 'zh-CN', [['有个网站长得跟你们一模一样 让我登录 能信吗', 'phishing-warning']]],
  ['what the user says they did not ask is no question of its own', 'zh-CN', [['我没问申诉怎么弄 我问的是要等多久', 'reopen-duration']]],
  ['"help" inside Chinese asks the bot to do it', 'zh-CN', [['help我unlock一下账户', 'flow:unlock']]],
  ['a bank card\'s password is the bank\'s', 'zh-CN', [['工行卡的密码忘了怎么办', 'fallback']]],
  ['a code typed with its label is the code', 'zh-CN', [['帮我解锁账户', 'flow:unlock'], ['13800000003', 'step'], ['验证码是{code}', 'step']]],
  ['an out-of-scope example on our own words alone does not turn a clear question into a doubt', 'zh-CN', [['账户锁了 登不上去 咋弄', 'unlock-how']]],
  ['inside a flow, a short question is read with the flow\'s subject', 'zh-CN', [['我要申诉', 'flow:appeal'], ['一般要等几天', 'reopen-duration'], ['13800000005', 'step']]],
  ['inside a flow, in English too', 'en-US', [['change my phone number please', 'flow:phone-change'], ['does it cost anything', 'phone-change-fee']]],
  ['a clear match in Traditional characters is answered, the veto outvoted', 'zh-CN', [['忘記密碼了 怎麼重置', 'password-forgot']]],
  ['asking for someone in charge in words no example has offers a person', 'zh-CN', [['找你们主管过来', 'offer-handoff'], ['好', 'handoff']]],
  ['"Can I speak to your manager?" offers a person', 'en-US', [['Can I speak to your manager?', 'offer-handoff']]],
  ['misspelt English is read as meant: "unlok my acount pls" starts the unlock', 'en-US', [['unlok my acount pls', 'flow:unlock']]],
  ['a misspelt appeal request starts the appeal', 'en-US', [['i wanna submit an apeal', 'flow:appeal']]],
  ['two questions without a question mark: the first answered, the other offered', 'zh-CN', [['申诉怎么弄 一般几天有结果', 'appeal-how']]],
  ['a request to do the subject at hand starts its flow', 'zh-CN', [['账号锁了 你帮我处理一下', 'flow:unlock']]],
  ['a request to do it after a new question starts the flow the last answer offered', 'zh-CN', [['怎么换手机号', 'phone-change-how'], ['换号要钱吗', 'phone-change-fee'], ['那你直接帮我办吧', 'flow:phone-change']]],
  ['someone else saying they will "handle it" is no request', 'zh-CN', [['刚接到一个电话 对方说是你们平台的 说我账户有风险要帮我处理 我不太确定这种电话是不是真的', 'phishing-warning']]],
  ['asking why is no request to do it', 'zh-CN', [['帮我看看账号为什么被锁了', 'unlock-reasons']]],
];

test.each(ORDINARY)('%s', async (_name, locale, turns) => {
  const script: ScriptedConversation = { id: 'ordinary', kind: 'ordinary', turns: turns.map(([user, expect]) => ({ user, expect })) };
  const { results } = await play([script], locale);
  expect(results[0]?.turns.map((t) => [t.user, t.verdict.got])).toEqual(turns);
});

test('the second question of a message is offered as a button', async () => {
  const { results } = await play([{ id: 'two', kind: 'two-questions', turns: [{ user: '改完号银行卡还用重新绑吗？另外改号收钱不', expect: 'phone-change-bank-card', also: 'phone-change-fee' }] }], 'zh-CN');
  expect(results[0]?.strict).toBe(true);
});

/**
 * The dev conversation sets (tuned on) keep what they reach; a change that makes the bot hold a
 * conversation worse fails here. The blind sets are reported (README, BENCHMARKS), never asserted.
 */
test.each([
  ['zh-CN.yaml', 'zh-CN', 0.9, 0.02],
  ['en-US.yaml', 'en-US', 0.85, 0.02],
  ['dev2-zh-CN.yaml', 'zh-CN', 0.88, 0.02],
  ['dev2-en-US.yaml', 'en-US', 0.88, 0.02],
] as const)('dev conversations %s (%s): at least %s passed, at most %s of turns a wrong action', async (file, locale, passed, wrong) => {
  const scripts = parseConversationSet(fs.readFileSync(path.join(EVAL_DIR, 'conversations', file), 'utf8'));
  const { figures } = await play(scripts, locale);
  expect(figures.passedStrict).toBeGreaterThanOrEqual(passed);
  expect(figures.wrongActions).toBeLessThanOrEqual(wrong);
});
