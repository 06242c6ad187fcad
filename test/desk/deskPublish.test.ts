import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { kefuForTests } from '../support/kefuServer';
import type { EntryJson } from './deskSupport';

/**
 * Issue 28, item 2: a lead tries the draft beside what is served, evaluates it on the dev sets,
 * and publishes it; a draft that breaks routing on a dev set is refused unless forced; the
 * versions list who published; rolling back brings the old behaviour back.
 */
jest.setTimeout(180_000);

const bot = kefuForTests();

interface TryRoute {
  decision: string;
  entryId?: string;
  answer?: string;
  top: { id: string; question: string; score: number }[];
}
interface Figures {
  rightFirst: number;
}
interface Evaluation {
  sets: { name: string; locale: string; before: Figures; after: Figures; newlyFailing: { question: string; expected: string; before: string; after: string }[] }[];
  resolved: { total: number };
  gate: { ok: boolean; reasons: string[]; findings: unknown[] };
}

const WITHDRAW = { id: 'withdraw-arrival-time', locale: 'zh-CN', question: '提现多久能到账？', alternates: ['提现怎么还没到账', '钱提出来了银行卡没收到'], answer: '提现到银行卡一般 2 小时内到账；超过 {supportHours} 的时段提交的，顺延处理。' };

const tryText = async (lead: AgentClient, text: string) => (await lead.post('/api/knowledge/try', { text, locale: 'zh-CN' })).body as { draft: TryRoute; published: TryRoute };

