import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { startKefu, type RunningKefu } from '../support/kefuServer';
import { PostgresServer, queryOnce } from '../support/postgres';
import { until } from '../support/until';

/**
 * The audit log as a compliance reviewer reads it in PostgreSQL: a lead's draft edit,
 * publication and rollback each leave a row naming the lead and the entry or version —
 * and nothing of the entry's text; a try, which changes nothing, leaves none.
 */
jest.setTimeout(180_000);

let pg: PostgresServer;
let kefu: RunningKefu;

beforeAll(async () => {
  pg = await PostgresServer.start();
  kefu = await startKefu({ DATABASE_URL: pg.url });
});
afterAll(async () => {
  await kefu?.stop();
  await pg?.destroy();
});

const ENTRY = { id: 'invoice-how', locale: 'zh-CN', question: '怎么开发票？', alternates: ['开票在哪里', '我要开发票'], answer: '在“我的—账单”里选择订单，点“开具发票”。' };

test("a lead's draft save, publication and rollback are audited by id, never by content", async () => {
  const lin = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.lin);
  expect((await lin.post('/api/knowledge/entries', ENTRY)).status).toBe(201);
  expect((await lin.post('/api/knowledge/try', { text: '开票在哪里', locale: 'zh-CN' })).status).toBe(200);
  expect((await lin.post('/api/knowledge/publish', { message: '新增：开发票' })).status).toBe(201);
  expect((await lin.post('/api/knowledge/versions/1/rollback', { message: '撤回' })).status).toBe(201);
  const audit = async () => queryOnce(pg.url, "SELECT actor, action, target, staff_actions::text AS whole FROM staff_actions WHERE action LIKE 'kb.%' ORDER BY at, id");
  await until(async () => (await audit()).length >= 3);
  const rows = await audit();
  expect(rows.map(({ actor, action, target }) => ({ actor, action, target }))).toEqual([
    { actor: 'lin', action: 'kb.draft.save', target: 'zh-CN/invoice-how' },
    { actor: 'lin', action: 'kb.publish', target: 'v1' },
    { actor: 'lin', action: 'kb.rollback', target: 'v2' },
  ]);
  for (const row of rows) expect(row.whole).not.toMatch(/发票|开票|撤回/);
});
