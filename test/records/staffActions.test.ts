import pino from 'pino';
import { deskActionOf } from '../../bot/desk/lead';
import { MemoryOutbox } from '../../bot/records/outbox';
import { StaffActions } from '../../bot/records/staffActions';

/** The audit log's records: who did what to which record, never the text; without a database, the log line. */

test('an action is queued as a staff record with ids and counts only', async () => {
  const outbox = new MemoryOutbox();
  await new StaffActions(pino({ level: 'silent' }), outbox, () => 1_765_000_000_000).record('lin', 'kb.publish', 'v7', { entries: 3 });
  const [delivery] = await outbox.take(10);
  expect(delivery?.records).toEqual([{ kind: 'staff', id: expect.any(String), at: 1_765_000_000_000, actor: 'lin', action: 'kb.publish', target: 'v7', detail: { entries: 3 } }]);
});

test('without a database the action is only logged, and an outbox that refuses it does not fail the action', async () => {
  const lines: unknown[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  await new StaffActions(logger).record('wang', 'chat.claim', 'h-1');
  const refusing = { push: () => Promise.reject(new Error('redis down')) };
  await expect(new StaffActions(logger, refusing).record('wang', 'chat.resolve', 'h-1')).resolves.toBeUndefined();
  expect(lines).toEqual([
    expect.objectContaining({ msg: 'staff action', actor: 'wang', action: 'chat.claim', target: 'h-1' }),
    expect.objectContaining({ msg: expect.stringContaining('staff action kept only in this log'), actor: 'wang', action: 'chat.resolve' }),
  ]);
});

test('desk writes are named by what they do', () => {
  expect(deskActionOf('/api/knowledge/publish')).toBe('kb.publish');
  expect(deskActionOf('/api/knowledge/versions/:number/rollback')).toBe('kb.rollback');
  expect(deskActionOf('/api/knowledge/unanswered/:group/resolve')).toBe('kb.unanswered.resolve');
  expect(deskActionOf('/api/knowledge/entries/:locale/:id')).toBe('kb.draft.save');
});
