import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, kefuAndBrowser, WidgetPage, signInToConsole } from '../support/browser';
import { DEMO_AGENTS } from '../support/agentClient';
import { keepForReadme } from '../support/readmeScreenshots';

/**
 * The console and the widget for people on a keyboard, with a screen reader or on a phone:
 * axe-core (from node_modules, injected into the page) finds no serious or critical WCAG 2.1
 * A/AA violation in any state at 1280×800 and 360×740; a whole chat is handled with the
 * keyboard alone; the transcript's live region gets each line once; a new chat changes the
 * title and is announced. Code run in the page is passed as strings (no DOM types here).
 */
jest.setTimeout(180_000);

const AXE = require.resolve('axe-core/axe.min.js');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };

const bot = kefuAndBrowser();

async function agentPage(viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
  // bypassCSP: axe is injected as an inline script, which the console's CSP rightly refuses.
  const context = await bot.browser.newContext({ viewport, locale: 'zh-CN', bypassCSP: true });
  return { context, page: await context.newPage() };
}

/** Serious and critical WCAG 2.1 A/AA violations on the page as it is now: "rule: targets". */
async function axeFindings(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.addScriptTag({ path: AXE });
  return page.evaluate<string[]>(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ': ' + v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(', ')))`);
}

/** The open chat's id, from the list entry marked current. */
function openChatId(page: Page): Promise<string> {
  return page.locator('#lists button.item[aria-current=true]').getAttribute('data-id').then((id) => id ?? '');
}

/** The history search for a chat, with its record opened: the console's "history" state. */
async function showHistory(page: Page, chatId: string): Promise<void> {
  await page.locator('#open-history').click();
  const search = page.locator('form[role=search]');
  await search.locator('input').fill(chatId.slice(0, 8));
  await search.locator('button').click();
  await page.locator('#history-panel details summary').first().click();
  await page.locator('#history-panel details[open] li').first().waitFor();
}

async function signIn(page: Page): Promise<void> {
  await signInToConsole(page, bot.kefu.url, DEMO_AGENTS.wang);
}

/** A user in the widget who asked for a person and is waiting in the queue. */
async function queuedUser(name: string): Promise<WidgetPage> {
  const widget = await WidgetPage.open(bot.browser, `${bot.kefu.url}/`, name);
  await widget.waitForBot('您好');
  const before = await widget.say('转人工');
  await widget.waitForBot('排在第', before);
  return widget;
}

/** What has focus, and whether a sighted keyboard user can see it. */
interface Focused {
  id: string;
  tag: string;
  classes: string;
  text: string;
  visible: boolean;
}
function focused(page: Page): Promise<Focused> {
  return page.evaluate<Focused>(`(() => {
    const e = document.activeElement;
    const r = e.getBoundingClientRect();
    const visible = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth && getComputedStyle(e).visibility !== 'hidden';
    return { id: e.id, tag: e.tagName.toLowerCase(), classes: String(e.className), text: (e.textContent || '').trim().slice(0, 80), visible };
  })()`);
}

/** Tab (or Shift+Tab) until `matches` holds for the focused element; fails after `max` presses. */
async function tabTo(page: Page, matches: (f: Focused) => boolean, key = 'Tab', max = 25): Promise<Focused> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const now = await focused(page);
    if (matches(now)) return now;
  }
  throw new Error(`never reached the element by ${key}; focus ended on ${JSON.stringify(await focused(page))}`);
}

async function waitForFocus(page: Page, selector: string): Promise<Focused> {
  await page.waitForFunction(`document.activeElement && document.activeElement.matches(${JSON.stringify(selector)})`, undefined, { timeout: 15_000 });
  const now = await focused(page);
  expect(now.visible).toBe(true);
  return now;
}

test('axe: the widget has no serious or critical WCAG 2.1 A/AA violation at 1280×800 and 360×740', async () => {
  const findings: Record<string, string[]> = {};
  for (const viewport of [DESKTOP, PHONE]) {
    const context = await bot.browser.newContext({ viewport, locale: 'zh-CN', bypassCSP: true });
    const widget = new WidgetPage(await context.newPage(), 'a11y-widget');
    try {
      await widget.page.goto(`${bot.kefu.url}/`);
      await widget.waitForBot('您好');
      findings[`widget ${viewport.width}`] = await axeFindings(widget.page);
      // One live region for the messages (Web Chat's), and the connection status is announced.
      expect(await widget.page.locator('#webchat[role=log], #webchat[aria-live]').count()).toBe(0);
      expect(await widget.page.locator('#kefu-status').getAttribute('role')).toBe('status');
    } finally {
      await context.close();
    }
  }
  expect(findings).toEqual({ 'widget 1280': [], 'widget 360': [] });
});

test('axe: every console state (sign-in, board, ticket, chat selected, claimed, resolved, history) at 1280×800 and 360×740', async () => {
  const findings: Record<string, string[]> = {};
  // While no agent is online a user leaves a message: a ticket on the board.
  await bot.kefu.channel.ask('a11y-ticket', '转人工');
  await bot.kefu.channel.ask('a11y-ticket', '留言');
  await bot.kefu.channel.ask('a11y-ticket', '13800000001');
  await bot.kefu.channel.ask('a11y-ticket', '转账一直失败，请尽快联系我');
  // Users queue only while an agent is online.
  const host = await agentPage(DESKTOP);
  await signIn(host.page);
  const widget = await queuedUser('a11y-axe');
  try {
    for (const viewport of [DESKTOP, PHONE]) {
      const { context, page } = await agentPage(viewport);
      try {
        await page.goto(`${bot.kefu.url}/agent`);
        await page.locator('#agent-id').waitFor();
        findings[`sign-in ${viewport.width}`] = await axeFindings(page);
        await signIn(page);
        await page.locator('#queue button.item').first().waitFor();
        findings[`board ${viewport.width}`] = await axeFindings(page);
        await page.locator('#tickets button.item').first().click();
        await waitForFocus(page, '#ticket-title');
        findings[`ticket ${viewport.width}`] = await axeFindings(page);
        if (viewport === PHONE) {
          await page.locator('#ticket-back').click();
          await page.locator('#queue button.item').first().waitFor();
        }
        await page.locator('#queue button.item').first().click();
        await page.locator('#claim').waitFor();
        findings[`chat selected ${viewport.width}`] = await axeFindings(page);
        if (viewport === PHONE) {
          await page.locator('#claim').click();
          await page.locator('#resolve').waitFor();
          await page.locator('#message').fill('/');
          await page.locator('#canned li').first().waitFor();
          findings[`claimed ${viewport.width}`] = await axeFindings(page);
          await page.locator('#message').fill('');
          const chatId = await openChatId(page);
          await page.locator('#resolve').click();
    await page.locator('#resolve-yes').click();
          await page.locator('#chat-title', { hasText: '已结束' }).waitFor();
          findings[`resolved ${viewport.width}`] = await axeFindings(page);
          await showHistory(page, chatId);
          findings[`history ${viewport.width}`] = await axeFindings(page);
        }
      } finally {
        await context.close();
      }
    }
  } finally {
    await widget.close();
  }
  await host.context.close();
  // The 1280 claimed state: claim a second chat on the desktop.
  const { context, page } = await agentPage(DESKTOP);
  await signIn(page);
  const second = await queuedUser('a11y-axe-2');
  try {
    await page.locator('#queue button.item').first().click();
    await page.locator('#claim').click();
    await page.locator('#resolve').waitFor();
    findings['claimed 1280'] = await axeFindings(page);
    const chatId = await openChatId(page);
    await page.locator('#resolve').click();
    await page.locator('#resolve-yes').click();
    await page.locator('#chat-title', { hasText: '已结束' }).waitFor();
    await showHistory(page, chatId);
    findings['history 1280'] = await axeFindings(page);
  } finally {
    await context.close();
    await second.close();
  }
  expect(findings).toEqual(Object.fromEntries(Object.keys(findings).map((k) => [k, []])));
});

test('keyboard only: sign in, open the first queued chat, claim, canned reply, note, resolve', async () => {
  const { context, page } = await agentPage(DESKTOP);
  let widget: WidgetPage | undefined;
  try {
    await page.goto(`${bot.kefu.url}/agent`);
    await waitForFocus(page, '#agent-id');
    await page.keyboard.type(DEMO_AGENTS.wang[0]);
    await page.keyboard.press('Tab');
    await page.keyboard.type(DEMO_AGENTS.wang[1]);
    await page.keyboard.press('Enter');
    // Signed in: focus on the console's heading, not left on <body>.
    expect((await waitForFocus(page, '#console-title')).tag).toBe('h1');
    widget = await queuedUser('a11y-keyboard');
    await page.locator('#queue button.item').first().waitFor();

    const item = await tabTo(page, (f) => f.classes.includes('item'));
    expect(item.visible).toBe(true);
    expect(item.text).toContain('用户要求转人工');
    await page.keyboard.press('Enter');
    await waitForFocus(page, '#chat-title');
    const claim = await tabTo(page, (f) => f.id === 'claim', 'Tab', 3);
    expect(claim.visible).toBe(true);

    await page.keyboard.press('Enter');
    await waitForFocus(page, '#message');
    let before = (await widget.botTexts()).length;
    await widget.waitForBot('人工客服「小王」已接入', before - 1);
    await page.keyboard.type('/hel');
    await page.locator('#canned [role=option][aria-selected=true]').waitFor();
    expect(await page.locator('#message').getAttribute('aria-activedescendant')).toBe(await page.locator('#canned [aria-selected=true]').getAttribute('id'));
    await page.keyboard.press('Enter');
    expect(await page.locator('#message').inputValue()).toContain('我来继续帮您处理');
    before = (await widget.botTexts()).length;
    await page.keyboard.press('Enter');
    await widget.waitForBot('小王：您好，我是人工客服', before);
    expect((await focused(page)).id).toBe('message');

    await tabTo(page, (f) => f.id === 'note', 'Tab', 6);
    await page.keyboard.type('键盘操作的备注');
    await page.keyboard.press('Enter');
    await page.locator('#notes li', { hasText: '键盘操作的备注' }).waitFor();
    expect((await waitForFocus(page, '#note')).id).toBe('note');

    const resolve = await tabTo(page, (f) => f.id === 'resolve', 'Shift+Tab');
    expect(resolve.visible).toBe(true);
    before = (await widget.botTexts()).length;
    // Resolving asks first; Enter on 确认结束 ends the chat.
    await page.keyboard.press('Enter');
    await waitForFocus(page, '#resolve-yes');
    await page.keyboard.press('Enter');
    await widget.waitForBot('请为客服的服务打个分', before);
    await page.locator('#chat-title', { hasText: '已结束' }).waitFor();
    expect((await waitForFocus(page, '#chat-title')).text).toContain('已结束');
  } finally {
    await context.close();
    await widget?.close();
  }
});

test('the transcript live region gets each new line once; a new queued chat is announced and counted in the title', async () => {
  const { context, page } = await agentPage(DESKTOP);
  let widget: WidgetPage | undefined;
  try {
    await signIn(page);
    await page.locator('#queue li').first().waitFor();
    const queuedBefore = await page.locator('#queue button.item').count();
    expect(await page.title()).toBe(queuedBefore ? `(${queuedBefore}) Kefu 客服工作台` : 'Kefu 客服工作台');

    widget = await queuedUser('a11y-live');
    await page.waitForFunction(`document.title === ${JSON.stringify(`(${queuedBefore + 1}) Kefu 客服工作台`)}`, undefined, { timeout: 15_000 });
    await page.locator('[role=status]#announcer', { hasText: '新的排队会话：用户要求转人工' }).waitFor();

    await page.locator('#queue button.item').last().click();
    await page.locator('#transcript li').first().waitFor();
    // Count the lines each update adds to the live region, from here on.
    await page.evaluate(`(() => {
      window.__added = 0;
      new MutationObserver((records) => {
        for (const r of records) for (const n of r.addedNodes) if (n.nodeName === 'LI' && r.target.id === 'transcript') window.__added++;
      }).observe(document.getElementById('transcript'), { childList: true });
    })()`);
    const shown = await page.locator('#transcript li').count();
    await page.locator('#claim').click();
    await page.locator('#resolve').waitFor();
    const before = (await widget.botTexts()).length;
    await widget.waitForBot('人工客服「小王」已接入', before - 1);
    await widget.say('第一条新消息');
    await page.locator('#transcript li.user', { hasText: '第一条新消息' }).waitFor();
    await widget.say('第二条新消息');
    await page.locator('#transcript li.user', { hasText: '第二条新消息' }).waitFor();
    const now = await page.locator('#transcript li').count();
    expect(now).toBeGreaterThanOrEqual(shown + 2);
    expect(await page.evaluate<number>('window.__added')).toBe(now - shown);
    // Claimed: it left the queue, so the title counts one fewer.
    expect(await page.title()).toBe(queuedBefore ? `(${queuedBefore}) Kefu 客服工作台` : 'Kefu 客服工作台');
    await page.locator('#resolve').click();
    await page.locator('#resolve-yes').click();
    await page.locator('#chat-title', { hasText: '已结束' }).waitFor();
  } finally {
    await context.close();
    await widget?.close();
  }
});

test('small screens: at 360 px the list and the chat are two views, 768 px fits both; the chat header stays in view at 1280×800', async () => {
  const host = await agentPage(DESKTOP);
  await signIn(host.page);
  const widget = await queuedUser('a11y-screens');
  await host.context.close();
  const shots = path.join(ARTIFACTS, 'agent-console');
  fs.mkdirSync(shots, { recursive: true });
  try {
    // 360: the list alone, then the chat alone with the whole width, then back.
    const phone = await agentPage({ width: 360, height: 740 });
    try {
      await signIn(phone.page);
      const item = phone.page.locator('#queue button.item').last();
      await item.waitFor();
      expect(await phone.page.locator('#chat').isVisible()).toBe(false);
      await item.click();
      await phone.page.locator('#claim').waitFor();
      expect(await phone.page.locator('#lists').isVisible()).toBe(false);
      const chatBox = await phone.page.locator('#chat').boundingBox();
      expect(chatBox?.width).toBeGreaterThanOrEqual(340);
      const claimBox = await phone.page.locator('#claim').boundingBox();
      expect((claimBox?.x ?? 999) + (claimBox?.width ?? 0)).toBeLessThanOrEqual(360);
      await phone.page.screenshot({ path: path.join(shots, 'console-360.png') });
      keepForReadme(path.join(shots, 'console-360.png'), 'console-360');
      await phone.page.locator('#back').click();
      await phone.page.locator('#lists').waitFor();
      expect((await focused(phone.page)).classes).toContain('item');
    } finally {
      await phone.context.close();
    }

    const tablet = await agentPage({ width: 768, height: 1024 });
    try {
      await signIn(tablet.page);
      await tablet.page.locator('#queue button.item').last().click();
      await tablet.page.locator('#claim').waitFor();
      expect(await tablet.page.locator('#lists').isVisible()).toBe(true);
      expect((await tablet.page.locator('#chat').boundingBox())?.width).toBeGreaterThanOrEqual(480);
      await tablet.page.screenshot({ path: path.join(shots, 'console-768.png') });
      keepForReadme(path.join(shots, 'console-768.png'), 'console-768');
    } finally {
      await tablet.context.close();
    }

    // 1280×800 with a long chat: scrolled to the end, 结束并交还机器人 is still on screen.
    const desk = await agentPage(DESKTOP);
    try {
      await signIn(desk.page);
      await desk.page.locator('#queue button.item').last().click();
      await desk.page.locator('#claim').click();
      await desk.page.locator('#resolve').waitFor();
      for (let i = 1; i <= 8; i++) {
        await widget.say(`第 ${i} 条比较长的消息，用来把对话记录撑得比屏幕还高，看看顶部的按钮还在不在。`);
        await desk.page.locator('#transcript li.user', { hasText: `第 ${i} 条` }).waitFor();
      }
      await desk.page.evaluate(`(() => { const pane = document.getElementById('log'); pane.scrollTop = pane.scrollHeight; })()`);
      expect(await desk.page.evaluate<boolean>(`(() => { const pane = document.getElementById('log'); return pane.scrollHeight > pane.clientHeight + 100; })()`)).toBe(true);
      const box = await desk.page.locator('#resolve').boundingBox();
      const pane = await desk.page.locator('#chat').boundingBox();
      expect(box && pane && box.y >= pane.y && box.y + box.height <= DESKTOP.height).toBe(true);
      await desk.page.locator('#resolve').click();
    await desk.page.locator('#resolve-yes').click();
      await desk.page.locator('#chat-title', { hasText: '已结束' }).waitFor();
    } finally {
      await desk.context.close();
    }
  } finally {
    await widget.close();
  }
});

/**
 * Records what the page asks of the browser's notification and audio APIs, and lets the test
 * say whether the page is hidden (an agent looking at another window).
 */
const RECORD_ALERTS = `(() => {
  window.__alerts = { notifications: [], tones: 0 };
  window.__hidden = false;
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => window.__hidden });
  const Real = window.Notification;
  window.Notification = class {
    constructor(title, options) { window.__alerts.notifications.push({ title, body: options && options.body }); }
    static get permission() { return Real.permission; }
    static requestPermission() { return Real.requestPermission(); }
  };
  const Audio = window.AudioContext;
  window.AudioContext = class extends Audio {
    createOscillator() { window.__alerts.tones += 1; return super.createOscillator(); }
  };
})()`;
interface Alerts {
  notifications: { title: string; body: string }[];
  tones: number;
}
const alerts = (page: Page): Promise<Alerts> => page.evaluate<Alerts>('window.__alerts');

test('a user message in another of my chats: announced, an unread count on it and in the title; each chat keeps its draft; alerts are opt-in, remembered, and notify when the page is hidden', async () => {
  const { context, page } = await agentPage(DESKTOP);
  await context.grantPermissions(['notifications'], { origin: bot.kefu.url });
  await context.addInitScript(RECORD_ALERTS);
  const users: WidgetPage[] = [];
  try {
    await signIn(page);
    expect(await page.locator('#alerts').getAttribute('aria-pressed')).toBe('false');
    for (const name of ['a11y-mine-1', 'a11y-mine-2']) {
      const widget = await queuedUser(name);
      users.push(widget);
      await page.locator('#queue button.item').last().click();
      await page.locator('#claim').click();
      await page.locator('#resolve').waitFor();
      await widget.waitForBot('人工客服「小王」已接入');
    }
    const queued = await page.locator('#queue button.item').count();
    // The second chat is open; the user of the first writes.
    await users[0]!.say('还在吗？我等了好久');
    await page.locator('#announcer', { hasText: '您的会话有用户新消息' }).waitFor();
    await page.waitForFunction(`document.title === ${JSON.stringify(`(${queued + 1}) Kefu 客服工作台`)}`, undefined, { timeout: 15_000 });
    await page.locator('#active .badge.unread', { hasText: '1' }).waitFor();
    // Opening it reads it.
    await page.locator('#active button.item', { has: page.locator('.badge.unread') }).click();
    await page.locator('#transcript li.user', { hasText: '我等了好久' }).waitFor();
    expect(await page.title()).toBe(queued ? `(${queued}) Kefu 客服工作台` : 'Kefu 客服工作台');
    expect(await page.locator('#active .badge.unread').count()).toBe(0);
    // Alerts are off: the announcement was made, but no notification and no sound.
    expect(await alerts(page)).toEqual({ notifications: [], tones: 0 });

    // Drafts: what was typed in one chat waits there while the agent answers the other.
    const [first, second] = [page.locator('#active button.item').nth(0), page.locator('#active button.item').nth(1)];
    await page.locator('#message').fill('我帮您查一下，请稍等');
    await second.click();
    expect(await page.locator('#message').inputValue()).toBe('');
    await first.locator('.badge', { hasText: '草稿' }).waitFor();
    await page.locator('#message').fill('另一位用户的草稿');
    await first.click();
    expect(await page.locator('#message').inputValue()).toBe('我帮您查一下，请稍等');
    await second.click();
    expect(await page.locator('#message').inputValue()).toBe('另一位用户的草稿');
    await page.locator('#send').click();
    await page.locator('#transcript li.agent', { hasText: '另一位用户的草稿' }).waitFor();
    await first.click();
    expect(await page.locator('#message').inputValue()).toBe('我帮您查一下，请稍等');
    await second.click();
    expect(await page.locator('#message').inputValue()).toBe('');

    await page.locator('#alerts').click();
    expect(await page.locator('#alerts').getAttribute('aria-pressed')).toBe('true');
    await page.reload();
    await page.locator('#agent-name').filter({ hasText: /\S/ }).waitFor();
    expect(await page.locator('#alerts').getAttribute('aria-pressed')).toBe('true');
    // Alerts on, the console behind another window: a user message notifies and sounds.
    await page.evaluate('window.__hidden = true');
    await users[1]!.say('请问处理好了吗');
    await page.waitForFunction('window.__alerts.notifications.length > 0', undefined, { timeout: 15_000 });
    const heard = await alerts(page);
    expect(heard.notifications).toEqual([{ title: 'Kefu 客服工作台', body: '您的会话有用户新消息：用户要求转人工' }]);
    expect(heard.tones).toBeGreaterThan(0);
    await page.evaluate('window.__hidden = false');
    // Resolved chats leave the list: always the first of what is left.
    for (let left = await page.locator('#active button.item').count(); left > 0; left--) {
      await page.locator('#active button.item').first().click();
      await page.locator('#resolve').click();
    await page.locator('#resolve-yes').click();
      await page.locator('#chat-title', { hasText: '已结束' }).waitFor();
      await page.locator('#active button.item').nth(left - 1).waitFor({ state: 'detached' });
    }
  } finally {
    await context.close();
    for (const widget of users) await widget.close();
  }
});
