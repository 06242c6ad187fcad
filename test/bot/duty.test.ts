import pino from 'pino';
import { closesAt, parseSchedule } from '../../bot/handoff/schedule';
import { createHandoffService } from '../../bot/handoff/wiring';
import { MemoryConsoleBus, MemoryHandoffStore } from '../../bot/storage/memory/handoffStore';
import { MemoryThrottle } from '../../bot/storage/memory/throttle';
import { DEFAULT_CONFIG } from '../support/conversation';

/**
 * On duty from Teams (上班) holds without the agent writing again, past HANDOFF_PRESENCE_S,
 * and ends with the day's opening hours: the next morning nobody is on duty until someone
 * says 上班 again.
 */

const wang = { id: 'wang', name: '小王' };
const ask = { reason: 'user-request' as const, priority: 'normal' as const, locale: 'zh-CN' as const, misses: [] };

test('the end of the opening hours an instant falls in, windows that meet running on as one', () => {
  const hours = parseSchedule('mon-fri 09:00-21:00; sat,sun 10:00-18:00', 'Asia/Shanghai');
  // Monday 23 Nov 2026 10:00:30 in Shanghai is 02:00:30 UTC; the hours end at 21:00 (13:00 UTC).
  expect(closesAt(hours, new Date('2026-11-23T02:00:30Z'))).toBe(Date.parse('2026-11-23T13:00:00Z'));
  expect(closesAt(hours, new Date('2026-11-23T13:00:00Z'))).toBeUndefined();
  expect(closesAt(parseSchedule('24/7', 'UTC'), new Date())).toBeNull();
  const late = parseSchedule('mon 18:00-24:00; tue 00:00-02:00', 'UTC');
  expect(closesAt(late, new Date('2026-11-23T20:00:00Z'))).toBe(Date.parse('2026-11-24T02:00:00Z'));
});

test('上班 holds past the presence acting gives, until the hours end; 下班 ends it at once', async () => {
  let now = Date.parse('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
  const store = new MemoryHandoffStore(() => now);
  const config = { ...DEFAULT_CONFIG, HANDOFF_HOURS: 'mon-fri 09:00-21:00', HANDOFF_TIMEZONE: 'Asia/Shanghai' };
  const service = createHandoffService(config, { store, bus: new MemoryConsoleBus(), typingThrottle: new MemoryThrottle(), notify: async () => undefined, logger: pino({ level: 'silent' }), now: () => now });

  expect(await service.request('webchat:a', ask)).toEqual(expect.objectContaining({ status: 'unavailable', why: 'no-agents' }));
  expect(await service.goOnDuty(wang)).toEqual({ onDuty: true, until: Date.parse('2026-11-23T13:00:00Z') });
  now += 3 * 3600_000; // 13:00, hours after HANDOFF_PRESENCE_S would have run out
  expect(await service.request('webchat:b', ask)).toEqual(expect.objectContaining({ status: 'queued', position: 1 }));
  expect((await service.supervisor()).onDuty).toEqual([{ id: 'wang', name: '小王', until: Date.parse('2026-11-23T13:00:00Z') }]);
  await service.cancel('webchat:b');

  now = Date.parse('2026-11-24T01:30:00Z'); // Tuesday 09:30: yesterday's 上班 is over
  expect(await service.request('webchat:c', ask)).toEqual(expect.objectContaining({ status: 'unavailable', why: 'no-agents' }));
  expect((await service.supervisor()).onDuty).toEqual([]);

  await service.goOnDuty(wang);
  await service.goOffDuty(wang);
  expect(await service.request('webchat:d', ask)).toEqual(expect.objectContaining({ status: 'unavailable', why: 'no-agents' }));
  now = Date.parse('2026-11-24T14:00:00Z'); // Tuesday 22:00: closed, so 上班 is refused
  expect(await service.goOnDuty(wang)).toEqual({ onDuty: false, closed: true });
});
