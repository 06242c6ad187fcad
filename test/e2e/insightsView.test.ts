import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chinaDay, type InsightsEvent } from '../../bot/desk/insights';
import { RedisInsights } from '../../bot/storage/redis/insights';
import { connectRedis, type RedisClient } from '../../bot/storage/redis/connection';
import { mountStaticAssets } from '../../bot/staticAssets';
import { DEMO_AGENTS } from '../support/agentClient';
import { ARTIFACTS, launchBrowser } from '../support/browser';
import { SHARED_ENV } from '../support/cluster';
import { startKefu, type RunningKefu } from '../support/kefuServer';
import { RedisServer } from '../support/redis';
import pino from 'pino';

/**
 * A lead sees the Insights view's charts: 30 days of counters (the earlier days written as the
 * bot would have, today's from real conversations), each chart named and summed up in words.
 * Until the /knowledge page hosts the view, a small test page renders it (test/e2e/insightsView).
 */
jest.setTimeout(120_000);

const AXE = require.resolve('axe-core/axe.min.js');
const PAGE_DIR = path.join(__dirname, 'insightsView');
const DESK_DIR = path.resolve(__dirname, '../../bot/desk/public');
const NODE_MODULES = path.resolve(__dirname, '../../node_modules');
const DAY = 86_400_000;
const HOSTILE = '<b>火星币</b>能付款吗';

let redis: RedisServer;
let client: RedisClient;
let kefu: RunningKefu;
let browser: Browser;

/** The test page and what it loads, under /test-insights/, on the bot's own server (same origin as the API). */
function mountTestPage(): void {
  const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(fs.readFileSync(path.join(PAGE_DIR, 'index.html'), 'utf8'))?.[1] ?? '';
  const hash = crypto.createHash('sha256').update(importMap).digest('base64');
  const js = 'text/javascript; charset=utf-8';
  const css = 'text/css; charset=utf-8';
  mountStaticAssets(
    kefu.app.server,
    {
      '/test-insights/': { file: path.join(PAGE_DIR, 'index.html'), type: 'text/html; charset=utf-8', maxAge: 0 },
      '/test-insights/main.js': { file: path.join(PAGE_DIR, 'main.js'), type: js, maxAge: 0 },
      '/test-insights/page.css': { file: path.join(PAGE_DIR, 'page.css'), type: css, maxAge: 0 },
      '/test-insights/insights.js': { file: path.join(DESK_DIR, 'insights.js'), type: js, maxAge: 0 },
      '/test-insights/insights.css': { file: path.join(DESK_DIR, 'insights.css'), type: css, maxAge: 0 },
      '/test-insights/vendor/preact.mjs': { file: path.join(NODE_MODULES, 'preact', 'dist', 'preact.module.js'), type: js, maxAge: 0 },
      '/test-insights/vendor/htm.mjs': { file: path.join(NODE_MODULES, 'htm', 'dist', 'htm.module.js'), type: js, maxAge: 0 },
    },
    // The staff pages' policy: our own scripts and this page's import map, nothing inline else.
    { 'content-security-policy': `default-src 'self'; script-src 'self' 'sha256-${hash}'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'` },
  );
}

/** 29 earlier days, recorded as the bot would have: a working week's rhythm. */
async function seedHistory(): Promise<void> {
  const history = new RedisInsights(client, 40);
  const now = Date.now();
  const times = async (n: number, event: InsightsEvent, at: number) => {
    for (let i = 0; i < n; i++) await history.record(event, at);
  };
  for (let daysAgo = 1; daysAgo < 30; daysAgo++) {
    const at = now - daysAgo * DAY;
    const conversations = 12 + ((daysAgo * 7) % 9);
    const withPerson = 1 + (daysAgo % 3);
    await times(conversations, { kind: 'conversation' }, at);
    await times(withPerson, { kind: 'reached-person', startedOn: chinaDay(at) }, at);
    await times(conversations * 2, { kind: 'question' }, at);
    await times(2 + (daysAgo % 4), { kind: 'fallback' }, at);
    await times(3 + (daysAgo % 5), { kind: 'vote', vote: 'up' }, at);
    await times(daysAgo % 3, { kind: 'vote', vote: 'down' }, at);
    await times(withPerson, { kind: 'handoff', reason: 'user-request' }, at);
    await times(daysAgo % 2, { kind: 'handoff', reason: 'repeated-fallback' }, at);
    await times(daysAgo % 5 === 0 ? 1 : 0, { kind: 'handoff', reason: 'complaint' }, at);
    for (let i = 0; i < withPerson; i++) await history.record({ kind: 'csat', rating: 3 + ((daysAgo + i) % 3) }, at);
  }
}

