import type { Page } from 'playwright-core';
import { kefuAndBrowser, WidgetPage, signInToConsole, shoot } from '../support/browser';
import { DEMO_AGENTS } from '../support/agentClient';
import { latestCode } from '../support/kefuServer';
import { keepForReadme } from '../support/readmeScreenshots';

/**
 * Two real Chromium pages: a user in the web chat widget asks for a person; an agent signed
 * in to /agent sees the chat arrive live, claims it, reads the context, replies; they talk;
 * the agent resolves and the user rates. Screenshots of both pages go to test-artifacts/
 * (with KEFU_UPDATE_SCREENSHOTS=1 the one of the context goes to the README as docs/screenshots/agent-console.png), so
 * they show conversations as people have them; markup typed as a test has its own test.
 */
jest.setTimeout(120_000);

const bot = kefuAndBrowser();

async function signIn(page: Page, [id, password]: readonly [string, string]): Promise<void> {
  await signInToConsole(page, bot.kefu.url, [id, password]);
}

/** The page's <dl> as far as this test reads it (the tests compile without the DOM's types). */
interface DefinitionList {
  querySelectorAll(selector: 'dt'): ArrayLike<{ textContent: string | null; nextElementSibling: { textContent: string | null } | null }>;
}

/** The chat's context as the agent reads it: term → what is shown. */
async function contextShown(page: Page): Promise<Record<string, string>> {
  return page.locator('#context').evaluate((list) => {
    const shown: Record<string, string> = {};
    for (const term of Array.from((list as unknown as DefinitionList).querySelectorAll('dt'))) shown[term.textContent ?? ''] = term.nextElementSibling?.textContent ?? '';
    return shown;
  });
}

test('a user asks for a person; an agent in the console claims, replies, resolves; the user rates', async () => {
  const context = await bot.browser.newContext({ viewport: { width: 1366, height: 800 }, locale: 'zh-CN' });
  const agent = await context.newPage();
  const widget = await WidgetPage.open(bot.browser, `${bot.kefu.url}/`, 'handoff-widget');
  try {
    await agent.goto(`${bot.kefu.url}/agent`);
    await agent.locator('#agent-id').fill(DEMO_AGENTS.wang[0]);
    await agent.locator('#agent-password').fill('wrong-password');
    await agent.locator('#sign-in-form button[type=submit]').click();
    await agent.locator('#sign-in-error', { hasText: '工号或密码不正确' }).waitFor();
    await agent.locator('#agent-password').fill(DEMO_AGENTS.wang[1]);
    await agent.locator('#sign-in-form button[type=submit]').click();
    await agent.locator('#agent-name', { hasText: '小王' }).waitFor();
    await agent.locator('#presence', { hasText: '1 位客服在线' }).waitFor();
    await shoot(agent, 'agent-console', '01-empty-queue');

    await widget.waitForBot('您好');
    await widget.say('忘记密码怎么办');
    let before = await widget.say('转人工');
    await widget.waitForBot('排在第 1 位', before);

    // The chat appears in the agent's queue without a reload.
    const queued = agent.locator('#queue li', { hasText: '用户要求转人工' });
    await queued.waitFor();
    await shoot(agent, 'agent-console', '02-queued');
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

    before = (await widget.botTexts()).length;
    await message.fill('请问您是想找回登录密码，还是账户已经被锁定了？');
    await message.press('Enter');
    await widget.waitForBot('小王：请问您是想找回登录密码', before);

    await widget.say('好的，我的账户被锁了');
    await agent.locator('#transcript li.user', { hasText: '我的账户被锁了' }).waitFor();
    await agent.locator('#note').fill('用户忘记密码后被锁，已引导重置');
    await agent.locator('#note-form button').click();
    await agent.locator('#notes li', { hasText: '已引导重置' }).waitFor();
    await shoot(agent, 'agent-console', '03-chatting');
    await widget.screenshot('with-agent');

    before = (await widget.botTexts()).length;
    await agent.locator('#resolve').click();
    await agent.locator('#resolve-yes').click();
    await widget.waitForBot('请为客服的服务打个分', before);
    await agent.locator('#chat-title', { hasText: '已结束' }).waitFor();
    before = await widget.click('5 分');
    await widget.waitForBot('感谢您的评价', before);
    await widget.screenshot('rated');
    await shoot(agent, 'agent-console', '04-resolved');

    // English console, same data.
    await agent.locator('.topbar .lang-toggle').click();
    await agent.locator('#presence', { hasText: 'online' }).waitFor();
  } finally {
    await widget.close();
    await context.close();
  }
});

