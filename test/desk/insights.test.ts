import pino from 'pino';
import { chinaDay, dayOf, insightsDays, lastDays, topUnanswered, type InsightsRecorder } from '../../bot/desk/insights';
import { recordSafely } from '../../bot/desk/recordSafely';
import { turnInsights } from '../../bot/desk/turnInsights';
import { MemoryInsights } from '../../bot/storage/memory/insights';

/** The knowledge desk's daily counters: China-time days, zero-filled, bounded. */

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);

test('a day is a China-time date: 23:59:59 in Beijing is still that day, midnight is the next', () => {
  expect(chinaDay(at('2026-12-07T15:59:59.999Z'))).toBe('2026-12-07');
  expect(chinaDay(at('2026-12-07T16:00:00.000Z'))).toBe('2026-12-08');
  // 07:59 UTC on the 1st of January is already the afternoon of the 1st in Beijing.
  expect(chinaDay(at('2026-12-31T16:30:00Z'))).toBe('2027-01-01');
});

test('events either side of Beijing midnight count on two days; the days between are present, all zero', async () => {
  const now = at('2026-12-10T04:00:00Z');
  const insights = new MemoryInsights(40, () => now);
  await insights.record({ kind: 'conversation' }, at('2026-12-07T15:59:00Z'));
  await insights.record({ kind: 'fallback' }, at('2026-12-07T15:59:30Z'));
  await insights.record({ kind: 'conversation' }, at('2026-12-07T16:01:00Z'));
  await insights.record({ kind: 'vote', vote: 'down' }, at('2026-12-07T16:02:00Z'));
  const days = await insightsDays(insights, 5, now);
  expect(days.map((d) => d.date)).toEqual(['2026-12-06', '2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10']);
  expect(days.map((d) => [d.conversations, d.fallbacks, d.thumbsDown])).toEqual([
    [0, 0, 0],
    [1, 1, 0],
    [1, 0, 1],
    [0, 0, 0],
    [0, 0, 0],
  ]);
  expect(days[0]).toEqual({ date: '2026-12-06', conversations: 0, answeredByBot: 0, questions: 0, fallbacks: 0, thumbsUp: 0, thumbsDown: 0, handoffs: {}, csat: { count: 0, sum: 0 } });
});

test('handoffs count by reason, ratings as count and sum; a person joining counts against the day the conversation started', async () => {
  const now = at('2026-12-08T02:00:00Z');
  const insights = new MemoryInsights(40, () => now);
  await insights.record({ kind: 'conversation' }, at('2026-12-07T10:00:00Z'));
  await insights.record({ kind: 'conversation' }, at('2026-12-07T11:00:00Z'));
  await insights.record({ kind: 'handoff', reason: 'repeated-fallback' }, at('2026-12-07T11:05:00Z'));
  await insights.record({ kind: 'handoff', reason: 'repeated-fallback' }, at('2026-12-07T11:06:00Z'));
  await insights.record({ kind: 'handoff', reason: 'complaint' }, at('2026-12-07T11:07:00Z'));
  // Claimed after Beijing midnight, but the conversation began on the 7th.
  await insights.record({ kind: 'reached-person', startedOn: '2026-12-07' }, at('2026-12-07T16:30:00Z'));
  await insights.record({ kind: 'csat', rating: 5 }, at('2026-12-07T12:00:00Z'));
  await insights.record({ kind: 'csat', rating: 2 }, at('2026-12-07T12:01:00Z'));
  const [seventh, eighth] = await insightsDays(insights, 2, now);
  expect(seventh).toEqual(
    expect.objectContaining({ conversations: 2, answeredByBot: 1, handoffs: { 'repeated-fallback': 2, complaint: 1 }, csat: { count: 2, sum: 7 } }),
  );
  expect(eighth).toEqual(expect.objectContaining({ conversations: 0, answeredByBot: 0, handoffs: {} }));
});

test('only the last keepDays days are kept in memory, however long the bot runs', async () => {
  let now = at('2026-01-01T04:00:00Z');
  const insights = new MemoryInsights(30, () => now);
  for (let i = 0; i < 100; i++) {
    if (i > 0) now += DAY;
    await insights.record({ kind: 'conversation' });
  }
  expect(insights.size).toBe(30);
  const days = await insightsDays(insights, 30, now);
  expect(days.every((d) => d.conversations === 1)).toBe(true);
  // Something dated before the bound (a late rating of an old chat) is not kept either.
  await insights.record({ kind: 'csat', rating: 4 }, now - 45 * DAY);
  expect(insights.size).toBe(30);
  expect((await insights.read([chinaDay(now - 45 * DAY)]))[0]).toEqual({});
});

test('lastDays crosses month and year ends, oldest first', () => {
  expect(lastDays(3, at('2027-01-01T01:00:00Z'))).toEqual(['2026-12-30', '2026-12-31', '2027-01-01']);
});

test('a stored day never shows fewer than zero answered by the bot, nor reasons the bot does not know', () => {
  const day = dayOf('2026-12-07', { conversations: 1, reachedPerson: 3, 'handoff:complaint': 1, 'handoff:<img>': 4 });
  expect(day.answeredByBot).toBe(0);
  expect(day.handoffs).toEqual({ complaint: 1 });
});

test('a turn: the conversation counted when it starts, fallbacks and votes, a person joining once', () => {
  const now = at('2026-12-07T10:00:00Z');
  const first = turnInsights({ started: true, decision: 'fallback', votes: [], personJoined: false }, undefined, now);
  expect(first.events).toEqual([{ kind: 'conversation' }, { kind: 'question' }, { kind: 'fallback' }]);
  expect(first.mark).toEqual({ startedOn: '2026-12-07' });
  const joined = turnInsights({ started: false, decision: undefined, votes: [], personJoined: true }, first.mark, now + DAY);
  expect(joined.events).toEqual([{ kind: 'reached-person', startedOn: '2026-12-07' }]);
  const again = turnInsights({ started: false, decision: undefined, votes: ['up'], personJoined: true }, joined.mark, now + DAY);
  expect(again.events).toEqual([{ kind: 'vote', vote: 'up' }]);
});

test('top unanswered wordings: one wording however it is spaced or cased, masked, within the window, biggest first', () => {
  const now = at('2026-12-07T10:00:00Z');
  const recent = new Date(now - DAY).toISOString();
  const signals = [
    { kind: 'unanswered', question: 'Can I pay with Mars coins', at: recent },
    { kind: 'unanswered', question: 'can i  pay with mars coins', at: recent },
    { kind: 'unanswered', question: 'Can I pay with Mars coins', at: recent },
    { kind: 'unanswered', question: '我的手机 13800000003 为什么被冻结', at: recent },
    { kind: 'feedback', question: '换手机号收费吗', at: recent },
    { kind: 'unanswered', question: '很久以前的问题', at: new Date(now - 40 * DAY).toISOString() },
  ];
  const top = topUnanswered(signals, now - 30 * DAY);
  expect(top).toEqual([
    { wording: 'Can I pay with Mars coins', count: 3 },
    { wording: expect.not.stringContaining('13800000003') as unknown as string, count: 1 },
  ]);
  expect(top[1]?.wording).toContain('为什么被冻结');
});

test('a counter that cannot be written is logged and lost, never thrown at the turn', async () => {
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
  const broken: InsightsRecorder = { record: () => Promise.reject(new Error('redis down')), read: async () => [] };
  await expect(recordSafely(broken, logger).record({ kind: 'conversation' })).resolves.toBeUndefined();
  expect(lines.join('')).toContain('insights counter not recorded');
});
