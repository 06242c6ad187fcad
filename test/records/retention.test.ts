import { Client, type Pool } from 'pg';
import { createLogger } from '../../bot/logger';
import { recordId } from '../../bot/records/recordId';
import { retentionDays } from '../../bot/records/retention';
import type { DurableRecord } from '../../bot/records/schema';
import { PostgresRecords } from '../../bot/storage/postgres/historyRecords';
import { migrate } from '../../bot/storage/postgres/migrate';
import { openPool } from '../../bot/storage/postgres/pool';
import { enforceRetention, RETENTION_LOCK } from '../../bot/storage/postgres/retention';
import type { Handoff, Ticket } from '../../domain/handoff';
import { PostgresServer, queryOnce } from '../support/postgres';
import { until } from '../support/until';
import { loadConfig } from '../../bot/config';
import { Records } from '../../bot/storage/postgres/records';

/**
 * Retention as an operator relies on it: what is older than its kind's days is gone, what is
 * younger (and every open handoff) stays, a kind's own days win over RETENTION_DAYS, and of
 * two instances only the one holding the lock erases.
 */
let server: PostgresServer;
let pool: Pool;
let records: PostgresRecords;
const logger = createLogger('silent');
const DAY = 86_400_000;
// The job an instance runs counts from the real clock: so do the records here.
const NOW = Date.now();

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

const count = async (table: string) => Number((await queryOnce(server.url, `SELECT count(*) AS n FROM ${table}`))[0]?.n);

const handoff = (id: string, at: number, closed: boolean): Handoff => ({
  id,
  conversation: `conv-${id}`,
  channel: 'webchat',
  locale: 'zh-CN',
  status: closed ? 'resolved' : 'queued',
  priority: 'normal',
  context: { reason: 'user-request', misses: [] },
  createdAt: at,
  ...(closed ? { closedAt: at } : {}),
});
const ticket = (id: string, at: number, status: Ticket['status']): Ticket => ({ id, conversation: `conv-${id}`, channel: 'webchat', locale: 'zh-CN', contact: '13900005678', text: '请回电', reason: 'user-request', createdAt: at, status });

/** One record of every kind written `ageDays` ago. */
function aged(ageDays: number, tag: string): DurableRecord[] {
  const at = NOW - ageDays * DAY;
  return [
    { kind: 'line', id: recordId(at), conversation: `conv-${tag}`, entry: { at, from: 'user', text: `第 ${ageDays} 天前` } },
    { kind: 'handoff', id: recordId(at), handoff: handoff(`h-${tag}-closed`, at, true), revision: 1 },
    { kind: 'handoff', id: recordId(at), handoff: handoff(`h-${tag}-open`, at, false), revision: 1 },
    { kind: 'note', id: recordId(at), handoffId: `h-${tag}-closed`, note: { at, agentId: 'wang', agentName: '小王', text: '已回电' } },
    { kind: 'ticket', id: recordId(at), ticket: ticket(`T-${tag}-done`, at, 'done'), revision: 1 },
    { kind: 'ticket', id: recordId(at), ticket: ticket(`T-${tag}-open`, at, 'open'), revision: 1 },
    { kind: 'subject', id: recordId(at), phoneKey: `key-${tag}`, conversation: `conv-${tag}`, at },
    { kind: 'signal', id: recordId(at), at, conversation: `hash-${tag}`, signal: { kind: 'unanswered', question: '怎么开发票', locale: 'zh-CN' } },
    { kind: 'staff', id: recordId(at), at, actor: 'wang', action: 'chat.claim', target: `h-${tag}-closed` },
  ];
}

const TABLES = ['conversation_lines', 'handoffs', 'handoff_notes', 'tickets', 'subjects', 'kb_signals', 'staff_actions'] as const;

