import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { DEFAULT_THRESHOLDS } from '../../knowledge/decide';
import { checkKnowledgeBase, indexEntries } from '../../knowledge/loader';
import { createRouter } from '../../knowledge/route';
import type { KbEntry } from '../../knowledge/schema';
import { DEFAULT_SEARCH_OPTIONS, KnowledgeSearch } from '../../knowledge/search';
import { DEMO_AGENTS } from '../support/agentClient';
import { ARTIFACTS, launchBrowser, WidgetPage } from '../support/browser';
import { startKefu, type RunningKefu } from '../support/kefuServer';
import { KB_DIR } from '../support/knowledge';

/**
 * Answer text in Chromium, in the widget and in the agent console: an answer that passes
 * `kb check` keeps its emphasis and its link to an allowed host; an answer that never went
 * through the check (a store written by hand) still shows its markup as text, and its images
 * and other links as their words. Screenshots go to test-artifacts/answer-safety/.
 */
jest.setTimeout(120_000);

const HOSTS = 'help.kefu.example';
const PASSING = '**先确认**：余额 < 500 元的星光卡可直接兑换，详见[帮助中心](https://help.kefu.example/stars)。';
const HOSTILE =
  '月亮卡年费<img src=x onerror=window.kefuPwned=1>可退，请点[这里](javascript:window.kefuPwned=2)或[旧帮助](http://evil.example/x)，' +
  '步骤如图 ![步骤截图](https://tracker.evil.example/p.png) <script>window.kefuPwned=3</script>';

const entry = (id: string, question: string, alternates: string[], answer: string): KbEntry => ({ id, kind: 'faq', locale: 'zh-CN', question, alternates, answer, tags: [] });

let kefu: RunningKefu;
let browser: Browser;

beforeAll(async () => {
  const { entries, problems } = checkKnowledgeBase(KB_DIR);
  expect(problems).toEqual([]);
  // The hostile answer is put in as a hand-written store would, past the check: what the renderers must survive.
  const all = [...entries, entry('star-card-points', '星光卡积分怎么兑换', ['星光卡积分兑换', '星光卡的积分能换什么'], PASSING), entry('moon-card-fee', '月亮卡年费能退吗', ['月亮卡年费退款', '月亮卡年费怎么退'], HOSTILE)];
  const kb = indexEntries(all);
  const router = createRouter(kb, new KnowledgeSearch(kb.entries, DEFAULT_SEARCH_OPTIONS), DEFAULT_THRESHOLDS);
  kefu = await startKefu({ KB_LINK_HOSTS: HOSTS }, { kb, router });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await kefu?.stop();
});

const BUBBLE = '.webchat__stacked-layout:not(.webchat__stacked-layout--from-user) .webchat__bubble__content';

/** The little of the DOM this test reads (the tests compile without the DOM's types). */
interface Node {
  textContent: string | null;
  attributes: ArrayLike<{ name: string }>;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<Node>;
}

/** What the page made of a piece of text: its links, images and scripts, and whether any script ran. */
function madeOf(where: Locator) {
  return where.evaluate((element) => {
    const root = element as unknown as Node;
    const all = (selector: string) => Array.from(root.querySelectorAll(selector));
    return {
      // Web Chat puts zero-width spaces around a link's words.
      text: (root.textContent ?? '').replace(/\u200b/g, ''),
      links: all('a').map((a) => a.getAttribute('href')),
      // Web Chat's own "opens in a new window" icon is inline (data:); any other picture was fetched from somewhere.
      images: all('img').filter((img) => !(img.getAttribute('src') ?? '').startsWith('data:')).length,
      scripts: all('script, iframe, object, embed').length,
      handlers: all('*').filter((el) => Array.from(el.attributes).some((a) => /^on/i.test(a.name))).length,
      ran: (globalThis as unknown as { kefuPwned?: number }).kefuPwned ?? 0,
    };
  });
}

test('the widget and the agent console show answer text inert: markup as text, only https links to allowed hosts', async () => {
  const widget = await WidgetPage.open(browser, `${kefu.url}/`, 'answer-safety');
  const desk = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  try {
    await widget.waitForBot('您好');
    let before = await widget.say('星光卡积分怎么兑换');
    await widget.waitForBot('可直接兑换', before);
    const passing = widget.page.locator(BUBBLE).nth(before);
    expect(await madeOf(passing)).toEqual(
      expect.objectContaining({ links: ['https://help.kefu.example/stars'], images: 0, scripts: 0, handlers: 0, ran: 0 }),
    );
    expect((await madeOf(passing)).text).toContain('先确认：余额 < 500 元的星光卡可直接兑换，详见帮助中心。');
    expect(await passing.locator('strong').textContent()).toBe('先确认');

    before = await widget.say('月亮卡年费能退吗');
    await widget.waitForBot('月亮卡年费', before);
    const hostile = widget.page.locator(BUBBLE).nth(before);
    const shown = await madeOf(hostile);
    expect(shown).toEqual(expect.objectContaining({ links: [], images: 0, scripts: 0, handlers: 0, ran: 0 }));
    expect(shown.text).toContain('月亮卡年费<img src=x onerror=window.kefuPwned=1>可退，请点这里或旧帮助，步骤如图 步骤截图 <script>window.kefuPwned=3</script>');
    await widget.screenshot('answers-in-the-widget');

    // The agent reads the same answers in the chat's transcript.
    const agent = await desk.newPage();
    await agent.goto(`${kefu.url}/agent`);
    await agent.locator('#agent-id').fill(DEMO_AGENTS.wang[0]);
    await agent.locator('#agent-password').fill(DEMO_AGENTS.wang[1]);
    await agent.locator('#sign-in-form button[type=submit]').click();
    await agent.locator('#agent-name').filter({ hasText: /\S/ }).waitFor();
    before = await widget.say('转人工');
    await widget.waitForBot('排在第', before, 30_000);
    await agent.locator('#queue li').first().click();
    await agent.locator('#transcript li.bot', { hasText: '月亮卡年费' }).waitFor({ timeout: 30_000 });
    const seen = await madeOf(agent.locator('#transcript'));
    expect(seen).toEqual(expect.objectContaining({ links: [], images: 0, scripts: 0, handlers: 0, ran: 0 }));
    expect(seen.text).toContain('月亮卡年费<img src=x onerror=window.kefuPwned=1>可退');
    expect(seen.text).toContain('<script>window.kefuPwned=3</script>');
    const dir = path.join(ARTIFACTS, 'answer-safety');
    fs.mkdirSync(dir, { recursive: true });
    await agent.screenshot({ path: path.join(dir, 'answers-in-the-console.png') });
  } finally {
    await desk.close();
    await widget.close();
  }
});
