import type { Handoff, Ticket } from '../../../domain/handoff';
import type { HandoffStore } from '../../../bot/handoff/store';
import type { Backend } from './backend';

/** The lifetime the bound contract gives its stores' closed records (seconds). */
export const BOUND_CONTRACT_KEPT_S = 2;

/**
 * What a hot handoff store holds of the history is bounded: a closed chat, its notes and a
 * done ticket are forgotten once the transcript lifetime has passed (the database, when
 * there is one, keeps them); open chats and open tickets never are.
 */
export function handoffBoundsContract(makeBackend: () => Backend<HandoffStore>): void {
  let backend: Backend<HandoffStore>;
  beforeEach(() => {
    backend = makeBackend();
  });

  const handoff = (id: string, conversation: string): Handoff => ({
    id,
    conversation,
    channel: 'webchat',
    locale: 'zh-CN',
    status: 'queued',
    priority: 'normal',
    context: { reason: 'user-request', misses: [] },
    createdAt: backend.clock.now(),
  });
  const ticket = (id: string): Ticket => ({ id, conversation: `c-${id}`, channel: 'webchat', locale: 'zh-CN', contact: '13800000002', text: '请回电', reason: 'user-request', createdAt: backend.clock.now(), status: 'open' });

  test('a closed chat with its notes, the last closed of its conversation and a done ticket are forgotten after their lifetime; open ones stay', async () => {
    const store = await backend.instance();
    await store.open(handoff('closed-1', 'c1'));
    await store.open(handoff('open-1', 'c2'));
    await store.addNote('closed-1', { at: backend.clock.now(), agentId: 'wang', agentName: '小王', text: '已核实' });
    await store.transition('closed-1', ['queued'], { status: 'resolved', closedAt: backend.clock.now() });
    await store.addTicket(ticket('T-20261201-AAAA'));
    await store.addTicket(ticket('T-20261201-BBBB'));
    await store.closeTicket('T-20261201-AAAA', 'wang');
    expect(await store.get('closed-1')).toEqual(expect.objectContaining({ status: 'resolved' }));
    expect((await store.lastClosed('c1'))?.id).toBe('closed-1');

    await backend.elapse(BOUND_CONTRACT_KEPT_S * 1000 + 1200);
    // Another close is what prunes in memory; Redis expires on its own clock.
    await store.open(handoff('closed-2', 'c3'));
    await store.transition('closed-2', ['queued'], { status: 'cancelled', closedAt: backend.clock.now() });
    await store.closeTicket('T-20261201-BBBB', 'li');

    expect(await store.get('closed-1')).toBeUndefined();
    expect(await store.notes('closed-1')).toEqual([]);
    expect(await store.lastClosed('c1')).toBeUndefined();
    expect((await store.closedSince(0, 10)).map((h) => h.id)).toEqual(['closed-2']);
    expect((await store.tickets()).map((t) => t.id)).toEqual(['T-20261201-BBBB']);
    expect(await store.get('open-1')).toEqual(expect.objectContaining({ status: 'queued' }));
  });
}
