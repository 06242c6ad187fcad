import pino from 'pino';
import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { startKefu, type RunningKefu } from '../support/kefuServer';
import { agentsFileWithTwoLeads, SECOND_LEAD, type EntryJson } from './deskSupport';

/** Issue 28, item 2: leads edit the draft's entries with optimistic concurrency; what they write is checked as the files are. */
jest.setTimeout(60_000);

let kefu: RunningKefu;
/** What the server logged, one JSON object a line. */
const logged: Record<string, unknown>[] = [];
let agents: Awaited<ReturnType<typeof agentsFileWithTwoLeads>>;
beforeAll(async () => {
  agents = await agentsFileWithTwoLeads();
  const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line) as Record<string, unknown>) });
  kefu = await startKefu({ AGENTS_FILE: agents.file, KB_LINK_HOSTS: 'help.example.com' }, undefined, logger);
});
afterAll(async () => {
  await kefu.stop();
  agents.remove();
});

const ENTRY = '/api/knowledge/entries/zh-CN/password-forgot';

async function read(client: AgentClient, path = ENTRY): Promise<{ entry: EntryJson; etag: string }> {
  const response = await client.raw(path);
  expect(response.status).toBe(200);
  return { entry: (await response.json()) as EntryJson, etag: response.headers.get('etag') ?? '' };
}

const put = (client: AgentClient, entry: EntryJson, etag?: string, path = ENTRY) => client.raw(path, { method: 'PUT', body: entry, headers: etag ? { 'if-match': etag } : {} });

test('two leads save the same entry: the first wins, the second gets 409 with the text as it is now', async () => {
  const lin = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.lin);
  const mei = await AgentClient.signIn(kefu.url, ...SECOND_LEAD);
  const [linRead, meiRead] = [await read(lin), await read(mei)];
  expect(linRead.etag).toBe(meiRead.etag);

  const linAnswer = `${linRead.entry.answer}\n\n林组长补充：找回后请立即修改支付密码。`;
  const first = await put(lin, { ...linRead.entry, answer: linAnswer }, linRead.etag);
  expect(first.status).toBe(200);
  const saved = (await first.json()) as { entry: EntryJson; etag: string };
  expect(saved.entry.answer).toBe(linAnswer);
  expect(first.headers.get('etag')).toBe(`"${saved.etag}"`);
  expect(saved.etag).not.toBe(`${linRead.etag.replace(/"/g, '')}`);

  const second = await put(mei, { ...meiRead.entry, answer: '梅组长的版本' }, meiRead.etag);
  expect(second.status).toBe(409);
  const conflict = (await second.json()) as { error: string; current: EntryJson; etag: string };
  expect(conflict.current.answer).toBe(linAnswer);
  expect(conflict.etag).toBe(saved.etag);
  expect(conflict.error).toMatch(/another lead changed this entry/);
  // The write that went through is logged with the lead's id; the refused one is not.
  const writes = logged.filter((line) => line.msg === 'knowledge desk change' && line.entry === 'zh-CN/password-forgot');
  expect(writes).toEqual([expect.objectContaining({ lead: 'lin', route: 'PUT /api/knowledge/entries/:locale/:id' })]);

  // With the current ETag, her save goes through; the list shows the entry changed.
  expect((await put(mei, { ...conflict.current, answer: '梅组长的版本' }, `"${conflict.etag}"`)).status).toBe(200);
  const list = await mei.get<{ drafted: boolean; entries: { entry: EntryJson; status: string }[] }>('/api/knowledge/entries?locale=zh-CN');
  expect(list.body.drafted).toBe(true);
  expect(list.body.entries.find((e) => e.entry.id === 'password-forgot')).toEqual(expect.objectContaining({ status: 'changed', entry: expect.objectContaining({ answer: '梅组长的版本' }) }));
});

test('a save without If-Match is refused with 428, and so is a delete', async () => {
  const lin = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.lin);
  const { entry } = await read(lin);
  const response = await put(lin, { ...entry, answer: '没有 ETag 的保存' });
  expect(response.status).toBe(428);
  expect(((await response.json()) as { error: string }).error).toMatch(/If-Match/);
  expect((await lin.raw(ENTRY, { method: 'DELETE' })).status).toBe(428);
  expect((await read(lin)).entry.answer).not.toBe('没有 ETag 的保存');
});

test.each([
  ['markup', '请点击 <script>alert(1)</script> 重置', /markup <script>/],
  ['a javascript: link', '请[点这里](javascript:alert(1))重置', /javascript:/],
  ['a link to a host not allowed', '请打开 [帮助](https://evil.example.net/reset) 重置', /evil\.example\.net, which is not on KB_LINK_HOSTS \(allowed: help\.example\.com\)/],
  ['more than a bubble', '请按以下步骤操作。'.repeat(60), /one chat bubble holds at most 500/],
])('a hostile answer (%s) is refused with 400 and the reason, and nothing is saved', async (_what, answer, reason) => {
  const lin = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.lin);
  const before = await read(lin);
  const response = await put(lin, { ...before.entry, answer }, before.etag);
  expect(response.status).toBe(400);
  const body = (await response.json()) as { error: string; problems: { field: string; reason: string }[] };
  expect(body.problems).toEqual(expect.arrayContaining([{ field: 'answer', reason: expect.stringMatching(reason) }]));
  expect(body.error).toMatch(reason);
  expect((await read(lin)).entry).toEqual(before.entry);
});

test('an allowed https link is accepted', async () => {
  const lin = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.lin);
  const before = await read(lin);
  const answer = `${before.entry.answer}\n\n详见 [帮助中心](https://help.example.com/reset)。`;
  expect((await put(lin, { ...before.entry, answer }, before.etag)).status).toBe(200);
});

test('a lead adds an entry (201), cannot add the same id twice (409), and deletes it with its ETag (204)', async () => {
  const lin = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.lin);
  const entry = { id: 'withdraw-arrival-time', locale: 'zh-CN', question: '提现多久能到账？', alternates: ['提现怎么还没到账'], answer: '提现到银行卡一般 2 小时内到账。' };
  const added = await lin.raw('/api/knowledge/entries', { method: 'POST', body: entry });
  expect(added.status).toBe(201);
  const { etag } = (await added.json()) as { etag: string };
  expect((await lin.raw('/api/knowledge/entries', { method: 'POST', body: entry })).status).toBe(409);
  const badId = await lin.raw('/api/knowledge/entries', { method: 'POST', body: { ...entry, id: 'Bad Id' } });
  expect(badId.status).toBe(400);
  expect(((await badId.json()) as { problems: { field: string }[] }).problems[0]?.field).toBe('id');
  const list = await lin.get<{ entries: { entry: EntryJson; status: string }[] }>('/api/knowledge/entries?locale=zh-CN');
  expect(list.body.entries.find((e) => e.entry.id === entry.id)?.status).toBe('added');

  const path = `/api/knowledge/entries/zh-CN/${entry.id}`;
  expect((await lin.raw(path, { method: 'DELETE', headers: { 'if-match': '"not-the-etag"' } })).status).toBe(409);
  expect((await lin.raw(path, { method: 'DELETE', headers: { 'if-match': `"${etag}"` } })).status).toBe(204);
  expect((await lin.get(path)).status).toBe(404);
});

test('an entry whose id or locale differs from its address is refused', async () => {
  const lin = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.lin);
  const { entry, etag } = await read(lin);
  const response = await put(lin, { ...entry, id: 'password-forgot-2' }, etag);
  expect(response.status).toBe(400);
});
