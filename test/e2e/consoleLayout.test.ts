import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, launchBrowser, signInToConsole } from '../support/browser';
import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { startKefu, type RunningKefu } from '../support/kefuServer';
import { until } from '../support/until';

/**
 * The console as an agent sees it with a working day on it: three chats in progress (one
 * long, with a note), a history search opened. Measured in Chromium at 1280×800 and
 * 360×740: the page never scrolls, the transcript has the room, the chats can be told
 * apart, resolving asks first. Screenshots in test-artifacts/agent-console/layout-*.png.
 */
jest.setTimeout(180_000);

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
const SHOTS = path.join(ARTIFACTS, 'agent-console');

let kefu: RunningKefu;
let browser: Browser;
let lead: AgentClient;
const chats: string[] = [];
let doneChat = '';

interface Board {
  queue: { id: string }[];
  active: { id: string }[];
}

/** A user on the test channel who says `first`, then asks for a person; the chat is claimed by the lead. */
async function claimedChat(conversation: string, first: string): Promise<string> {
  await kefu.channel.join(conversation);
  await kefu.channel.say(conversation, first);
  await kefu.channel.say(conversation, '转人工');
  let id = '';
  await until(async () => {
    const board = await lead.get<Board>('/api/agent/board');
    id = board.body.queue.find((h) => !chats.includes(h.id))?.id ?? '';
    return id !== '';
  });
  expect((await lead.post(`/api/agent/chats/${id}/claim`)).status).toBe(200);
  chats.push(id);
  return id;
}

beforeAll(async () => {
  kefu = await startKefu();
  browser = await launchBrowser();
  lead = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.lin);
  // Presence: users queue only while an agent is online.
  const stream = await lead.stream();
  try {
    // A chat already over, for the history search.
    doneChat = await claimedChat('layout-done', '我想问一下提现多久到账');
    await kefu.channel.say('layout-done', '好的谢谢');
    await lead.post(`/api/agent/chats/${doneChat}/resolve`);
    chats.length = 0;
    await claimedChat('layout-1', '我的账户被冻结了怎么办');
    await claimedChat('layout-2', '昨天转账给朋友，对方一直没收到');
    const long = await claimedChat('layout-3', '信用卡还款失败了');
    for (let i = 1; i <= 14; i++) await kefu.channel.say('layout-3', `第 ${i} 条比较长的消息：我把情况说得详细一点，方便客服了解来龙去脉。`);
    await lead.post(`/api/agent/chats/${long}/notes`, { text: '用户还款失败，已请其提供银行卡后四位' });
  } finally {
    stream.close();
  }
});
afterAll(async () => {
  await browser?.close();
  await kefu?.stop();
});

async function consolePage(viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  await signInToConsole(page, kefu.url, DEMO_AGENTS.lin);
  return { context, page };
}

interface Box {
  top: number;
  bottom: number;
  height: number;
}
/** Where an element is on the screen (what the page shows, not the document). */
function box(page: Page, selector: string): Promise<Box> {
  return page.evaluate<Box>(`(() => { const r = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect(); return { top: r.top, bottom: r.bottom, height: r.height }; })()`);
}
const pageHeight = (page: Page) => page.evaluate<number>('document.scrollingElement.scrollHeight');

