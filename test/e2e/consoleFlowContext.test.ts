import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { ARTIFACTS, launchBrowser, signInToConsole } from '../support/browser';
import { DEMO_AGENTS } from '../support/agentClient';
import { SHARED_ENV } from '../support/cluster';
import { latestCode, startKefu, type RunningKefu } from '../support/kefuServer';
import { RedisServer } from '../support/redis';
import { until } from '../support/until';

/**
 * A user finishes the unlock flow (number verified by SMS code, account unlocked), then asks
 * for a person: the agent's console still tells which flow it was, that the number was
 * verified, the masked number and that it was completed. Over the embedded Direct Line, on
 * Redis, with the server restarted between the flow and the request, so the flow's result
 * lives in the stored conversation, not in a process.
 */
jest.setTimeout(180_000);

let redis: RedisServer;
let browser: Browser;
const running: RunningKefu[] = [];

beforeAll(async () => {
  redis = await RedisServer.start();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  for (const kefu of running) await kefu.stop();
  await redis?.destroy();
});

async function instance(): Promise<RunningKefu> {
  const kefu = await startKefu({ ...SHARED_ENV, REDIS_URL: redis.url });
  running.push(kefu);
  return kefu;
}

/** A Direct Line user, as the widget talks to the server (token, then activities). */
async function directLineUser(url: string) {
  const grant = (await (await fetch(`${url}/api/webchat/token`, { method: 'POST' })).json()) as { token: string; conversationId: string };
  const auth = { authorization: `Bearer ${grant.token}`, 'content-type': 'application/json' };
  expect((await fetch(`${url}/v3/directline/conversations`, { method: 'POST', headers: auth })).status).toBe(201);
  return {
    async say(at: string, text: string, expected: string): Promise<void> {
      const base = `${at}/v3/directline/conversations/${grant.conversationId}/activities`;
      const posted = await fetch(base, { method: 'POST', headers: auth, body: JSON.stringify({ type: 'message', from: { id: 'dl_user', role: 'user' }, text }) });
      expect(posted.status).toBe(200);
      let said: string[] = [];
      await until(async () => {
        const { activities } = (await (await fetch(base, { headers: auth })).json()) as { activities: { text?: string; from: { role?: string } }[] };
        said = activities.filter((a) => a.from.role !== 'user').map((a) => a.text ?? '');
        return said.some((line) => line.includes(expected));
      }).catch((error: Error) => {
        throw new Error(`${error.message}: "${expected}" not among ${JSON.stringify(said)}`);
      });
    },
  };
}

interface DefinitionList {
  querySelectorAll(selector: 'dt'): ArrayLike<{ textContent: string | null; nextElementSibling: { textContent: string | null } | null }>;
}

test('a user who verified their number and finished unlocking, then asks for a person: the console says which flow, verified, the number, completed', async () => {
  const first = await instance();
  const user = await directLineUser(first.url);
  await user.say(first.url, '帮我解锁', '手机号');
  await user.say(first.url, '13800000003', '请输入 6 位验证码');
  await user.say(first.url, await latestCode(first.url, '13800000003'), '账户已解锁');
  await first.stop();
  running.splice(running.indexOf(first), 1);

  // Another process on the same Redis takes the conversation from here.
  const second = await instance();
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 }, locale: 'zh-CN' });
  try {
    const agent = await context.newPage();
    await signInToConsole(agent, second.url, DEMO_AGENTS.wang);

    await user.say(second.url, '转人工', '排在第 1 位');
    const queued = agent.locator('#queue li', { hasText: '用户要求转人工' });
    await queued.waitFor();
    await queued.click();
    await agent.locator('#context dd', { hasText: '用户要求转人工' }).waitFor();
    const shown = await agent.locator('#context').evaluate((list) => {
      const pairs: Record<string, string> = {};
      for (const term of Array.from((list as unknown as DefinitionList).querySelectorAll('dt'))) pairs[term.textContent ?? ''] = term.nextElementSibling?.textContent ?? '';
      return pairs;
    });
    expect(shown).toEqual(expect.objectContaining({ 所在流程: '账户解锁 · 已办理完成', 号码验证: '已通过短信验证码验证', 手机号: '138****0003' }));
    const dir = path.join(ARTIFACTS, 'agent-console');
    fs.mkdirSync(dir, { recursive: true });
    await agent.screenshot({ path: path.join(dir, 'after-finished-flow.png') });

    await agent.locator('.topbar .lang-toggle').click();
    await agent.locator('#context dt', { hasText: 'Flow' }).waitFor();
    expect(await agent.locator('#context dt:text-is("Flow") + dd').textContent()).toBe('Account unlock · Completed');
  } finally {
    await context.close();
  }
});
