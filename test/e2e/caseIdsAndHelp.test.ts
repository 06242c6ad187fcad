import { latestCode, kefuForTests } from '../support/kefuServer';

/**
 * Issue 14, classes 8 and 13 through /api/messages: a case number in the message starts the
 * status flow with that number taken, and help offers what the bot can do as buttons that
 * start it.
 */

const bot = kefuForTests();
beforeEach(async () => {
  await fetch(`${bot.kefu.url}/api/dev/reset`, { method: 'POST' });
});

interface Record {
  cases: { id: string; status: string }[];
}
const casesOf = async (phone: string) => ((await (await fetch(`${bot.kefu.url}/api/dev/accounts/${phone}`)).json()) as Record).cases;

/** Files an appeal for 13800000005 the way a user does; its case number. */
async function fileAppeal(conversation: string): Promise<string> {
  await bot.kefu.channel.ask(conversation, '我要申诉');
  await bot.kefu.channel.ask(conversation, '13800000005');
  await bot.kefu.channel.ask(conversation, await latestCode(bot.kefu.url, '13800000005'), {}, 2);
  await bot.kefu.channel.ask(conversation, '实名认证时上传的照片不清楚，现在补充清晰的身份证照片，请重新审核。');
  const [filed] = await bot.kefu.channel.ask(conversation, '跳过');
  const caseId = /AP-\d{8}-[0-9A-Z]{4}/.exec(filed?.text ?? '')?.[0];
  if (!caseId) throw new Error(`no case number in: ${filed?.text}`);
  return caseId;
}

/** "AP-20261123-7K3Q" as people type it: lower case, spaces around the dashes. */
const sloppy = (caseId: string) => caseId.toLowerCase().replace(/-/g, ' - ');

describe('a case number in the message', () => {
  test('zh-CN: the status comes straight back, the number is not asked for again, no new appeal is filed', async () => {
    const caseId = await fileAppeal('case-file-zh');
    for (const [i, text] of [`查一下申诉 ${caseId} 的进度`, `我的申诉${caseId}怎么样了`, `申诉 ${sloppy(caseId)} 有结果了吗`].entries()) {
      const [status] = await bot.kefu.channel.ask(`case-zh-${i}`, text);
      expect(status?.text).toContain(`${caseId}：**已受理**`);
      expect(status?.text).not.toContain('请提供申诉案件号');
    }
    expect(await casesOf('13800000005')).toEqual([expect.objectContaining({ id: caseId, status: 'received' })]);
  });

  test('en-US: "what\'s the status of appeal AP-…" shows the case in English', async () => {
    const caseId = await fileAppeal('case-file-en');
    const [status] = await bot.kefu.channel.ask('case-en', `what's the status of appeal ${caseId}`, { locale: 'en-US' });
    expect(status?.text).toContain(`Case ${caseId}: **received**`);
    expect(await casesOf('13800000005')).toHaveLength(1);
  });

  test('an unknown number is reported as unknown, then the flow asks for another, as for a typed one', async () => {
    const zh = await bot.kefu.channel.ask('case-unknown-zh', '查一下申诉 AP-20990101-ZZZZ 的进度', {}, 2);
    expect(zh.map((r) => r.text)).toEqual([expect.stringContaining('没有找到这个案件号'), expect.stringContaining('请提供申诉案件号')]);
    const en = await bot.kefu.channel.ask('case-unknown-en', "what's the status of appeal AP-20990101-ZZZZ", { locale: 'en-US' }, 2);
    expect(en[0]?.text).toContain('No case has that number');
    // Still in the flow: a known number typed now is looked up.
    const caseId = await fileAppeal('case-file-unknown');
    const [status] = await bot.kefu.channel.ask('case-unknown-zh', caseId);
    expect(status?.text).toContain(`${caseId}：**已受理**`);
  });

  test('a mistyped number starts the status flow, which asks for the number, never a new appeal', async () => {
    const [ask] = await bot.kefu.channel.ask('case-malformed', '申诉 AP-2026112-7K3Q 到哪一步了');
    expect(ask?.text).toContain('请提供申诉案件号');
    expect(await casesOf('13800000005')).toHaveLength(0);
  });
});

describe('help', () => {
  const ZH_BUTTONS = ['帮我解锁', '我要换手机号', '我要申诉', '查询申诉进度', '转人工'];
  const EN_BUTTONS = ['Unlock my account', 'Change my phone number', 'File an appeal', 'Check my appeal status', 'Talk to an agent'];

  test.each([
    ['帮助', 'zh-CN', ZH_BUTTONS],
    ['你能做什么', 'zh-CN', ZH_BUTTONS],
    ['help', 'en-US', EN_BUTTONS],
    ['what can you do', 'en-US', EN_BUTTONS],
  ])('"%s" lists the four things the bot does and a person, as buttons', async (text, locale, buttons) => {
    const [help] = await bot.kefu.channel.ask(`help-${encodeURIComponent(text)}`, text, { locale });
    expect(help?.suggestedActions?.actions.map((a) => a.title)).toEqual(buttons);
  });

  test.each([
    ['帮我解锁', '请输入账户绑定的手机号'],
    ['我要换手机号', '请先输入当前绑定的手机号'],
    ['我要申诉', '我来帮您提交申诉'],
    ['查询申诉进度', '请提供申诉案件号'],
    ['转人工', '人工客服'],
  ])('pressing "%s" under the help starts it', async (button, prompt) => {
    const id = `help-press-${encodeURIComponent(button)}`;
    const [help] = await bot.kefu.channel.ask(id, '帮助');
    const action = help?.suggestedActions?.actions.find((a) => a.title === button);
    expect(action?.type).toBe('imBack');
    const [started] = await bot.kefu.channel.ask(id, action?.value ?? '');
    expect(started?.text).toContain(prompt);
  });

  test('English buttons start the English flows', async () => {
    const [help] = await bot.kefu.channel.ask('help-press-en', 'what can you do', { locale: 'en-US' });
    const status = help?.suggestedActions?.actions.find((a) => a.title === 'Check my appeal status');
    const [ask] = await bot.kefu.channel.ask('help-press-en', status?.value ?? '', { locale: 'en-US' });
    expect(ask?.text).toContain('Please give the case number');
  });

  test('help in the middle of a flow keeps the flow and offers to leave it, not buttons that would answer the step', async () => {
    const id = 'help-in-flow';
    await bot.kefu.channel.ask(id, '帮我解锁');
    const [help] = await bot.kefu.channel.ask(id, '帮助');
    expect(help?.text).toContain('取消');
    expect(help?.suggestedActions?.actions.map((a) => a.title)).toEqual(['取消']);
    const [sent] = await bot.kefu.channel.ask(id, '13800000002');
    expect(sent?.text).toContain('138\\*\\*\\*\\*0002'); // Markdown text: the mask's asterisks escaped
  });
});