test('try, evaluate, publish, refuse a draft that breaks a dev set, force it, list and roll back', async () => {
  const lin = await AgentClient.signIn(bot.kefu.url, ...DEMO_AGENTS.lin);
  expect((await lin.post('/api/knowledge/entries', WITHDRAW)).status).toBe(201);

  // Try: the draft answers, placeholders filled as the widget shows them; what is served falls back.
  const tried = await tryText(lin, '提现怎么还没到账');
  expect(tried.draft).toEqual(expect.objectContaining({ decision: 'answer', entryId: WITHDRAW.id }));
  expect(tried.draft.answer).toMatch(/^提现到银行卡一般 2 小时内到账；超过 .+ 的时段提交的/);
  expect(tried.draft.answer).not.toContain('{supportHours}');
  expect(tried.draft.top[0]).toEqual(expect.objectContaining({ id: WITHDRAW.id, question: WITHDRAW.question }));
  expect(tried.published.decision).not.toBe('answer');
  expect(tried.published.entryId).not.toBe(WITHDRAW.id);

  // Evaluate: every dev set before/after, never a blind one; adding an entry passes the gate.
  const started = Date.now();
  const evaluation = (await lin.post('/api/knowledge/evaluate')).body as Evaluation;
  const seconds = (Date.now() - started) / 1000;
  expect(evaluation.sets.map((s) => s.name)).toEqual(['zh-CN', 'en-US', 'dev2-zh-CN', 'dev2-en-US']);
  expect(evaluation.gate).toEqual({ ok: true, reasons: [], findings: [] });
  for (const set of evaluation.sets) expect(set.after.rightFirst).toBeGreaterThanOrEqual(set.before.rightFirst - 1);
  expect(seconds).toBeLessThan(120);

  const published = await lin.post('/api/knowledge/publish', { message: '新增：提现到账时间' });
  expect(published.status).toBe(201);
  const v1 = (published.body as { version: { number: number; publishedBy: string; diff: { added: string[] } } }).version;
  expect(v1).toEqual(expect.objectContaining({ number: 1, publishedBy: 'lin' }));
  expect(v1.diff.added).toContain('zh-CN/withdraw-arrival-time');
  // The first version's changes are against the seed files: the one entry added.
  const changes = (await lin.get<{ changes: { key: string; before?: EntryJson; after?: EntryJson }[] }>('/api/knowledge/versions/1')).body.changes;
  expect(changes).toEqual([{ key: 'zh-CN/withdraw-arrival-time', after: expect.objectContaining({ question: WITHDRAW.question }) }]);
  expect((await tryText(lin, '提现怎么还没到账')).published).toEqual(expect.objectContaining({ decision: 'answer', entryId: WITHDRAW.id }));
  const afterPublish = await lin.get<{ published: number; drafted: boolean }>('/api/knowledge/entries?locale=zh-CN');
  expect(afterPublish.body).toEqual(expect.objectContaining({ published: 1, drafted: false }));

  // A draft without the entry most unlock questions land on: refused, with the reason and the lines that now fail.
  await deleteEntry(lin, 'unlock-how');
  const refused = await lin.post('/api/knowledge/publish', { message: '删除解锁方法' });
  expect(refused.status).toBe(409);
  const refusal = refused.body as { error: string; reasons: string[]; findings: unknown[]; evaluation: Evaluation };
  // The same reasons as data, so the page can say them in the lead's language.
  expect(refusal.findings).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'drop', set: expect.stringMatching(/zh-CN$/) })]));
  expect(refusal.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^right-first on (dev2-)?zh-CN drops from [\d.]+% to [\d.]+%/)]));
  const zh = refusal.evaluation.sets.find((s) => s.name === 'zh-CN');
  expect(zh?.newlyFailing).toEqual(expect.arrayContaining([expect.objectContaining({ expected: 'unlock-how', before: 'unlock-how' })]));
  expect((await lin.get<{ versions: unknown[] }>('/api/knowledge/versions')).body.versions).toHaveLength(1);

  const forced = await lin.post('/api/knowledge/publish', { message: '删除解锁方法（确认）', force: true });
  expect(forced.status).toBe(201);
  const versions = await lin.get<{ serving: number; versions: { number: number; publishedBy: string; message: string }[] }>('/api/knowledge/versions');
  expect(versions.body.serving).toBe(2);
  expect(versions.body.versions.map((v) => [v.number, v.publishedBy, v.message])).toEqual([
    [2, 'lin', '删除解锁方法（确认）'],
    [1, 'lin', '新增：提现到账时间'],
  ]);
  const v2 = await lin.get<{ changes: { key: string; before?: EntryJson; after?: EntryJson }[] }>('/api/knowledge/versions/2');
  const removed = v2.body.changes.find((c) => c.key === 'zh-CN/unlock-how');
  expect(removed?.before?.id).toBe('unlock-how');
  expect(removed?.after).toBeUndefined();
  expect((await tryText(lin, '账户被锁了怎么解锁')).published.entryId).not.toBe('unlock-how');

  // Rolling back to 1 publishes 3, equal to 1: the entry answers again.
  const rolledBack = await lin.post('/api/knowledge/versions/1/rollback', { message: '恢复解锁方法' });
  expect(rolledBack.status).toBe(201);
  expect(rolledBack.body).toEqual({ version: expect.objectContaining({ number: 3, rollbackOf: 1, publishedBy: 'lin', message: '恢复解锁方法' }) });
  const entry = await lin.get<EntryJson>('/api/knowledge/entries/zh-CN/unlock-how');
  expect(entry.status).toBe(200);
  expect((await lin.post('/api/knowledge/versions/99/rollback')).status).toBe(404);

  // A draft begun before another publication would undo it: refused with the reason unless forced.
  const { body: forgot } = await lin.get<EntryJson>('/api/knowledge/entries/zh-CN/password-forgot');
  const etag = (await lin.get<{ entries: { entry: EntryJson; etag: string }[] }>('/api/knowledge/entries?locale=zh-CN')).body.entries.find((e) => e.entry.id === 'password-forgot')?.etag;
  expect((await lin.raw('/api/knowledge/entries/zh-CN/password-forgot', { method: 'PUT', body: { ...forgot, alternates: [...forgot.alternates, '密码忘了咋登录'] }, headers: { 'if-match': `"${etag}"` } })).status).toBe(200);
  expect((await lin.post('/api/knowledge/versions/2/rollback')).status).toBe(201);
  const stale = await lin.post('/api/knowledge/publish', { message: '加一个说法' });
  expect(stale.status).toBe(409);
  expect((stale.body as { reasons: string[] }).reasons).toContain("version 4 was published after this draft began from version 3: publishing it undoes that version's changes");
  expect((stale.body as { findings: unknown[] }).findings).toContainEqual({ kind: 'stale', latest: 4, base: 3 });
  expect((await lin.post('/api/knowledge/publish', { message: '加一个说法', force: true })).status).toBe(201);
});

test('publishing with nothing drafted, or without a message, is refused', async () => {
  const lin = await AgentClient.signIn(bot.kefu.url, ...DEMO_AGENTS.lin);
  expect((await lin.post('/api/knowledge/publish', {})).status).toBe(400);
  const nothing = await lin.post('/api/knowledge/publish', { message: '没有改动' });
  expect(nothing.status).toBe(409);
});

/** Deletes an entry as a lead would: first the follow-ups other entries have to it, then the entry. */
async function deleteEntry(lead: AgentClient, id: string): Promise<void> {
  const list = await lead.get<{ entries: { entry: EntryJson; etag: string }[] }>('/api/knowledge/entries?locale=zh-CN');
  for (const { entry, etag } of list.body.entries) {
    const followUps = entry.followUps as string[] | undefined;
    if (!followUps?.includes(id)) continue;
    const put = await lead.raw(`/api/knowledge/entries/zh-CN/${entry.id}`, { method: 'PUT', body: { ...entry, followUps: followUps.filter((f) => f !== id) }, headers: { 'if-match': `"${etag}"` } });
    expect(put.status).toBe(200);
  }
  const target = list.body.entries.find((e) => e.entry.id === id);
  const deleted = await lead.raw(`/api/knowledge/entries/zh-CN/${id}`, { method: 'DELETE', headers: { 'if-match': `"${target?.etag}"` } });
  expect(deleted.status).toBe(204);
}
