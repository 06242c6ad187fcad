import type { Locator } from 'playwright-core';
import { kefuAndBrowser, WidgetPage } from '../support/browser';
import { latestCode } from '../support/kefuServer';
import { until } from '../support/until';

/**
 * The widget's own controls as a person uses them (Web Chat in Chromium): 新对话 really starts
 * over, and the buttons at phone width (390 px) show whole labels and look alike.
 * Screenshots go to test-artifacts/webchat-widget*.
 */
jest.setTimeout(120_000);

const bot = kefuAndBrowser();

const PHONE = { width: 390, height: 844 };

/** The page's saved conversation, as the widget keeps it across reloads. */
const savedConversation = (widget: WidgetPage) =>
  widget.page.evaluate(() => (JSON.parse((globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem('kefu.webchat.v1') ?? 'null') as { conversationId?: string } | null)?.conversationId);

test('新对话 starts a fresh conversation: the last user’s chat is gone', async () => {
  const widget = await WidgetPage.open(bot.browser, `${bot.kefu.url}/`, 'webchat-widget-new');
  try {
    await widget.waitForBot('您好');
    const before = await widget.say('忘记密码怎么办');
    await widget.waitForBot('密码', before);
    const first = await savedConversation(widget);
    expect(first).toBeTruthy();
    await widget.screenshot('before-new');

    await widget.page.locator('#kefu-new').click();
    await widget.waitForBot('您好');
    await until(async () => (await widget.page.locator('#kefu-status').textContent()) === '在线 · 智能客服为您服务');
    // Another conversation, kept for the next reload; only its welcome on the page.
    await until(async () => ((await savedConversation(widget)) ?? first) !== first);
    expect(await widget.botTexts()).toHaveLength(1);
    expect(await widget.page.getByText('忘记密码怎么办').count()).toBe(0);
    await widget.screenshot('after-new');

    // And a reload now resumes the new one, not the old.
    await widget.page.reload();
    await widget.waitForBot('您好');
    expect(await savedConversation(widget)).not.toBe(first);
    expect(await widget.page.getByText('忘记密码怎么办').count()).toBe(0);
  } finally {
    await widget.close();
  }
});

/** Whether a button's whole label is shown: nothing cut off with "…". */
const wholeLabel = (button: Locator) => button.evaluate((el) => {
  const node = el as unknown as { scrollWidth: number; clientWidth: number; querySelector(s: string): { scrollWidth: number; clientWidth: number } | null };
  const label = node.querySelector('.webchat__suggested-action__text') ?? node;
  return label.scrollWidth <= label.clientWidth + 1 && node.scrollWidth <= node.clientWidth + 1;
});

test('at 390 px: every follow-up is a whole-label button, 转人工 comes with "请联系客服", and the card’s buttons are rounded like the rest', async () => {
  await fetch(`${bot.kefu.url}/api/dev/reset`, { method: 'POST' });
  const widget = await WidgetPage.open(bot.browser, `${bot.kefu.url}/`, 'webchat-widget-buttons', PHONE);
  try {
    await widget.waitForBot('您好');
    let before = await widget.say('验证码收不到怎么办');
    await widget.waitForBot('请联系客服', before);
    await until(async () => (await widget.suggestions()).includes('转人工'));
    const titles = await widget.suggestions();
    expect(titles).toEqual(expect.arrayContaining(['原来的手机号已经注销或丢失，收不到验证码怎么办？', '为什么手机号绑定不上？']));
    for (const button of await widget.page.locator('.webchat__suggested-action').all()) expect(await wholeLabel(button)).toBe(true);
    await widget.screenshot('follow-ups');

    // The confirmation card of a phone change: its buttons are pills like the suggested actions.
    const code = (phone: string) => latestCode(bot.kefu.url, phone);
    await widget.exchange([
      ['我要换手机号', '当前绑定的手机号'],
      ['13800000008', '138****0008'],
      [() => code('13800000008'), '新的手机号'],
      ['13900000000', '139****0000'],
    ]);
    before = await widget.say(await code('13900000000'));
    const confirm = widget.page.locator('.ac-adaptiveCard button', { hasText: '确认更换' }).last();
    await confirm.waitFor({ timeout: 30_000 });
    const look = (button: Locator) => button.evaluate((el) => {
      const style = (globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }).getComputedStyle(el);
      return { radius: parseFloat(style.borderTopLeftRadius ?? '0'), border: style.borderTopColor };
    });
    const card = await look(confirm);
    expect(card.radius).toBeGreaterThanOrEqual(12);
    expect(card.border).toBe('rgb(31, 111, 235)');
    await widget.screenshot('confirmation-card');
    await confirm.click();
    await widget.waitForBot('更换成功', before);
  } finally {
    await widget.close();
  }
});
