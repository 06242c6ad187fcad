import type { BrowserContext, Page } from 'playwright-core';
import { kefuAndBrowser, signInToConsole, shoot } from '../support/browser';
import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { startKefu } from '../support/kefuServer';
import { until } from '../support/until';
import { WidgetUser } from '../support/widgetUser';

/**
 * The console's small things, as an agent or a lead sees them in Chromium: the drawer's words
 * follow the language switch; idle agents are named by name; the day's average rating moves as
 * soon as a user rates; a card click is shown with what it carried; the top canned reply is not
 * hidden under the chat header; history speaks of 用户 / 机器人; the search names the appeal
 * case id; the sign-in page loads without a failed request; a server that went away is one
 * "reconnecting" line, never a stream of uncaught errors.
 */
jest.setTimeout(180_000);

const bot = kefuAndBrowser();

/** The id of the open chat whose list entry shows `text`, from the board (as the page has it). */
async function chatId(agent: AgentClient, conversationHint: (entry: { id: string }) => boolean): Promise<string> {
  let id = '';
  await until(async () => {
    const { body } = await agent.request('GET', '/api/agent/board');
    const queue = (body as { queue: { id: string }[] }).queue;
    id = queue.find(conversationHint)?.id ?? '';
    return id !== '';
  });
  return id;
}