test('1280×800: the page never scrolls; the transcript takes the free height; figures and history open in a drawer; the chats can be told apart', async () => {
  const { context, page } = await consolePage(DESKTOP);
  fs.mkdirSync(SHOTS, { recursive: true });
  try {
    await page.locator('#active button.item').nth(2).waitFor();
    const entries = await page.locator('#active button.item').allTextContents();
    // Three chats, three different lines: the user's first words and how long it has been.
    expect(new Set(entries).size).toBe(3);
    expect(entries.join('\n')).toContain('我的账户被冻结了');
    expect(entries.join('\n')).toContain('昨天转账给朋友');
    for (const entry of entries) expect(entry).toMatch(/分钟/);

    await page.locator('#active button.item', { hasText: '信用卡还款失败' }).click();
    await page.locator('#transcript li', { hasText: '第 14 条' }).waitFor();
    await page.locator('#notes li', { hasText: '银行卡后四位' }).waitFor();
    expect(await pageHeight(page)).toBeLessThanOrEqual(DESKTOP.height);
    expect((await box(page, '#log')).height).toBeGreaterThanOrEqual(450);
    // The note's button whole on the screen; the chat opened on its latest line.
    expect((await box(page, '#note-form button')).bottom).toBeLessThanOrEqual(DESKTOP.height);
    const last = await box(page, '#transcript li:last-child');
    const log = await box(page, '#log');
    expect(last.bottom).toBeLessThanOrEqual(log.bottom + 1);
    expect((await box(page, '#message')).top).toBeGreaterThanOrEqual(log.bottom - 1);
    await page.screenshot({ path: path.join(SHOTS, 'layout-1280.png') });

    // The canned replies open above the reply box, the first of them not under the chat's heading.
    await page.locator('#message').fill('/');
    await page.locator('#canned li').first().waitFor();
    expect((await box(page, '#canned li:first-child')).top).toBeGreaterThanOrEqual((await box(page, '.chat-head')).bottom);
    await page.locator('#message').fill('');

    // History: a drawer over the chat; an opened result leaves the page as it was.
    await page.locator('#open-history').click();
    await page.locator('#history-panel input').fill(doneChat.slice(0, 8));
    await page.screenshot({ path: path.join(SHOTS, 'layout-1280-drawer.png') });
    await page.locator('#history-panel button[type=submit]').click();
    await page.locator('#history-panel details summary').first().click();
    await page.locator('#history-panel details[open] li').first().waitFor();
    expect(await pageHeight(page)).toBeLessThanOrEqual(DESKTOP.height);
    expect((await box(page, '#log')).height).toBeGreaterThanOrEqual(450);
    expect(await page.locator('#lists').isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'layout-1280-history.png') });
    // The day's figures in the same drawer, for a lead.
    await page.keyboard.press('Escape');
    await page.locator('#open-today').click();
    await page.locator('#today-panel p', { hasText: '今日结束' }).waitFor();
    expect(await pageHeight(page)).toBeLessThanOrEqual(DESKTOP.height);
    await page.keyboard.press('Escape');
    await page.locator('#workday').waitFor({ state: 'hidden' });
  } finally {
    await context.close();
  }
});

test('360×740: an opened chat shows its latest lines with the reply box under them; the context is folded', async () => {
  const { context, page } = await consolePage(PHONE);
  try {
    await page.locator('#active button.item', { hasText: '信用卡还款失败' }).click();
    await page.locator('#transcript li', { hasText: '第 14 条' }).waitFor();
    expect(await pageHeight(page)).toBeLessThanOrEqual(PHONE.height);
    const log = await box(page, '#log');
    expect(log.height).toBeGreaterThanOrEqual(300);
    const last = await box(page, '#transcript li:last-child');
    expect(last.top).toBeGreaterThanOrEqual(log.top);
    expect(last.bottom).toBeLessThanOrEqual(log.bottom + 1);
    const message = await box(page, '#message');
    expect(message.top).toBeGreaterThanOrEqual(log.bottom - 1);
    expect(message.bottom).toBeLessThanOrEqual(PHONE.height);
    expect(await page.locator('#context').isVisible()).toBe(false);
    await page.screenshot({ path: path.join(SHOTS, 'layout-360.png') });
    await page.locator('#context-box summary').click();
    await page.locator('#context dd', { hasText: '用户要求转人工' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'layout-360-context.png') });
  } finally {
    await context.close();
  }
});

test('a claimed chat opened: Tab goes to the reply box, not to 结束并交还机器人; resolving asks first, and 取消 or Escape keeps the chat', async () => {
  const { context, page } = await consolePage(DESKTOP);
  try {
    await page.locator('#active button.item', { hasText: '昨天转账给朋友' }).click();
    await page.waitForFunction(`document.activeElement && document.activeElement.id === 'chat-title'`, undefined, { timeout: 15_000 });
    // The transcript (to scroll it by keyboard), then the reply box: never 结束并交还机器人 first.
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('log');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('message');
    await page.locator('#resolve').click();
    await page.locator('#resolve-confirm', { hasText: '结束这个会话' }).waitFor();
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('resolve-yes');
    await page.keyboard.press('Escape');
    await page.locator('#resolve-confirm').waitFor({ state: 'hidden' });
    expect(await page.locator('#chat-title').textContent()).toContain('处理中');
    await page.locator('#resolve').click();
    await page.locator('#resolve-no').click();
    expect(await page.locator('#chat-title').textContent()).toContain('处理中');
    await page.locator('#resolve').click();
    await page.locator('#resolve-yes').click();
    await page.locator('#chat-title', { hasText: '已结束' }).waitFor();
  } finally {
    await context.close();
  }
});
