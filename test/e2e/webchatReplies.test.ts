import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { kefuAndBrowser, WidgetPage } from '../support/browser';
import { latestCode } from '../support/kefuServer';
import { until } from '../support/until';

/**
 * What the user reads in Web Chat (Chromium): masked numbers exactly as masked, buttons that
 * say what they do in words, and an old card's button after its step is over.
 */
jest.setTimeout(120_000);

const bot = kefuAndBrowser();
beforeEach(async () => {
  await fetch(`${bot.kefu.url}/api/dev/reset`, { method: 'POST' });
});

/** The little of the page's DOM the checks below read. */
interface CardDom {
  textContent: string | null;
  querySelectorAll(selector: string): ArrayLike<unknown>;
}

/** Words without emoji: what is left to read where no emoji font exists. */
const withoutEmoji = (text: string) => text.replace(/\p{Extended_Pictographic}|\uFE0F/gu, '').trim();

test('phone change: the confirmation card and the bubbles show 138****0008 and 139****0000 literally; its 取消 after the change says the step is over', async () => {
  const code = (phone: string) => latestCode(bot.kefu.url, phone);
  const widget = await WidgetPage.open(bot.browser, `${bot.kefu.url}/`, 'webchat-replies');
  try {
    await widget.waitForBot('您好');
    await widget.exchange([
      ['我要换手机号', '当前绑定的手机号'],
      ['13800000008', '138****0008'],
      [() => code('13800000008'), '新的手机号'],
      ['13900000000', '139****0000'],
    ]);
    let before = await widget.say(await code('13900000000'));
    const card = widget.page.locator('.ac-adaptiveCard', { hasText: '请确认' }).last();
    await card.waitFor({ timeout: 30_000 });
    const { text, emphasis } = await card.evaluate((el) => {
      const node = el as unknown as CardDom;
      return { text: node.textContent ?? '', emphasis: node.querySelectorAll('strong, em, b, i').length };
    });
    expect(text).toContain('将账户绑定的手机号从 138****0008 更换为 139****0000');
    expect(emphasis).toBe(0);
    await widget.screenshot('confirmation-literal');

    await card.locator('button', { hasText: '确认更换' }).click();
    await widget.waitForBot('更换成功', before);
    expect((await widget.botTexts()).at(-1)).toContain('现在绑定 139****0000');

    // The card is still on the page: its 取消 now belongs to a step that is over.
    before = (await widget.botTexts()).length;
    await card.locator('button', { hasText: '取消' }).click();
    await widget.waitForBot('那一步已经结束了', before);
    await widget.screenshot('stale-button');
    const texts = await widget.botTexts();
    expect(texts.slice(before).join('\n')).not.toContain('答不上来');

    before = await widget.say('忘记密码怎么办');
    await widget.waitForBot('密码', before);
  } finally {
    await widget.close();
  }
});

test('feedback and rating buttons read as words without an emoji font', async () => {
  const wang = await AgentClient.signIn(bot.kefu.url, ...DEMO_AGENTS.wang);
  const events = await wang.stream();
  const widget = await WidgetPage.open(bot.browser, `${bot.kefu.url}/`, 'webchat-replies-buttons');
  try {
    await widget.waitForBot('您好');
    let before = await widget.say('验证码收不到怎么办');
    await widget.waitForBot('验证码', before);
    const feedback = (await widget.suggestions()).map(withoutEmoji);
    expect(feedback).toEqual(expect.arrayContaining(['有帮助', '没帮助']));
    before = await widget.click('有帮助');
    await widget.waitForBot('感谢您的反馈', before);

    const board = async () => (await wang.get<{ agentsOnline: number; queue: { id: string }[] }>('/api/agent/board')).body;
    await until(async () => (await board()).agentsOnline === 1);
    before = await widget.say('转人工');
    await widget.waitForBot('排在第', before);
    let item: { id: string } | undefined;
    await until(async () => (item = (await board()).queue[0]) !== undefined);
    before = (await widget.botTexts()).length;
    expect((await wang.post(`/api/agent/chats/${item?.id ?? ''}/claim`)).status).toBe(200);
    await widget.waitForBot('已接入', before);
    before = (await widget.botTexts()).length;
    expect((await wang.post(`/api/agent/chats/${item?.id ?? ''}/resolve`)).status).toBe(200);
    await widget.waitForBot('请为客服的服务打个分', before);
    await until(async () => (await widget.suggestions()).length === 5);
    expect((await widget.suggestions()).map(withoutEmoji)).toEqual(['5 分', '4 分', '3 分', '2 分', '1 分']);
    await widget.screenshot('rating-words');
    before = await widget.click('4 分');
    await widget.waitForBot('感谢您的评价', before);
  } finally {
    events.close();
    await widget.close();
  }
});