describe('a lead and an agent on one server', () => {
  let context: BrowserContext;
  let lead: Page;
  let wang: AgentClient;
  let wangEvents: Awaited<ReturnType<AgentClient['stream']>>;

  beforeAll(async () => {
    context = await bot.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    lead = await context.newPage();
    // 小王 is online with no chat: presence knows him by id only.
    wang = await AgentClient.signIn(bot.kefu.url, ...DEMO_AGENTS.wang);
    wangEvents = await wang.stream();
    await signInToConsole(lead, bot.kefu.url, DEMO_AGENTS.lin);
  });
  afterAll(async () => {
    wangEvents?.close();
    await context?.close();
  });

  test('the day in the drawer: idle agents by name, and the drawer, its title and the search in English after the switch', async () => {
    await lead.locator('#open-today').click();
    const loads = lead.locator('#today-panel li');
    await loads.filter({ hasText: '小王' }).waitFor();
    expect(await loads.allTextContents()).not.toEqual(expect.arrayContaining([expect.stringMatching(/^wang\b/)]));
    // The drawer covers the page: it is closed to reach the top bar.
    await lead.locator('#close-drawer').click();
    await lead.locator('#open-history').click();
    expect(await lead.locator('#history-panel label').textContent()).toContain('申诉编号');
    await shoot(lead, 'agent-console', 'drawer-zh');
    await lead.locator('#close-drawer').click();

    await lead.locator('.topbar .lang-toggle').click();
    await lead.locator('#open-today', { hasText: 'Today' }).waitFor();
    expect(await lead.locator('#open-history').textContent()).toBe('History');
    await lead.locator('#open-history').click();
    expect(await lead.locator('#workday-title').textContent()).toBe('History');
    expect(await lead.locator('#history-panel button[type=submit]').textContent()).toBe('Search');
    expect(await lead.locator('#history-panel label').textContent()).toContain('case id');
    await shoot(lead, 'agent-console', 'drawer-en');
    await lead.locator('#close-drawer').click();
    await lead.locator('.topbar .lang-toggle').click();
    await lead.locator('#open-today', { hasText: '今日概览' }).waitFor();
  });

  test('a lead reaches the knowledge desk from the console, signed in already; an agent is not offered it', async () => {
    const link = lead.locator('#open-desk');
    await link.filter({ hasText: '知识库工作台' }).waitFor();
    expect(await link.getAttribute('href')).toBe('/knowledge');
    const desk = await context.newPage();
    try {
      await desk.goto(`${bot.kefu.url}/agent`);
      await desk.locator('#open-desk').click();
      await desk.locator('[data-tab="unanswered"]').waitFor();
      expect(new URL(desk.url()).pathname).toBe('/knowledge');
    } finally {
      await desk.close();
    }

    const agentContext = await bot.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    try {
      const agent = await agentContext.newPage();
      const probed = agent.waitForResponse((response) => response.url().endsWith('/api/agent/supervisor'));
      await signInToConsole(agent, bot.kefu.url, DEMO_AGENTS.alice);
      expect((await probed).status()).toBe(403);
      await expect(agent.locator('#open-desk').isHidden()).resolves.toBe(true);
    } finally {
      await agentContext.close();
    }
  });

  test('a card click reads as what it carried; the top canned reply shows whole; the rating counts at once; history says 用户 and 机器人', async () => {
    const user = await WidgetUser.open(bot.kefu.url);
    // 👍 under an answer, as the widget's card button sends it: a value, no text.
    const posted = await fetch(`${bot.kefu.url}/v3/directline/conversations/${user.conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${(user as unknown as { token: string }).token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', value: { kefu: 'feedback', vote: 'up' }, from: { id: 'ignored' }, locale: 'zh-CN' }),
    });
    expect(posted.status).toBe(200);
    await user.ask('转人工');
    const id = await chatId(wang, () => true);

    const entry = lead.locator('#queue li').first();
    await entry.waitFor();
    await entry.click();
    await lead.locator('#transcript li.user', { hasText: '转人工' }).waitFor();
    const userLines = await lead.locator('#transcript li.user').evaluateAll((items) => items.map((item) => (item as unknown as { lastChild: { textContent: string | null } }).lastChild.textContent));
    expect(userLines).toEqual(['👍', '转人工']);

    await lead.locator('#claim').click();
    await lead.locator('#resolve').waitFor();
    // A short window (a laptop with the browser's bars, or a half-height split): the list is taller than the room above the reply box.
    await lead.setViewportSize({ width: 1280, height: 420 });
    const message = lead.locator('#message');
    await message.fill('/');
    const first = lead.locator('#canned li').first();
    await first.waitFor();
    // The first canned reply is there to be read and clicked: nothing covers its middle.
    const covered = await first.evaluate((item) => {
      const box = (item as unknown as { getBoundingClientRect(): { left: number; top: number; width: number; height: number } }).getBoundingClientRect();
      const doc = (item as unknown as { ownerDocument: { elementFromPoint(x: number, y: number): { closest(s: string): unknown } | null } }).ownerDocument;
      const hit = doc.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return hit?.closest('#canned li') !== item;
    });
    await shoot(lead, 'agent-console', 'canned-open');
    expect(covered).toBe(false);
    await message.fill('');
    await lead.setViewportSize({ width: 1280, height: 800 });

    await lead.locator('#resolve').click();
    await lead.locator('#resolve-yes').click();
    await lead.locator('#chat-title', { hasText: '已结束' }).waitFor();
    const since = wangEvents.events.length;
    await user.ask('4 分');
    // The consoles are told at once, and the lead's figures say so without a reload.
    await wangEvents.waitFor('board', since);
    await lead.locator('#open-today').click();
    await lead.locator('#today-panel p', { hasText: '平均评分 4' }).waitFor();
    await lead.locator('#close-drawer').click();

    await lead.locator('#open-history').click();
    await lead.locator('#history-panel input').fill(id);
    await lead.locator('#history-panel button[type=submit]').click();
    const found = lead.locator('#history-panel details').first();
    await found.waitFor();
    await found.locator('summary').click();
    const lines = await found.locator('ol li').allTextContents();
    await shoot(lead, 'agent-console', 'history-zh');
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^用户：转人工/), expect.stringMatching(/^机器人：/)]));
    expect(lines.filter((line) => /^(user|bot):/.test(line))).toEqual([]);
  });
});

test('the sign-in page loads without a failed request or an error in the browser console', async () => {
  const context = await bot.browser.newContext({ locale: 'zh-CN' });
  try {
    const page = await context.newPage();
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') failed.push(message.text());
    });
    await page.goto(`${bot.kefu.url}/agent`);
    await page.locator('#sign-in-form').waitFor();
    await page.locator('#agent-id').focus();
    expect(failed).toEqual([]);
  } finally {
    await context.close();
  }
});

test('with the server gone, the console shows one "连接已断开，正在重连…" line and throws nothing while it retries', async () => {
  const own = await startKefu();
  const context = await bot.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  let stopped = false;
  try {
    const page = await context.newPage();
    await signInToConsole(page, own.url, DEMO_AGENTS.wang);
    const thrown: string[] = [];
    page.on('pageerror', (error) => thrown.push(error.message));
    let failedRequests = 0;
    page.on('requestfailed', () => failedRequests++);
    await own.stop();
    stopped = true;
    await page.locator('#connection', { hasText: '连接已断开，正在重连…' }).waitFor();
    // Several tries at the server later: still one line, and nothing uncaught.
    await until(async () => failedRequests >= 4, 60_000);
    await shoot(page, 'agent-console', 'server-down');
    expect(await page.getByText('连接已断开').count()).toBe(1);
    expect(thrown).toEqual([]);
  } finally {
    await context.close();
    if (!stopped) await own.stop();
  }
});
