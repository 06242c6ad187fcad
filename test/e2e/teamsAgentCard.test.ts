import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { handoffCard } from '../../bot/handoff/teamsAgents/card';
import type { Handoff, TranscriptEntry } from '../../domain/handoff';
import { ARTIFACTS, launchBrowser } from '../support/browser';
import { keepForReadme } from '../support/readmeScreenshots';

/**
 * The handoff card as an Adaptive Cards renderer draws it: the one Web Chat bundles
 * (adaptivecards 3, which knows Action.Execute), in Debian's Chromium, from a local file.
 * The picture goes to test-artifacts/, and to docs/screenshots/teams-agent-card.png for
 * README with KEFU_UPDATE_SCREENSHOTS=1.
 */

/** Web Chat's own copy (adaptivecards 3); the top-level 1.x some other package pulls in predates Action.Execute. */
const RENDERER = ['node_modules/botframework-webchat/node_modules/adaptivecards', 'node_modules/adaptivecards']
  .map((dir) => path.resolve(__dirname, '../..', dir))
  .find((dir) => fs.existsSync(dir) && Number((JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version.split('.')[0]) >= 3);

const at = Date.parse('2026-11-30T09:12:00+08:00');
const handoff: Handoff = {
  id: '5f0c2e9a-7d41-4c1b-9a57-2b1f3c8d9e10',
  conversation: 'directline:demo',
  channel: 'directline',
  locale: 'zh-CN',
  status: 'queued',
  priority: 'high',
  context: { reason: 'security_alert', trail: { flow: 'unlock', stage: 'securityLocked', maskedPhone: '138****0002', verified: true }, misses: ['冻结期间的自动扣款会不会失败'] },
  createdAt: at,
};
const before: TranscriptEntry[] = [
  { at: at - 90_000, from: 'user', text: '我的账户被锁了，帮我解锁' },
  { at: at - 80_000, from: 'bot', text: '好的，请输入您绑定的手机号。' },
  { at: at - 60_000, from: 'user', text: '138****0002' },
  { at: at - 30_000, from: 'bot', text: '您的账户因安全预警被锁定，需要人工核实身份，正在为您转接人工客服。' },
];

/** The page: the renderer draws the card JSON into #card; problems are written into #errors. */
const RENDER = `
  const card = new AdaptiveCards.AdaptiveCard();
  card.hostConfig = new AdaptiveCards.HostConfig({
    fontFamily: "'Segoe UI', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif",
    containerStyles: { default: { backgroundColor: '#FFFFFF', foregroundColors: { default: { default: '#242424', subtle: '#616161' }, good: { default: '#0E7A0B' }, attention: { default: '#C4314B' } } } },
    actions: { actionsOrientation: 'horizontal', buttonSpacing: 8 },
  });
  const errors = [];
  card.parse(JSON.parse(document.getElementById('data').textContent), new AdaptiveCards.SerializationContext());
  const rendered = card.render();
  document.getElementById('card').appendChild(rendered);
  for (const e of card.validateProperties().failures) for (const m of e.errors) errors.push(m.message);
  document.getElementById('errors').textContent = errors.join('\\n');
`;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});

test('the queued card renders with its facts, its lines and both buttons, and validates', async () => {
  const page = await browser.newPage({ viewport: { width: 640, height: 900 }, deviceScaleFactor: 2, locale: 'zh-CN' });
  const json = JSON.stringify(handoffCard(handoff, before)).replace(/</g, '\\u003c');
  await page.setContent(
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
      body { margin: 0; padding: 24px; background: #F5F5F5; font-family: 'Segoe UI', 'Noto Sans CJK SC', sans-serif; }
      #post { width: 560px; background: #fff; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.15); padding: 12px 16px; }
      #who { font-size: 13px; color: #616161; margin-bottom: 8px; } #who b { color: #242424; }
      .ac-pushButton { border: 1px solid #D1D1D1; background: #fff; border-radius: 4px; padding: 6px 12px; font-weight: 600; cursor: pointer; }
    </style></head><body><div id="post"><div id="who"><b>Kefu</b> · 客服频道</div><div id="card"></div></div><pre id="errors"></pre>
    <script type="application/json" id="data">${json}</script></body></html>`,
  );
  if (!RENDERER) throw new Error('adaptivecards 3 (a dependency of botframework-webchat) is not installed');
  await page.addScriptTag({ path: path.join(RENDERER, 'dist', 'adaptivecards.min.js') });
  await page.addScriptTag({ content: RENDER });
  await page.waitForSelector('#card .ac-adaptiveCard');
  expect(await page.textContent('#errors')).toBe('');
  const shown = (await page.textContent('#card')) ?? '';
  for (const text of ['安全预警锁定（需人工核实）', '排队中，等待客服接入', '高', '账户解锁：已验证手机号，账户因安全预警锁定', '138****0002', '冻结期间的自动扣款会不会失败', '用户：我的账户被锁了，帮我解锁']) {
    expect(shown).toContain(text);
  }
  const buttons = await page.$$eval('#card button', (elements) => elements.map((e) => e.textContent));
  expect(buttons).toEqual(['接入 Claim', '查看全文 Full transcript']);

  const post = page.locator('#post');
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await post.screenshot({ path: path.join(ARTIFACTS, 'teams-agent-card.png') });
  keepForReadme(path.join(ARTIFACTS, 'teams-agent-card.png'), 'teams-agent-card');
  await page.close();
});
