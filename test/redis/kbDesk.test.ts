import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { SHARED_ENV } from '../support/cluster';
import { startKefu, type RunningKefu } from '../support/kefuServer';
import { RedisServer } from '../support/redis';
import { until } from '../support/until';
import { agentsFileWithTwoLeads, SECOND_LEAD, type EntryJson } from '../desk/deskSupport';

/**
 * Issue 28, item 2, on two instances sharing one Redis: the draft is one, so two leads saving
 * the same entry through different instances cannot both win — at the same moment or one
 * after the other — and a publication through one is served by the other.
 */
jest.setTimeout(120_000);

let redis: RedisServer;
let a: RunningKefu;
let b: RunningKefu;
let agents: Awaited<ReturnType<typeof agentsFileWithTwoLeads>>;
beforeAll(async () => {
  redis = await RedisServer.start();
  agents = await agentsFileWithTwoLeads();
  const env = { ...SHARED_ENV, REDIS_URL: redis.url, AGENTS_FILE: agents.file };
  a = await startKefu(env);
  b = await startKefu(env);
});
afterAll(async () => {
  await b?.stop();
  await a?.stop();
  await redis?.destroy();
  agents?.remove();
});

const PATH = '/api/knowledge/entries/zh-CN/password-forgot';

async function read(client: AgentClient): Promise<{ entry: EntryJson; etag: string }> {
  const response = await client.raw(PATH);
  expect(response.status).toBe(200);
  return { entry: (await response.json()) as EntryJson, etag: response.headers.get('etag') ?? '' };
}

const save = (client: AgentClient, entry: EntryJson, etag: string) => client.raw(PATH, { method: 'PUT', body: entry, headers: { 'if-match': etag } });

test('two leads on two instances save one entry: one wins, the other gets 409 with the winner\'s text', async () => {
  const lin = await AgentClient.signIn(a.url, ...DEMO_AGENTS.lin);
  const mei = await AgentClient.signIn(b.url, ...SECOND_LEAD);

  // One after the other.
  const [first, second] = [await read(lin), await read(mei)];
  expect((await save(lin, { ...first.entry, answer: `${first.entry.answer}（林）` }, first.etag)).status).toBe(200);
  const late = await save(mei, { ...second.entry, answer: `${second.entry.answer}（梅）` }, second.etag);
  expect(late.status).toBe(409);
  expect(((await late.json()) as { current: EntryJson }).current.answer).toBe(`${first.entry.answer}（林）`);

  // At the same moment, ten times over: never both.
  for (let round = 0; round < 10; round++) {
    const [x, y] = await Promise.all([read(lin), read(mei)]);
    expect(x.etag).toBe(y.etag);
    const answers = await Promise.all([save(lin, { ...x.entry, answer: `林 ${round}` }, x.etag), save(mei, { ...y.entry, answer: `梅 ${round}` }, y.etag)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = answers[0]?.status === 200 ? `林 ${round}` : `梅 ${round}`;
    expect((await read(mei)).entry.answer).toBe(winner);
    expect((await read(lin)).entry.answer).toBe(winner);
  }
});

test('a publication through one instance is served by the other', async () => {
  const lin = await AgentClient.signIn(a.url, ...DEMO_AGENTS.lin);
  const mei = await AgentClient.signIn(b.url, ...SECOND_LEAD);
  const entry = { id: 'withdraw-arrival-time', locale: 'zh-CN', question: '提现多久能到账？', alternates: ['提现怎么还没到账'], answer: '提现到银行卡一般 2 小时内到账。' };
  expect((await lin.post('/api/knowledge/entries', entry)).status).toBe(201);
  // The draft is shared: B's lead sees the entry A's lead added.
  expect((await mei.get('/api/knowledge/entries/zh-CN/withdraw-arrival-time')).status).toBe(200);
  const published = await mei.post('/api/knowledge/publish', { message: '新增提现到账时间', force: true });
  expect(published.status).toBe(201);
  await until(async () => ((await lin.post('/api/knowledge/try', { text: '提现怎么还没到账', locale: 'zh-CN' })).body as { published: { entryId?: string } }).published.entryId === entry.id);
  const versions = await lin.get<{ versions: { publishedBy: string }[] }>('/api/knowledge/versions');
  expect(versions.body.versions[0]?.publishedBy).toBe('mei');
});
