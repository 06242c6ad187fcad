import { startKefu, type RunningKefu } from '../support/kefuServer';

/**
 * FAQ answers as users read them through /api/messages: placeholders filled from this
 * deployment's configuration, in the user's language, and the facts the seeds require.
 */

const EN = { locale: 'en-US' };

describe('a deployment with its own hours and menus', () => {
  let kefu: RunningKefu;
  beforeAll(async () => {
    kefu = await startKefu({
      HANDOFF_HOURS: 'mon-fri 09:00-21:00; sat,sun 10:00-18:00',
      HANDOFF_TIMEZONE: 'Asia/Shanghai',
      APP_MENU_ACCOUNT_SECURITY_ZH: '我的 > 设置 > 账号与安全',
      APP_MENU_ACCOUNT_SECURITY_EN: 'Profile > Settings > Security',
      APP_MENU_BIND_PHONE_ZH: '绑定手机',
      APP_MENU_CHANGE_PHONE_ZH: '换绑手机',
      APP_MENU_CHANGE_PHONE_EN: 'Switch number',
    });
  });
  afterAll(async () => {
    await kefu.stop();
  });

  test('support hours are the configured ones, in Chinese and in English', async () => {
    const [zh] = await kefu.channel.ask('hours-zh', '客服几点上班');
    expect(zh?.text).toContain('人工客服的服务时间：北京时间周一至周五 09:00–21:00；周六、周日 10:00–18:00。');
    expect(zh?.text).not.toMatch(/7×24|[{}]/);
    const [en] = await kefu.channel.ask('hours-en', 'When is live support available?', EN);
    expect(en?.text).toContain('Live agents are available Monday to Friday 09:00–21:00; Saturday and Sunday 10:00–18:00 (Beijing time).');
    expect(en?.text).not.toMatch(/24\/7|[{}]/);
  });

  test('changing the number: the configured path, the real-name rule, the website, and the lost-number case', async () => {
    const [zh] = await kefu.channel.ask('change-zh', '怎么更换账户绑定的手机号？');
    expect(zh?.text).toContain('进入“我的”→“设置”→“账号与安全”，选择“换绑手机”');
    expect(zh?.text).toContain('本人身份证实名登记');
    expect(zh?.text).toContain('官网');
    expect(zh?.text).toContain('原来的手机号已经注销或丢失，收不到验证码怎么办？');
    const [en] = await kefu.channel.ask('change-en', 'How do I change the phone number on my account?', EN);
    expect(en?.text).toContain('Go to **Profile** → **Settings** → **Security** and choose **Switch number**');
    expect(en?.text).toContain('registered in your own name');
    expect(en?.text).toContain('website');
    expect(en?.text).toContain("My old number is gone and I can't get the verification code. What can I do?");
  });

  test('linking a number uses the same account-security path as changing it', async () => {
    const [zh] = await kefu.channel.ask('bind-zh', '怎么给账户绑定手机号？');
    expect(zh?.text).toContain('进入“我的”→“设置”→“账号与安全”');
    expect(zh?.text).toContain('选择“绑定手机”');
    const [en] = await kefu.channel.ask('bind-en', 'How do I link a phone number to my account?', EN);
    expect(en?.text).toContain('Go to **Profile** → **Settings** → **Security**');
    expect(en?.text).toContain('Tap **Link phone number**');
  });
});

describe('the default deployment', () => {
  let kefu: RunningKefu;
  beforeAll(async () => {
    kefu = await startKefu();
  });
  afterAll(async () => {
    await kefu.stop();
  });

  test('open around the clock, said so in each language', async () => {
    const [zh] = await kefu.channel.ask('default-hours-zh', '人工服务时间是几点到几点');
    expect(zh?.text).toContain('人工客服的服务时间：7×24 小时。');
    const [en] = await kefu.channel.ask('default-hours-en', 'support hours', EN);
    expect(en?.text).toContain('Live agents are available 24/7.');
  });

  test.each([
    ['zh-CN', '账户被关闭后怎么重新开通？', ['官方客服', '陌生人的指示', '链接', '多次输错会导致账户被锁定', '因情况而异', '怎么确认联系我的是不是官方客服？']],
    ['en-US', 'How do I reopen a closed account?', ["a stranger's instructions", 'links', 'repeated wrong attempts lock the account', 'varies', 'How can I tell if someone is really from support?']],
    ['zh-CN', '我的账户为什么被关闭了？', ['没有收到任何通知', '询问账户被关闭的具体原因']],
    ['en-US', 'Why was my account closed?', ['If no notice reached you', 'ask them for the reason']],
    ['zh-CN', '怎样保护绑定手机号的安全？', ['定期更换', '谨慎对外提供手机号']],
    ['en-US', 'How do I keep my linked phone number secure?', ['change it regularly', 'Be careful who you give your number to']],
  ])('%s: "%s" carries what the seeds say users need', async (locale, question, expected) => {
    const [reply] = await kefu.channel.ask(`facts-${locale}-${question.length}`, question, { locale });
    for (const part of expected) expect(reply?.text).toContain(part);
  });
});
