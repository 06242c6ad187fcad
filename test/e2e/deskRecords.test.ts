import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { insightsSchema, type Insights } from '../../bot/desk/insights';
import { main } from '../../bot/kb/cli';
import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { ARTIFACTS, launchBrowser } from '../support/browser';
import { FakeChannel } from '../support/channel';
import { startInstance, type Instance } from '../support/cluster';
import { draftDir, WITHDRAW_ANSWER, WITHDRAW_ENTRY, WITHDRAW_QUESTION } from '../support/kbDrafts';
import { PostgresServer, queryOnce } from '../support/postgres';
import { RedisServer } from '../support/redis';
import { until } from '../support/until';

/**
 * With DATABASE_URL the knowledge desk's records live in PostgreSQL: two instances on one
 * Redis and one database; what users did on A (a question that fell back, conversations) is
 * what the lead sees on B, versions published with `kb publish` reach both by the database's
 * notice, and with the database away users are still answered and a publication fails in
 * one clear sentence.
 */
jest.setTimeout(300_000);

const SHOTS = path.join(ARTIFACTS, 'desk-records');
/** Falls back on the seed files. */
const QUESTION = '那个六位数一直不发过来';
const FALLBACK = '暂时答不上来';

let redis: RedisServer;
let postgres: PostgresServer;
let admin: Redis;
let env: Record<string, string>;
let a: Instance;
let b: Instance;
let onA: FakeChannel;
let onB: FakeChannel;
let browser: Browser;

/** `kb …` as a lead runs it, its output kept. */
async function kb(args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void out.push(parts.join(' ')));
  try {
    return { code: await main(args, env), out: out.join('\n') };
  } finally {
    log.mockRestore();
  }
}

