import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { kefuForTests, type RunningKefu } from './kefuServer';
import { CHROMIUM, requireProgram } from './programs';

/**
 * Real Web Chat in real Chromium: the harness browser tests share. Debian's Chromium,
 * never a downloaded one; flags keep it off the network.
 */
export const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: requireProgram(CHROMIUM),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * A bot with its embedded defaults and one Chromium for a test file: started before its tests,
 * stopped after them. Read `kefu` and `browser` inside tests (they exist once beforeAll ran).
 */
export function kefuAndBrowser(): { readonly kefu: RunningKefu; readonly browser: Browser } {
  const bot = kefuForTests();
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get kefu() {
      return bot.kefu;
    },
    get browser() {
      if (!browser) throw new Error('kefuAndBrowser: used before beforeAll ran');
      return browser;
    },
  };
}

/** A screenshot of the page as it is now, in test-artifacts/<dir>/<name>.png; returns the file. */
export async function shoot(page: Page, dir: string, name: string): Promise<string> {
  const folder = path.join(ARTIFACTS, dir);
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

const BOT_BUBBLES = '.webchat__stacked-layout:not(.webchat__stacked-layout--from-user) .webchat__bubble__content';

/** The little of the page's DOM that code run inside the page uses (no DOM lib in this project). */
interface PageGlobals {
  document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> };
}

/** One user's chat widget. */
export class WidgetPage {
  private shots = 0;

  constructor(
    readonly page: Page,
    private readonly name: string,
  ) {}

  static async open(browser: Browser, url: string, name: string, viewport = { width: 480, height: 800 }): Promise<WidgetPage> {
    const context = await browser.newContext({ viewport, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(url);
    return new WidgetPage(page, name);
  }

  /** Texts of the bot's bubbles, oldest first. */
  botTexts(): Promise<string[]> {
    return this.page.$$eval(BOT_BUBBLES, (els) => els.map((e) => (e.textContent ?? '').trim()));
  }

  /** Waits for a bot bubble containing `text`, beyond the first `after` bubbles. */
  async waitForBot(text: string, after = 0, timeout = 15000): Promise<void> {
    await this.page.waitForFunction(
      ([selector, wanted, skip]) =>
        Array.from((globalThis as unknown as PageGlobals).document.querySelectorAll(selector))
          .slice(skip)
          .some((e) => (e.textContent ?? '').includes(wanted)),
      [BOT_BUBBLES, text, after] as [string, string, number],
      { timeout },
    );
  }

  /**
   * A conversation as a script: each line typed (or, for a code, read when its turn comes)
   * and the bot's answer to it awaited. Returns the bubble count before the last line's answer.
   */
  async exchange(lines: readonly [string | (() => Promise<string>), string][]): Promise<number> {
    let before = 0;
    for (const [typed, answer] of lines) {
      before = await this.say(typeof typed === 'string' ? typed : await typed());
      await this.waitForBot(answer, before);
    }
    return before;
  }

  async say(text: string): Promise<number> {
    const before = (await this.botTexts()).length;
    const input = this.page.locator('[data-id="webchat-sendbox-input"]');
    await input.fill(text);
    await input.press('Enter');
    return before;
  }

  async click(title: string): Promise<number> {
    const before = (await this.botTexts()).length;
    await this.page.locator('.webchat__suggested-action', { hasText: title }).first().click();
    return before;
  }

  suggestions(): Promise<string[]> {
    return this.page.$$eval('.webchat__suggested-action', (els) => els.map((e) => (e.textContent ?? '').trim()));
  }

  /** Keeps a screenshot in test-artifacts/<name>/ for people to look at; its path. */
  async screenshot(label: string): Promise<string> {
    const dir = path.join(ARTIFACTS, this.name);
    fs.mkdirSync(dir, { recursive: true });
    this.shots++;
    const file = path.join(dir, `${String(this.shots).padStart(2, '0')}-${label}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  async close(): Promise<void> {
    await this.page.context().close();
  }
}

/** Signs in to the agent console at `url` as a person does, and waits for the console to name them. */
export async function signInToConsole(page: Page, url: string, [id, password]: readonly [string, string]): Promise<void> {
  await page.goto(`${url}/agent`);
  await page.locator('#agent-id').fill(id);
  await page.locator('#agent-password').fill(password);
  await page.locator('#sign-in-form button[type=submit]').click();
  await page.locator('#agent-name').filter({ hasText: /\S/ }).waitFor();
}
