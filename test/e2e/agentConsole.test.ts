import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, launchBrowser, WidgetPage } from '../support/browser';
import { DEMO_AGENTS } from '../support/agentClient';
import { startKefu, type RunningKefu } from '../support/kefuServer';

/**
 * Two real Chromium pages: a user in the web chat widget asks for a person; an agent signed
 * in to /agent sees the chat arrive live, claims it, reads the context, replies; they talk;
 * the agent resolves and the user rates. Screenshots of both pages go to test-artifacts/.
 */
jest.setTimeout(120_000);

let kefu: RunningKefu;
let browser: Browser;

beforeAll(async () => {
  kefu = await startKefu();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await kefu?.stop();
});

async function shoot(page: Page, name: string): Promise<void> {
  const dir = path.join(ARTIFACTS, 'agent-console');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

test('a user asks for a person; an agent in the console claims, replies, resolves; the user rates', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 }, locale: 'zh-CN' });
  const agent = await context.newPage();
  const widget = await WidgetPage.open(browser, `${kefu.url}/`, 'handoff-widget');
  try {
    await agent.goto(`${kefu.url}/agent`);
    await agent.locator('#agent-id').fill(DEMO_AGENTS.wang[0]);
    await agent.locator('#agent-password').fill('wrong-password');
    await agent.locator('#sign-in-form button[type=submit]').click();
    await agent.locator('#sign-in-error', { hasText: '工号或密码不正确' }).waitFor();
    await agent.locator('#agent-password').fill(DEMO_AGENTS.wang[1]);
    await agent.locator('#sign-in-form button[type=submit]').click();
    await agent.locator('#agent-name', { hasText: '小王' }).waitFor();
    await agent.locator('#presence', { hasText: '1 位客服在线' }).waitFor();
    await shoot(agent, '01-empty-queue');

    await widget.waitForBot('您好');
    await widget.say('忘记密码怎么办');
    let before = await widget.say('转人工');
    await widget.waitForBot('排在第 1 位', before);

    // The chat appears in the agent's queue without a reload.
    const queued = agent.locator('#queue li', { hasText: '用户要求转人工' });
    await queued.waitFor();
    await shoot(agent, '02-queued');
    await queued.click();
    await agent.locator('#context dd', { hasText: '用户要求转人工' }).waitFor();
    expect(await agent.locator('#transcript li').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('忘记密码怎么办'), expect.stringContaining('转人工')]),
    );
    await agent.locator('#claim').click();
    before = (await widget.botTexts()).length;
    await widget.waitForBot('人工客服「小王」已接入', before - 1);

    // "/" opens the canned replies; Enter picks one, Enter sends it.
    const message = agent.locator('#message');
    await message.fill('/hel');
    await agent.locator('#canned li', { hasText: '/hello' }).waitFor();
    await message.press('Enter');
    expect(await message.inputValue()).toContain('我来继续帮您处理');
    before = (await widget.botTexts()).length;
    await message.press('Enter');
    await widget.waitForBot('小王：您好，我是人工客服', before);

    // What people type is text everywhere, never markup.
    before = (await widget.botTexts()).length;
    await message.fill('请看 <img src=x onerror="document.title=1"> 这个');
    await message.press('Enter');
    await widget.waitForBot('<img src=x', before);

    await widget.say('好的，我的账户被锁了');
    await agent.locator('#transcript li.user', { hasText: '我的账户被锁了' }).waitFor();
    expect(await agent.locator('#transcript img').count()).toBe(0);
    expect(await agent.title()).toBe('Kefu 客服工作台');
    await agent.locator('#note').fill('用户忘记密码后被锁，已引导重置');
    await agent.locator('#note-form button').click();
    await agent.locator('#notes li', { hasText: '已引导重置' }).waitFor();
    await shoot(agent, '03-chatting');
    await widget.screenshot('with-agent');

    before = (await widget.botTexts()).length;
    await agent.locator('#resolve').click();
    await widget.waitForBot('请为客服的服务打个分', before);
    await agent.locator('#chat-title', { hasText: '已结束' }).waitFor();
    before = await widget.click('5 分');
    await widget.waitForBot('感谢您的评价', before);
    await widget.screenshot('rated');
    await shoot(agent, '04-resolved');

    // English console, same data.
    await agent.locator('.topbar .lang-toggle').click();
    await agent.locator('#presence', { hasText: 'online' }).waitFor();
  } finally {
    await widget.close();
    await context.close();
  }
});