beforeAll(async () => {
  [redis, postgres] = await Promise.all([RedisServer.start(), PostgresServer.start()]);
  admin = new Redis(redis.url);
  // An hour between safety-net checks: only the database's notice can make an instance switch in time.
  env = { REDIS_URL: redis.url, DATABASE_URL: postgres.url, KB_VERSION_CHECK_S: '3600', REDIS_COMMAND_TIMEOUT_MS: '10000' };
  // The CLI migrates an empty database, then publishes version 1 (the seed files) into it.
  expect((await kb(['publish', draftDir(), '--by', 'seed', '--message', '初始版本'])).code).toBe(0);
  [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
  onA = new FakeChannel(() => a.url);
  onB = new FakeChannel(() => b.url);
  await Promise.all([onA.start(), onB.start()]);
  browser = await launchBrowser();
  fs.mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await onA?.stop();
  await onB?.stop();
  await a?.stop();
  await b?.stop();
  admin?.disconnect();
  await redis?.destroy();
  await postgres?.destroy();
});

const answerOn = async (channel: FakeChannel, text: string) => (await channel.ask(`rec-${Math.random()}`, text)).map((reply) => reply.text ?? '').join('\n');
const rows = (sql: string) => queryOnce(postgres.url, sql);

/** The desk at `url`, signed in as the lead through its own form. */
async function openDesk(url: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${url}/knowledge`);
  const [id, password] = DEMO_AGENTS.lin;
  await page.locator('#agent-id').fill(id);
  await page.locator('#agent-password').fill(password);
  await page.locator('#sign-in-form button[type=submit]').click();
  await page.locator('#agent-name').filter({ hasText: /\S/ }).waitFor();
  return { context, page };
}

async function insightsOn(url: string): Promise<Insights> {
  const lin = await AgentClient.signIn(url, ...DEMO_AGENTS.lin);
  const { status, body } = await lin.get('/api/knowledge/insights?days=30');
  expect(status).toBe(200);
  return insightsSchema.parse(body);
}

test('what users did on A is what the lead sees on B: the question that fell back in Unanswered, the day counted in Insights', async () => {
  expect(await answerOn(onA, QUESTION)).toContain(FALLBACK);
  expect(await answerOn(onA, '验证码收不到怎么办')).not.toContain(FALLBACK);
  // Kept in PostgreSQL, the conversation hashed; nothing of it in Redis.
  await until(async () => (await rows('SELECT 1 FROM kb_signals')).length === 1);
  const [signal] = await rows("SELECT body->>'question' AS question, conversation FROM kb_signals");
  expect(signal?.question).toBe(QUESTION);
  expect(String(signal?.conversation)).not.toContain('rec-');
  expect(await admin.keys('kefu:{kefu}:kb-signals')).toEqual([]);
  expect(await admin.keys('kefu:{kefu}:insights:*')).toEqual([]);
  await until(async () => (await insightsOn(b.url)).days.at(-1)?.conversations === 2);
  expect((await insightsOn(b.url)).days.at(-1)).toMatchObject({ conversations: 2, fallbacks: 1 });

  const { context, page } = await openDesk(b.url);
  try {
    await page.locator('[data-tab="unanswered"]').click();
    await page.locator('[data-group]', { hasText: QUESTION }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'unanswered-on-b-1280.png') });
    await page.locator('[data-tab="insights"]').click();
    await page.locator('.insights-top-list .insights-wording', { hasText: QUESTION }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'insights-on-b-1280.png'), fullPage: true });
  } finally {
    await context.close();
  }
  const unanswered = await kb(['unanswered', '--json']);
  expect(unanswered.code).toBe(0);
  expect(unanswered.out).toContain(QUESTION);
});

test('a version published with kb publish is kept in PostgreSQL and served by both instances, told by the database; History lists it', async () => {
  const published = Date.now();
  const result = await kb(['publish', draftDir(WITHDRAW_ENTRY), '--by', 'lin', '--message', '新增提现到账时间']);
  expect(result.out).toContain('Published version 2 (+1 -0 ~0)');
  await until(async () => (await answerOn(onA, WITHDRAW_QUESTION)).includes(WITHDRAW_ANSWER));
  await until(async () => (await answerOn(onB, WITHDRAW_QUESTION)).includes(WITHDRAW_ANSWER));
  console.log(`both instances answered from version 2 ${Date.now() - published} ms after it was published`);
  expect(await rows('SELECT number FROM kb_versions ORDER BY number')).toEqual([{ number: 1 }, { number: 2 }]);
  expect(await admin.keys('kefu:{kefu}:kb:*')).toEqual([]);
  expect(JSON.parse((await kb(['versions', '--json'])).out).map((v: { number: number }) => v.number)).toEqual([2, 1]);

  const { context, page } = await openDesk(a.url);
  try {
    await page.locator('[data-tab="history"]').click();
    await page.locator('[data-version="2"]', { hasText: '新增提现到账时间' }).waitFor();
    expect(await page.locator('[data-version]').count()).toBe(2);
    await page.screenshot({ path: path.join(SHOTS, 'history-on-a-1280.png') });
  } finally {
    await context.close();
  }
});

test('with PostgreSQL away users are answered and kb publish says why it published nothing; back, a publication reaches both again', async () => {
  await postgres.stop();
  try {
    expect(await answerOn(onA, '验证码收不到怎么办')).not.toContain(FALLBACK);
    expect(await answerOn(onB, `${QUESTION}吗`)).toContain(FALLBACK);
    const refused = await kb(['publish', draftDir(), '--by', 'lin', '--message', '撤回提现条目']).catch((error: unknown) => error);
    expect(String(refused)).toMatch(/^DatabaseUnreachableError: PostgreSQL is not reachable \(DATABASE_URL\): nothing was published/);
    const { context, page } = await openDesk(a.url);
    try {
      await page.locator('[data-tab="history"]').click();
      // Said in the lead's language, and nothing left pretending to load.
      await page.locator('.note.error[role=alert]', { hasText: '服务暂时不可用：数据库或共享存储没有响应，请稍后再试。' }).waitFor();
      expect(await page.getByText('正在加载').count()).toBe(0);
      await page.screenshot({ path: path.join(SHOTS, 'history-database-away-1280.png') });
    } finally {
      await context.close();
    }
  } finally {
    await postgres.start();
  }
  // The fallback on B waited in the outbox and is kept now.
  await until(async () => (await rows(`SELECT 1 FROM kb_signals WHERE body->>'question' = '${QUESTION}吗'`)).length === 1, 60_000);
  expect((await kb(['publish', draftDir(), '--by', 'lin', '--message', '撤回提现条目'])).out).toContain('Published version 3 (+0 -1 ~0)');
  // Each instance listens again on its own connection and looks once at what it missed.
  await until(async () => !(await answerOn(onA, WITHDRAW_QUESTION)).includes(WITHDRAW_ANSWER), 60_000);
  await until(async () => !(await answerOn(onB, WITHDRAW_QUESTION)).includes(WITHDRAW_ANSWER), 60_000);
});