beforeAll(async () => {
  redis = await RedisServer.start();
  client = connectRedis({ url: redis.url, commandTimeoutMs: 5000 }, pino({ level: 'silent' }));
  kefu = await startKefu({ REDIS_URL: redis.url, OTP_SECRET: SHARED_ENV.OTP_SECRET });
  mountTestPage();
  await seedHistory();
  // Today, for real: two answered conversations (one 👍, one 👎), one that fell back twice.
  await kefu.channel.ask('view-1', '验证码收不到怎么办');
  await kefu.channel.ask('view-1', '👍 有帮助');
  await kefu.channel.ask('view-2', '换手机号收费吗');
  await kefu.channel.ask('view-2', '没用');
  await kefu.channel.ask('view-3', HOSTILE);
  await kefu.channel.ask('view-4', HOSTILE);
  await kefu.channel.ask('view-5', '今天天气怎么样');
  await kefu.channel.ask('view-6', '给我推荐一只股票');
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await kefu?.stop();
  client?.disconnect();
  await redis?.destroy();
});

async function leadPage(viewport: { width: number; height: number }, lang: string): Promise<{ context: BrowserContext; page: Page }> {
  // bypassCSP only so that axe (an injected inline script) can run; the page itself needs no exception.
  const context = await browser.newContext({ viewport, locale: lang, bypassCSP: true });
  const [id, password] = DEMO_AGENTS.lin;
  const signIn = await context.request.post(`${kefu.url}/api/agent/session`, { data: { id, password }, headers: { 'x-kefu-agent': '1' } });
  expect(signIn.status()).toBe(200);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => void (message.type() === 'error' && problems.push(message.text())));
  await page.goto(`${kefu.url}/test-insights/?lang=${lang}`);
  await page.locator('[data-insights] canvas').nth(6).waitFor();
  expect(problems).toEqual([]);
  return { context, page };
}

async function axeFindings(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate<string[]>(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ': ' + v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(', ')))`);
}

/** Each chart as assistive technology meets it: the canvas's name, and the sentence it is described by. */
function chartsAsRead(page: Page): Promise<{ name: string; summary: string; drawn: boolean }[]> {
  return page.evaluate(`[...document.querySelectorAll('[data-insights] canvas')].map((canvas) => ({
    name: canvas.getAttribute('aria-label') || '',
    summary: document.getElementById(canvas.getAttribute('aria-describedby') || '')?.textContent || '',
    drawn: Boolean(globalThis.Chart.getChart(canvas)) && canvas.width > 0 && canvas.height > 0,
  }))`);
}

test.each([
  [{ width: 1280, height: 800 }, 'zh-CN'],
  [{ width: 360, height: 740 }, 'zh-CN'],
  [{ width: 1280, height: 800 }, 'en-US'],
])('a lead sees seven named, summed-up charts at %o in %s', async (viewport, lang) => {
  const { context, page } = await leadPage(viewport, lang);
  try {
    const charts = await chartsAsRead(page);
    expect(charts).toHaveLength(7);
    for (const chart of charts) {
      expect(chart.drawn).toBe(true);
      expect(chart.name.length).toBeGreaterThan(3);
      expect(chart.summary.length).toBeGreaterThan(5);
    }
    const names = charts.map((c) => c.name);
    const summaries = charts.map((c) => c.summary);
    if (lang === 'zh-CN') {
      expect(names).toEqual(['每天的对话数', '机器人独立解决的比例（没有人工接入）', '答不上来的比例', '每天的 👍 / 👎', '每天转人工的次数（按原因）', '人工服务评分（每天平均，满分 5）', '答不上来最多的问法']);
      expect(summaries[4]).toContain('用户要求');
    } else {
      expect(names[0]).toBe('Conversations per day');
      expect(summaries[6]).toContain(`“${HOSTILE}” (2)`);
    }
    // What users typed is text: the list shows the markup as they typed it, no element made of it.
    const top = page.locator('.insights-top-list li').first();
    expect(await top.locator('.insights-wording').textContent()).toBe(HOSTILE);
    expect(await page.locator('.insights-top-list b').count()).toBe(0);
    expect(await axeFindings(page)).toEqual([]);
    fs.mkdirSync(path.join(ARTIFACTS, 'insights'), { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'insights', `insights-${lang}-${viewport.width}.png`), fullPage: true });
  } finally {
    await context.close();
  }
});
