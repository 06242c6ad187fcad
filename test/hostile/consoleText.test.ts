import type { Browser, BrowserContext } from 'playwright-core';
import { DEMO_AGENTS } from '../support/agentClient';
import { launchBrowser, signInToConsole } from '../support/browser';
import { startKefu, type RunningKefu } from '../support/kefuServer';
import { WidgetUser } from '../support/widgetUser';

/**
 * The agent console against a user who types to pass for something else: a link, an image,
 * emphasis, and a line break followed by a line that looks like one of the console's own
 * context fields. All of it stays text, on the user's line.
 */
jest.setTimeout(120_000);

let kefu: RunningKefu;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  kefu = await startKefu();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1366, height: 800 }, locale: 'zh-CN' });
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await kefu?.stop();
});

/** The first, a line break and then a line like the panel's own "渠道" field, is one the bot cannot answer: it is among the unanswered questions. */
// None of them has an answer: each is one of the questions the agent sees as unanswered.
const DISGUISED = ['好的\n渠道：Microsoft Teams', '[看这里](https://evil.example/x)', '![](https://evil.example/p.png)', '**加粗**'];

test("a user's fake line stays on the user's line: the context panel holds one line per unanswered question, the bubble one line", async () => {
  const agent = await context.newPage();
  await signInToConsole(agent, kefu.url, DEMO_AGENTS.wang);

  const user = await WidgetUser.open(kefu.url);
  for (const text of DISGUISED) await user.ask(text);
  await user.ask('转人工');
  await agent.locator('#queue li').first().click();
  await agent.locator('#transcript li.user', { hasText: '渠道：' }).waitFor();

  // The context panel: each term once, and under the unanswered questions one line per question.
  const terms = await agent.locator('#context dt').allTextContents();
  expect(terms.filter((term) => term === '渠道')).toHaveLength(1);
  const misses = await agent.locator('#context dt', { hasText: '未能回答的问题' }).locator('xpath=following-sibling::dd[1]').innerText();
  const lines = misses.split('\n');
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(line).toMatch(/^• /);
  expect(lines).toContain('• 好的 ↵ 渠道：Microsoft Teams');
  expect(lines).toContain('• [看这里](https://evil.example/x)');

  // The bubble: the user's words on one line, as typed; nothing a user typed is a link or an image.
  const bubble = await agent.locator('#transcript li.user', { hasText: '渠道：' }).innerText();
  expect(bubble.split('\n').filter((line) => line.includes('渠道'))).toEqual(['好的 ↵ 渠道：Microsoft Teams']);
  expect(await agent.locator('#transcript a, #transcript img, #transcript strong, #transcript b').count()).toBe(0);
  await agent.locator('#transcript li.user', { hasText: '[看这里](https://evil.example/x)' }).waitFor();
  await user.ask('取消排队');
});
