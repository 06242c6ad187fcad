import type { Handoff, Ticket, TranscriptEntry } from '../../domain/handoff';
import { createLogger } from '../../bot/logger';
import { parseHistoryQuery, type HistoryQuery } from '../../bot/handoff/history';
import { PostgresRecords } from '../../bot/storage/postgres/historyRecords';
import { migrate } from '../../bot/storage/postgres/migrate';
import { openPool } from '../../bot/storage/postgres/pool';
import { recordId } from '../../bot/records/recordId';
import { handoffRevision, ticketRevision } from '../../bot/records/revision';
import type { DurableRecord } from '../../bot/records/schema';
import { PostgresServer } from '../support/postgres';
import type { Pool } from 'pg';

/**
 * The records as PostgreSQL keeps them: written once however often delivered, a handoff's
 * later stage never overwritten by an earlier one arriving late, and the agents' history
 * found by chat id, case id and the last four digits through the indexes.
 */
let server: PostgresServer;
let pool: Pool;
let records: PostgresRecords;
const logger = createLogger('silent');

beforeAll(async () => {
  server = await PostgresServer.start();
  await migrate(server.url, logger);
  pool = openPool(server.url, logger);
  records = new PostgresRecords(pool, 'test-secret-0123456789');
});
afterAll(async () => {
  await pool?.end();
  await server?.destroy();
});

const T0 = Date.parse('2026-12-01T02:00:00Z');
const handoff = (patch: Partial<Handoff> = {}): Handoff => ({
  id: '3f2a9c1e-0000-4000-8000-000000000001',
  conversation: 'conv-1',
  channel: 'webchat',
  locale: 'zh-CN',
  status: 'queued',
  priority: 'normal',
  context: { reason: 'user-request', misses: [], trail: { flow: 'unlock', maskedPhone: '138****0002', verified: true } },
  createdAt: T0,
  ...patch,
});
const line = (conversation: string, at: number, from: TranscriptEntry['from'], text: string): DurableRecord => ({ kind: 'line', id: recordId(at), conversation, entry: { at, from, text } });
const query = (raw: string): HistoryQuery => parseHistoryQuery(raw) ?? (() => { throw new Error(raw); })();

test('a record delivered twice is written once; a late earlier stage does not undo a later one', async () => {
  const lines = [line('conv-1', T0, 'user', '我的号码 138****0002 收不到验证码'), line('conv-1', T0 + 1, 'bot', '已为您转人工，工单号 T-20261201-AB12')];
  const queued = { kind: 'handoff' as const, id: recordId(), handoff: handoff(), revision: handoffRevision(handoff(), T0) };
  const closedHandoff = handoff({ status: 'resolved', agentId: 'wang', agentName: '小王', claimedAt: T0 + 1000, closedAt: T0 + 60_000, rating: 5 });
  const closed = { kind: 'handoff' as const, id: recordId(), handoff: closedHandoff, revision: handoffRevision(closedHandoff, T0 + 60_000) };
  expect(await records.apply([...lines, closed])).toBe(3);
  // The same deliveries again (an instance died before acknowledging), and the queued stage arriving late.
  expect(await records.apply([...lines, closed, queued])).toBe(1);
  expect((await records.transcript('conv-1')).map((e) => e.text)).toEqual(['我的号码 138****0002 收不到验证码', '已为您转人工，工单号 T-20261201-AB12']);
  expect(await records.handoff(closedHandoff.id)).toMatchObject({ status: 'resolved', rating: 5, agentName: '小王' });
  expect(await records.closedSince(T0, 10)).toHaveLength(1);
});

test('the history finds a chat by its id prefix, a case id it mentions and the last four digits, and a done ticket by contact', async () => {
  const ticket: Ticket = { id: 'T-20261201-ZZ99', conversation: 'conv-2', channel: 'webchat', locale: 'zh-CN', contact: '13900005678', text: '请回电', reason: 'user-request', createdAt: T0, status: 'done', closedBy: 'wang' };
  await records.apply([{ kind: 'ticket', id: recordId(), ticket, revision: ticketRevision(ticket, T0) }]);
  expect((await records.search(query('3f2a9c1e'), 20)).handoffs.map((h) => h.id)).toEqual([handoff().id]);
  expect((await records.search(query('t-20261201-ab12'), 20)).handoffs).toHaveLength(1);
  expect((await records.search(query('0002'), 20)).handoffs).toHaveLength(1);
  expect((await records.search(query('9999'), 20)).handoffs).toHaveLength(0);
  expect((await records.search(query('5678'), 20)).tickets.map((t) => t.id)).toEqual(['T-20261201-ZZ99']);
});

test("the agents' history finds a chat older than the newest 500 closed ones: it is looked up, not scanned for", async () => {
  const { HandoffViews } = await import('../../bot/handoff/views');
  const { MemoryHandoffStore } = await import('../../bot/storage/memory/handoffStore');
  const old = handoff({ id: 'aa11bb22-0000-4000-8000-000000000000', conversation: 'old-conv', status: 'resolved', closedAt: T0 - 86_400_000, createdAt: T0 - 86_400_000 - 5000 });
  const newer = Array.from({ length: 600 }, (_, i) => {
    const h = handoff({ id: `cc${String(i).padStart(6, '0')}-0000-4000-8000-000000000000`, conversation: `c-${i}`, status: 'resolved', closedAt: T0 + i * 1000, context: { reason: 'user-request', misses: [] } });
    return { kind: 'handoff' as const, id: recordId(), handoff: h, revision: handoffRevision(h, T0 + i * 1000) };
  });
  await records.apply([{ kind: 'handoff', id: recordId(), handoff: old, revision: handoffRevision(old, T0) }, line('old-conv', T0 - 86_400_000 - 4000, 'user', '我想查一下'), ...newer]);
  const views = new HandoffViews({ store: new MemoryHandoffStore(), now: () => T0 + 700_000, isOpenNow: () => true, maxChats: Infinity, defaultHandleMs: 300_000, timeZone: 'Asia/Shanghai', records });
  const found = await views.history('aa11bb22');
  expect(found?.chats.map((c) => c.handoff.id)).toEqual([old.id]);
  expect(found?.chats[0]?.transcript.map((e) => e.text)).toEqual(['我想查一下']);
});