test('records older than RETENTION_DAYS are erased and younger ones kept; open handoffs and tickets not done always stay', async () => {
  await records.apply([...aged(200, 'old'), ...aged(10, 'young')]);
  // Every ticket links its contact to its conversation too (subjects). Applied long ago as far as the exactly-once guard is concerned.
  await queryOnce(server.url, `UPDATE applied_records SET applied_at = now() - interval '3 days'`);
  const before = Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await count(t)] as const)));
  expect(before).toEqual({ conversation_lines: 2, handoffs: 4, handoff_notes: 2, tickets: 4, subjects: 6, kb_signals: 2, staff_actions: 2 });

  const outcome = await enforceRetention(pool, retentionDays({ RETENTION_DAYS: 180 }), NOW);
  expect(outcome).toEqual({
    skipped: false,
    removed: { transcripts: 1, handoffs: 1, notes: 1, tickets: 1, signals: 1, staff: 1, subjects: 3, applied: 18 },
  });
  const left = await queryOnce(server.url, `SELECT id FROM handoffs UNION ALL SELECT id FROM tickets ORDER BY 1`);
  expect(left.map((r) => r.id)).toEqual(['T-old-open', 'T-young-done', 'T-young-open', 'h-old-open', 'h-young-closed', 'h-young-open']);
  expect((await records.transcript('conv-old'))).toEqual([]);
  expect((await records.transcript('conv-young')).map((e) => e.text)).toEqual(['第 10 天前']);
});

test("a kind's own days (RETENTION_DAYS_BY_KIND) win over RETENTION_DAYS", async () => {
  await records.apply(aged(100, 'mid'));
  const outcome = await enforceRetention(pool, retentionDays({ RETENTION_DAYS: 180, RETENTION_DAYS_BY_KIND: 'signals=90,staff=365' }), NOW);
  expect(outcome.skipped === false && outcome.removed).toMatchObject({ signals: 1, transcripts: 0, staff: 0 });
  const signals = await queryOnce(server.url, 'SELECT conversation FROM kb_signals ORDER BY 1');
  expect(signals.map((r) => r.conversation)).toEqual(['hash-young']);
  expect(await count('staff_actions')).toBe(2);
});

test('of two instances, only the one holding the lock erases; the other skips the round', async () => {
  await records.apply(aged(400, 'ancient'));
  // Another instance mid-round holds the lock on its own connection.
  const other = new Client({ connectionString: server.url });
  await other.connect();
  try {
    await other.query('SELECT pg_advisory_lock($1)', [RETENTION_LOCK]);
    expect(await enforceRetention(pool, retentionDays({ RETENTION_DAYS: 180 }), NOW)).toEqual({ skipped: true });
    expect((await records.transcript('conv-ancient'))).toHaveLength(1);
    await other.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK]);
  } finally {
    await other.end();
  }
  // Two at once: exactly one runs, whichever takes the lock first.
  const both = await Promise.all([enforceRetention(pool, retentionDays({ RETENTION_DAYS: 180 }), NOW), enforceRetention(pool, retentionDays({ RETENTION_DAYS: 180 }), NOW)]);
  expect(both.filter((o) => !o.skipped).length).toBeGreaterThanOrEqual(1);
  expect(both.flatMap((o) => (o.skipped ? [] : [o.removed.transcripts])).reduce((a, b) => a + b, 0)).toBe(1);
  expect(await records.transcript('conv-ancient')).toEqual([]);
});

test('an instance erases old records as soon as it starts (and stops its job when closed)', async () => {
  await records.apply(aged(40, 'start'));
  const instance = new Records(loadConfig({ DATABASE_URL: server.url, RETENTION_DAYS: '30', LOG_LEVEL: 'silent' }, 'tool'), logger);
  try {
    await instance.start();
    await until(async () => (await records.transcript('conv-start')).length === 0);
  } finally {
    await instance.close();
  }
  expect((await records.transcript('conv-young')).map((e) => e.text)).toEqual(['第 10 天前']);
});
