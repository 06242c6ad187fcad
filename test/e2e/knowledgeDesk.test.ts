import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { main } from '../../bot/kb/cli';
import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { ARTIFACTS, launchBrowser, signInToConsole, WidgetPage } from '../support/browser';
import { SHARED_ENV } from '../support/cluster';
import { draftDir } from '../support/kbDrafts';
import { startKefu, type RunningKefu } from '../support/kefuServer';
import { keepForReadme } from '../support/readmeScreenshots';
import { RedisServer } from '../support/redis';
import { until } from '../support/until';

/**
 * The knowledge desk as a lead uses it, on two instances sharing one Redis: a question that
 * fell back on A is added to the right entry, tried, evaluated and published through A, and
 * B answers it within 2 s; a rollback in History brings the fallback back on both. Every tab is
 * checked with axe-core and photographed at 1280×800 and 360×740.
 */
jest.setTimeout(300_000);

const AXE = require.resolve('axe-core/axe.min.js');
const SHOTS = path.join(ARTIFACTS, 'knowledge-desk');
const WIDE = { width: 1280, height: 800 };
const NARROW = { width: 360, height: 740 };
/** Falls back on the seed files; its nearest entry is the one it means. */
const QUESTION = '那个六位数一直不发过来';
const ENTRY = 'sms-code-not-received';
const FALLBACK = '暂时答不上来';

let redis: RedisServer;
let a: RunningKefu;
let b: RunningKefu;
let browser: Browser;

beforeAll(async () => {
  redis = await RedisServer.start();
  // An hour between safety-net checks: only the publication notice can make B switch in time.
  const env = { ...SHARED_ENV, REDIS_URL: redis.url, KB_VERSION_CHECK_S: '3600' };
  // Version 1 is the seed files, so that there is an older version to roll back to.
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    expect(await main(['publish', draftDir(), '--by', 'seed', '--message', '初始版本'], env)).toBe(0);
  } finally {
    log.mockRestore();
  }
  a = await startKefu(env);
  b = await startKefu(env);
  browser = await launchBrowser();
  fs.mkdirSync(SHOTS, { recursive: true });
  // Both instances have built the published version before the test starts to count time.
  for (const kefu of [a, b]) await until(async () => (await answerOn(kefu, '你好')).length > 0, 60_000);
});
afterAll(async () => {
  await browser?.close();
  await a?.stop();
  await b?.stop();
  await redis?.destroy();
});

const answerOn = async (kefu: RunningKefu, text: string) => (await kefu.channel.ask(`desk-${Math.random()}`, text)).map((reply) => reply.text ?? '').join('\n');

