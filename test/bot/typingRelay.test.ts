import { Writable } from 'node:stream';
import pino from 'pino';
import type { ConsoleEvent } from '../../domain/handoff';
import { createHandoffService } from '../../bot/handoff/wiring';
import { MemoryConsoleBus, MemoryHandoffStore } from '../../bot/storage/memory/handoffStore';
import { MemoryThrottle } from '../../bot/storage/memory/throttle';
import type { Throttle } from '../../bot/storage/throttle';
import { DEFAULT_CONFIG } from '../support/conversation';

/**
 * The typing relay's throttle is only a hint's: when it cannot answer (Redis away or too
 * slow), the indicator goes through and the agent's request succeeds, with a warning logged.
 */
const wang = { id: 'wang', name: '小王' };

async function desk(typingThrottle: Throttle) {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'warn' }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(JSON.parse(chunk.toString()) as (typeof lines)[0]), done()) }));
  const store = new MemoryHandoffStore();
  const bus = new MemoryConsoleBus();
  const heard: ConsoleEvent[] = [];
  bus.subscribe((event) => heard.push(event));
  const shownTo: string[] = [];
  const service = createHandoffService(DEFAULT_CONFIG, {
    store,
    bus,
    typingThrottle,
    typing: async (conversation) => void shownTo.push(conversation),
    notify: async () => undefined,
    logger,
  });
  await service.agentOnline(wang);
  expect(await service.request('webchat:c1', { reason: 'user-request', priority: 'normal', locale: 'zh-CN', misses: [] })).toEqual(expect.objectContaining({ status: 'queued' }));
  const id = (await store.openFor('webchat:c1'))!.id;
  expect((await service.claim(id, wang)).ok).toBe(true);
  return { service, id, lines, heard, shownTo };
}

test('a throttle that fails lets typing through both ways: the agent is answered "shown", the console hears the user, a warning is logged', async () => {
  const failing: Throttle = { pass: async () => Promise.reject(new Error('Command timed out')) };
  const { service, id, lines, heard, shownTo } = await desk(failing);
  expect(await service.agentTyping(id, wang)).toEqual({ ok: true, value: { shown: true } });
  expect(shownTo).toEqual(['webchat:c1']);
  await service.userTyping('webchat:c1');
  expect(heard.filter((event) => event.type === 'typing')).toEqual([{ type: 'typing', id }]);
  expect(lines.filter((line) => line.msg.includes('typing throttle unavailable'))).toHaveLength(2);
});

test('a working throttle passes one indicator per chat, direction and window', async () => {
  const { service, id, lines, heard, shownTo } = await desk(new MemoryThrottle());
  expect(await service.agentTyping(id, wang)).toEqual({ ok: true, value: { shown: true } });
  expect(await service.agentTyping(id, wang)).toEqual({ ok: true, value: { shown: false } });
  expect(shownTo).toEqual(['webchat:c1']);
  await service.userTyping('webchat:c1');
  await service.userTyping('webchat:c1');
  expect(heard.filter((event) => event.type === 'typing')).toHaveLength(1);
  expect(lines).toEqual([]);
});