test('unlock of an account locked by a security alert: right after "验证通过" the console says verified, and where the flow stood in words', async () => {
  const context = await bot.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  const agent = await context.newPage();
  const widget = await WidgetPage.open(bot.browser, `${bot.kefu.url}/`, 'security-handoff');
  try {
    await signIn(agent, DEMO_AGENTS.wang);
    await widget.waitForBot('您好');
    let before = await widget.say('帮我解锁');
    await widget.waitForBot('手机号', before);
    before = await widget.say('13800000004');
    await widget.waitForBot('验证码已发送至 138****0004', before);
    before = await widget.say(await latestCode(bot.kefu.url, '13800000004'));
    await widget.waitForBot('验证通过', before);
    await widget.waitForBot('排在第 1 位', before);

    const queued = agent.locator('#queue li', { hasText: '安全预警锁定' });
    await queued.waitFor();
    await queued.click();
    await agent.locator('#context dd', { hasText: '安全预警锁定' }).first().waitFor();
    // What is true when the handoff opened, in words for people: no state names of the machines.
    expect(await contextShown(agent)).toEqual(
      expect.objectContaining({ 所在流程: '账户解锁 · 已验证手机号，账户因安全预警锁定', 号码验证: '已通过短信验证码验证', 手机号: '138****0004' }),
    );

    await agent.locator('#claim').click();
    const message = agent.locator('#message');
    await message.fill('/verify');
    await agent.locator('#canned li', { hasText: '/verify' }).waitFor();
    await message.press('Enter');
    before = (await widget.botTexts()).length;
    await message.press('Enter');
    await widget.waitForBot('小王：为了保护您的账户安全', before);
    await widget.say('好的，身份证已经准备好了');
    await agent.locator('#transcript li.user', { hasText: '身份证已经准备好了' }).waitFor();
    await agent.locator('#note').fill('安全预警锁定，用户已通过短信验证，待核实身份证后解锁');
    await agent.locator('#note-form button').click();
    await agent.locator('#notes li', { hasText: '待核实身份证后解锁' }).waitFor();
    // The context first, as an agent reads it on opening the chat.
    await agent.locator('#chat').evaluate((pane) => {
      (pane as unknown as { scrollTop: number }).scrollTop = 0;
    });
    keepForReadme(await shoot(agent, 'agent-console', 'security-context'), 'agent-console');
    await widget.screenshot('with-agent');

    // The console in English words the same facts in English.
    await agent.locator('.topbar .lang-toggle').click();
    await agent.locator('#context dt', { hasText: 'Flow' }).waitFor();
    expect(await contextShown(agent)).toEqual(
      expect.objectContaining({ Flow: 'Account unlock · Number verified; account locked by a security alert', 'Number verified': 'Yes, by SMS code', Phone: '138****0004' }),
    );
    await agent.locator('.topbar .lang-toggle').click();
    before = (await widget.botTexts()).length;
    await agent.locator('#resolve').click();
    await agent.locator('#resolve-yes').click();
    await widget.waitForBot('请为客服的服务打个分', before);
  } finally {
    await widget.close();
    await context.close();
  }
});

test('what people type is text everywhere, never markup', async () => {
  const context = await bot.browser.newContext({ viewport: { width: 1366, height: 800 }, locale: 'zh-CN' });
  const agent = await context.newPage();
  const widget = await WidgetPage.open(bot.browser, `${bot.kefu.url}/`, 'markup');
  try {
    await signIn(agent, DEMO_AGENTS.wang);
    await widget.waitForBot('您好');
    const before = await widget.say('转人工');
    await widget.waitForBot('排在第 1 位', before);
    await agent.locator('#queue li', { hasText: '用户要求转人工' }).click();
    await agent.locator('#claim').click();
    await widget.waitForBot('人工客服「小王」已接入', before);

    await widget.say('<b>粗体</b><img src=x onerror="document.title=2">');
    await agent.locator('#transcript li.user', { hasText: '<img src=x' }).waitFor();
    const message = agent.locator('#message');
    const sent = (await widget.botTexts()).length;
    await message.fill('请看 <img src=x onerror="document.title=1"> 这个');
    await message.press('Enter');
    await widget.waitForBot('<img src=x', sent);
    await agent.locator('#transcript li.agent', { hasText: '<img src=x' }).waitFor();
    expect(await agent.locator('#transcript img, #transcript b').count()).toBe(0);
    // The console's own title (with its count of waiting chats), never the "1" or "2" the markup would set.
    expect(await agent.title()).toMatch(/^(\(\d+\) )?Kefu 客服工作台$/);
    expect(await widget.page.locator('.webchat__bubble img[src=x]').count()).toBe(0);
    await agent.locator('#resolve').click();
    await agent.locator('#resolve-yes').click();
    await agent.locator('#chat-title', { hasText: '已结束' }).waitFor();
  } finally {
    await widget.close();
    await context.close();
  }
});