async function axeFindings(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.addScriptTag({ path: AXE });
  return page.evaluate<string[]>(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ': ' + v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(', ')))`);
}

/** The desk at `url`, signed in through its own sign-in form. bypassCSP only where axe is injected (an inline script). */
async function openDesk(url: string, [id, password]: readonly [string, string], bypassCSP: boolean): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: WIDE, locale: 'zh-CN', bypassCSP });
  const page = await context.newPage();
  await page.goto(`${url}/knowledge`);
  await page.locator('#agent-id').fill(id);
  await page.locator('#agent-password').fill(password);
  await page.locator('#sign-in-form button[type=submit]').click();
  await page.locator('#agent-name').filter({ hasText: /\S/ }).waitFor();
  return { context, page };
}

/** axe findings and a screenshot of the page as it is now, at both sizes (README keeps them). */
async function checkAndShoot(page: Page, label: string, findings: Record<string, string[]>): Promise<void> {
  for (const viewport of [WIDE, NARROW]) {
    await page.setViewportSize(viewport);
    findings[`${label} ${viewport.width}`] = await axeFindings(page);
    const file = path.join(SHOTS, `${label}-${viewport.width}.png`);
    await page.screenshot({ path: file });
    keepForReadme(file, `knowledge-desk-${label}-${viewport.width}`);
  }
  await page.setViewportSize(WIDE);
}

test('a lead turns a question that fell back on A into an answer served by B within 2 s, and a rollback brings the fallback back on both', async () => {
  const user = await WidgetPage.open(browser, a.url, 'knowledge-desk-user');
  const before = await user.say(QUESTION);
  // Generous: the widget's first turn on a busy machine (Direct Line connecting) can be slow.
  await user.waitForBot(FALLBACK, before, 60_000);
  const { context, page } = await openDesk(a.url, DEMO_AGENTS.lin, true);
  const findings: Record<string, string[]> = {};
  const closeLater: (() => Promise<void>)[] = [];
  try {

    // Unanswered: the question, masked and grouped, with the suggested entry one button away.
    await page.locator('[data-tab="unanswered"]').click();
    const group = page.locator('[data-group]', { hasText: QUESTION });
    await group.waitFor();
    await checkAndShoot(page, 'unanswered', findings);
    await group.locator(`[data-add-to="${ENTRY}"]`).first().click();
    await page.locator('[role=status]', { hasText: '已加到「收不到短信验证码怎么办？」的草稿' }).waitFor();
    await expect(page.locator('[data-group]', { hasText: QUESTION }).count()).resolves.toBe(0);

    // Entries: the wording is now a phrasing of the entry, in the draft.
    await page.locator('[data-tab="entries"]').click();
    await page.locator('input[name=entry-search]').fill(ENTRY);
    await page.locator(`[data-entry="${ENTRY}"]`).click();
    await expect(page.locator('textarea[name=alternates]').inputValue()).resolves.toContain(QUESTION);
    await expect(page.locator(`[data-entry="${ENTRY}"]`).textContent()).resolves.toContain('已修改');
    await checkAndShoot(page, 'entries', findings);

    // Try: the draft answers it, the published version still falls back.
    await page.locator('[data-tab="try"]').click();
    await page.locator('textarea[name=try-text]').fill(QUESTION);
    await page.locator('.try-form button[type=submit]').click();
    await page.locator('[data-try="draft"]', { hasText: ENTRY }).waitFor();
    await expect(page.locator('[data-try="draft"] [data-decision]').getAttribute('data-decision')).resolves.toBe('answer');
    await expect(page.locator('[data-try="published"] [data-decision]').textContent()).resolves.toBe('答不上来');
    await checkAndShoot(page, 'try', findings);

    const { context: deskOnBContext, page: deskOnB } = await openDesk(b.url, DEMO_AGENTS.lin, false);
    closeLater.push(() => deskOnBContext.close());
    // Publish: the evaluation before/after per dev set, then the message and publish.
    await page.locator('[data-tab="publish"]').click();
    await page.locator('[data-evaluate]').click();
    await page.locator('[data-evaluation] table').first().waitFor({ timeout: 120_000 });
    await page.locator('[role=status]', { hasText: '评估通过' }).waitFor();
    await checkAndShoot(page, 'publish', findings);
    await page.locator('textarea[name=publish-message]').fill('「那个六位数一直不发过来」加为收不到验证码的问法');
    await page.locator('[data-publish]').click();
    await page.locator('[role=status]', { hasText: '已发布 v2' }).waitFor();
    const published = Date.now();
    // A desk left open on B hears of it without a reload (the shared live connection).
    await deskOnB.locator('[data-live-version="2"]', { hasText: '版本 2 已上线：lin' }).waitFor();

    // B, which shares only Redis with A, answers within 2 s (the requirement: no longer).
    await until(async () => !(await answerOn(b, QUESTION)).includes(FALLBACK), 2000);
    console.log(`instance B answered from the new version ${Date.now() - published} ms after the lead published on A`);
    const onB = await WidgetPage.open(browser, b.url, 'knowledge-desk-user-b');
    try {
      await onB.exchange([[QUESTION, '验证码']]);
      expect((await onB.botTexts()).join('\n')).not.toContain(FALLBACK);
    } finally {
      await onB.close();
    }

    // History: version 2 with its change; rolling back to 1 brings the fallback back on both.
    await page.locator('[data-tab="history"]').click();
    const v2 = page.locator('[data-version="2"]');
    await v2.waitFor();
    await v2.locator('button[aria-expanded]').click();
    await v2.locator('.changes', { hasText: QUESTION }).waitFor();
    await checkAndShoot(page, 'history', findings);
    await page.locator('[data-version="1"] [data-rollback]').click();
    await page.locator('[data-version="1"] [data-confirm-rollback]').click();
    await page.locator('[role=status]', { hasText: '已回滚，新版本 v3' }).waitFor();
    await until(async () => (await answerOn(b, QUESTION)).includes(FALLBACK));
    await until(async () => (await answerOn(a, QUESTION)).includes(FALLBACK));
    // A new user on A (one who fell back twice would be offered a person instead).
    const later = await WidgetPage.open(browser, a.url, 'knowledge-desk-user-later');
    try {
      await later.exchange([[QUESTION, FALLBACK]]);
    } finally {
      await later.close();
    }

    await page.locator('[data-tab="insights"]').click();
    // Insights: pictures, each canvas named, with the day's figures (this run's conversations) in words.
    await page.locator('[data-insights] canvas').first().waitFor();
    const names = await Promise.all((await page.locator('[data-insights] canvas').all()).map(async (canvas) => (await canvas.getAttribute('aria-label')) ?? ''));
    expect(names.length).toBeGreaterThanOrEqual(5);
    expect(names.filter((name) => !name.trim())).toEqual([]);
    await checkAndShoot(page, 'insights', findings);

    // The same desk in English, after the language switch.
    await page.locator('.topbar .lang-toggle').click();
    await page.locator('[data-tab="unanswered"]', { hasText: 'Unanswered' }).waitFor();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en-US');
    await page.locator('.topbar .lang-toggle').click();

    expect(Object.entries(findings).filter(([, found]) => found.length > 0)).toEqual([]);
  } finally {
    for (const close of closeLater) await close();
    await user.close();
    await context.close();
  }
});

test('an agent who opens /knowledge is told it is for leads; the page runs under its CSP (no bypass)', async () => {
  const { context, page } = await openDesk(a.url, DEMO_AGENTS.wang, false);
  try {
    await page.locator('[role=alert]', { hasText: '只有组长可以使用知识库工作台' }).waitFor();
    await expect(page.locator('[data-tab]').count()).resolves.toBe(0);
  } finally {
    await context.close();
  }
});

test('hostile answer text typed by a lead stays inert in the preview, and saving it is refused with the reason', async () => {
  const { context, page } = await openDesk(a.url, DEMO_AGENTS.lin, false);
  const hostile = '<img src=x onerror="window.__pwned=1">**注意** [点我](javascript:alert(1))';
  try {
    await page.locator('[data-tab="entries"]').click();
    await page.locator('input[name=entry-search]').fill('password-forgot');
    await page.locator('[data-entry="password-forgot"]').click();
    await page.locator('textarea[name=answer]').fill(hostile);
    const bubble = page.locator('.editor .bubble');
    await bubble.filter({ hasText: '<img src=x onerror="window.__pwned=1">' }).waitFor();
    await expect(bubble.locator('img, a, script').count()).resolves.toBe(0);
    await expect(bubble.locator('strong').textContent()).resolves.toBe('注意');
    await page.locator('[data-save]').click();
    await page.locator('[role=alert] li', { hasText: '回答：含有标记 <img' }).waitFor();
    await expect(page.evaluate('window.__pwned')).resolves.toBeUndefined();
    await page.screenshot({ path: path.join(SHOTS, 'hostile-preview-1280.png') });
  } finally {
    await context.close();
  }
});

test('the preview fills placeholders with what users will read', async () => {
  const { context, page } = await openDesk(a.url, DEMO_AGENTS.lin, false);
  const lead = await AgentClient.signIn(a.url, ...DEMO_AGENTS.lin);
  try {
    const listed = await lead.request('GET', '/api/knowledge/entries?locale=zh-CN');
    const menu = (listed.body as { placeholders: Record<string, string> }).placeholders.menuAccountSecurity;
    expect(menu).toMatch(/账户安全|安全/);
    await page.locator('[data-tab="entries"]').click();
    await page.locator('input[name=entry-search]').fill('password-forgot');
    await page.locator('[data-entry="password-forgot"]').click();
    await page.locator('textarea[name=answer]').fill('请打开 {menuAccountSecurity} 修改。');
    const bubble = page.locator('.editor .bubble');
    await bubble.filter({ hasText: `请打开 ${menu} 修改。` }).waitFor();
    await expect(bubble.textContent()).resolves.not.toContain('{menuAccountSecurity}');
  } finally {
    await context.close();
  }
});

test('two leads save one entry: the second sees the 409 and the text the first saved, and can go on from it', async () => {
  const { context, page } = await openDesk(a.url, DEMO_AGENTS.lin, false);
  const other = await AgentClient.signIn(a.url, ...DEMO_AGENTS.lin);
  const path = '/api/knowledge/entries/zh-CN/account-security-tips';
  try {
    await page.locator('[data-tab="entries"]').click();
    await page.locator('input[name=entry-search]').fill('account-security-tips');
    await page.locator('[data-entry="account-security-tips"]').click();
    await page.locator('textarea[name=alternates]').waitFor();
    // Another lead (another browser) saves the same entry first.
    const read = await other.raw(path);
    const entry = (await read.json()) as { alternates: string[] };
    const saved = await other.raw(path, { method: 'PUT', headers: { 'if-match': read.headers.get('etag') ?? '' }, body: { ...entry, alternates: [...entry.alternates, '账户怎么防盗'] } });
    expect(saved.status).toBe(200);

    await page.locator('textarea[name=alternates]').fill(`${await page.locator('textarea[name=alternates]').inputValue()}\n账号安全设置`);
    await page.locator('[data-save]').click();
    await page.locator('[role=alert]', { hasText: '另一位组长已先保存了这个条目' }).waitFor();
    await page.locator('[data-conflict]', { hasText: '账户怎么防盗' }).waitFor();
    await page.locator('[data-conflict] button').click();
    await expect(page.locator('textarea[name=alternates]').inputValue()).resolves.toContain('账户怎么防盗');
    await page.locator('textarea[name=alternates]').fill(`${await page.locator('textarea[name=alternates]').inputValue()}\n账号安全设置`);
    await page.locator('[data-save]').click();
    await page.locator('[role=status]', { hasText: '已保存到草稿' }).waitFor();
    const now = (await (await other.raw(path)).json()) as { alternates: string[] };
    expect(now.alternates).toEqual(expect.arrayContaining(['账户怎么防盗', '账号安全设置']));
  } finally {
    await context.close();
  }
});

test('the console and the desk share sign-in and words: English chosen on /agent holds on /knowledge, and signing out there brings the one sign-in form', async () => {
  const context = await browser.newContext({ viewport: WIDE, locale: 'zh-CN' });
  const page = await context.newPage();
  try {
    await signInToConsole(page, a.url, DEMO_AGENTS.lin);
    await page.locator('.topbar .lang-toggle').click();
    await page.locator('#sign-out', { hasText: 'Sign out' }).waitFor();
    // Already signed in: the desk opens on the same session, in the language chosen on the console.
    await page.goto(`${a.url}/knowledge`);
    await page.locator('[data-tab="unanswered"]', { hasText: 'Unanswered' }).waitFor();
    await expect(page.locator('#agent-name').textContent()).resolves.toBe('林组长');
    await page.locator('#sign-out').click();
    await page.locator('#sign-in-form h1', { hasText: 'Kefu knowledge desk' }).waitFor();
    await expect(page.locator('#sign-in-form button[type=submit]').textContent()).resolves.toBe('Sign in');
    await page.goto(`${a.url}/agent`);
    await page.locator('#sign-in-form h1', { hasText: 'Kefu agent console' }).waitFor();
  } finally {
    await context.close();
  }
});

test('a draft that drops a dev set is refused with the reasons; "publish anyway" appears only then, and asks once more', async () => {
  const { context, page } = await openDesk(a.url, DEMO_AGENTS.lin, false);
  const other = await AgentClient.signIn(a.url, ...DEMO_AGENTS.lin);
  try {
    // Three entries reworded out of reach (still valid, so the gate, not validation, refuses):
    // right-first on the zh-CN dev set drops.
    for (const [i, id] of ['password-forgot', 'sms-code-not-received', 'unlock-how'].entries()) {
      const path = `/api/knowledge/entries/zh-CN/${id}`;
      const read = await other.raw(path);
      const entry = (await read.json()) as Record<string, unknown>;
      const unreachable = { ...entry, question: `火星基地第${i + 1}号气闸的开放时间`, alternates: [`火星基地第${i + 1}号气闸几点开`] };
      expect((await other.raw(path, { method: 'PUT', headers: { 'if-match': read.headers.get('etag') ?? '' }, body: unreachable })).status).toBe(200);
    }
    await page.locator('[data-tab="publish"]').click();
    await expect(page.locator('[data-publish-anyway]').count()).resolves.toBe(0);
    await page.locator('textarea[name=publish-message]').fill('改写三个条目');
    await page.locator('[data-publish]').click();
    await page.locator('[role=alert]', { hasText: '发布被拒绝' }).waitFor({ timeout: 120_000 });
    // The reason in the lead's language, with the figures.
    await page.locator('[role=alert] li', { hasText: /zh-CN 的首选正确率从 [\d.]+% 降到 [\d.]+%/ }).first().waitFor();
    await page.locator('[data-evaluation] tr.worse').first().waitFor();
    await page.locator('[data-publish-anyway]').click();
    await page.locator('[role=group]', { hasText: '评估未通过，确定仍要发布吗？' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'publish-refused-1280.png') });
    await page.locator('[data-confirm-anyway]').click();
    await page.locator('[role=status]', { hasText: /已发布 v\d+/ }).waitFor({ timeout: 120_000 });
  } finally {
    await context.close();
  }
});
