import type { ConsoleEvent, Handoff, Ticket } from '../../../domain/handoff';
import { RECENT_HANDLE_TIMES, type ConsoleBus, type HandoffStore } from '../../../bot/handoff/store';
import { until } from '../until';
import { twoInstances, type Backend } from './backend';

/**
 * What every HandoffStore promises (bot/handoff/store.ts), whatever keeps it: one open
 * handoff per conversation, status changes as compare-and-set, so two agents or two instances
 * acting at once never both win.
 */
export function handoffStoreContract(makeBackend: () => Backend<HandoffStore>): void {
  let backend: Backend<HandoffStore>;
  beforeEach(() => {
    backend = makeBackend();
  });

  const handoff = (id: string, conversation = 'webchat:c1'): Handoff => ({
    id,
    conversation,
    channel: 'webchat',
    locale: 'zh-CN',
    status: 'queued',
    priority: 'normal',
    context: { reason: 'user-request', misses: [] },
    createdAt: backend.clock.now(),
  });

  const claim = (agentId: string) => ({ status: 'active' as const, agentId, agentName: agentId, claimedAt: backend.clock.now() });
  const close = (closedAt: number) => ({ status: 'resolved' as const, closedAt });

  test('a second open of the conversation, on any instance, returns the handoff it has', async () => {
    const [a, b] = await twoInstances(backend);
    expect(await a.open(handoff('h1'))).toEqual(handoff('h1'));
    expect((await b.open(handoff('h2'))).id).toBe('h1');
    expect(await b.get('h2')).toBeUndefined();
    expect((await a.openFor('webchat:c1'))?.id).toBe('h1');
    expect((await b.listOpen()).map((h) => h.id)).toEqual(['h1']);
    expect(await a.openFor('webchat:other')).toBeUndefined();
    expect(await a.get('unknown')).toBeUndefined();
  });

  test("a conversation's reference and transcript are handed out as copies: a caller changing them changes nothing stored", async () => {
    const store = await backend.instance();
    const reference = { channelId: 'webchat', serviceUrl: 'http://127.0.0.1:3978', conversation: { id: 'c1', isGroup: false, conversationType: '', name: '' } };
    await store.saveReference('webchat:c1', reference);
    await store.appendTranscript('webchat:c1', [{ at: 1, from: 'user', text: '原话' }], 10);
    const read = await store.reference('webchat:c1');
    read!.serviceUrl = 'http://attacker.example';
    read!.conversation!.id = 'other';
    (await store.transcript('webchat:c1'))[0]!.text = 'changed';
    expect(await store.reference('webchat:c1')).toEqual(reference);
    expect(await store.transcript('webchat:c1')).toEqual([{ at: 1, from: 'user', text: '原话' }]);
  });

  test('ten opens of one conversation at once, on two instances: one handoff', async () => {
    const [a, b] = await twoInstances(backend);
    const opened = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).open(handoff(`h${i}`))));
    expect(new Set(opened.map((h) => h.id)).size).toBe(1);
    expect(await a.listOpen()).toHaveLength(1);
  });

  test('transition is compare-and-set: applied only from the given statuses; a conflict changes nothing', async () => {
    const [a, b] = await twoInstances(backend);
    await a.open(handoff('h1'));
    expect(await a.transition('h1', ['queued'], claim('wang'))).toEqual(expect.objectContaining({ id: 'h1', status: 'active', agentId: 'wang' }));
    expect(await b.transition('h1', ['queued'], claim('li'))).toBeUndefined();
    expect(await b.get('h1')).toEqual(expect.objectContaining({ status: 'active', agentId: 'wang' }));
    expect(await b.transition('unknown', ['queued', 'active'], claim('li'))).toBeUndefined();
    expect(await b.get('unknown')).toBeUndefined();
  });

  test('a claim given back: fields the patch names as undefined are cleared', async () => {
    const store = await backend.instance();
    await store.open(handoff('h1'));
    await store.transition('h1', ['queued'], claim('wang'));
    expect(await store.transition('h1', ['active'], { status: 'queued', agentId: undefined, agentName: undefined, claimedAt: undefined })).toEqual(handoff('h1'));
    expect(await store.get('h1')).toEqual(handoff('h1'));
  });

  test('ten agents claiming one handoff at once, on two instances: one wins and keeps it', async () => {
    const [a, b] = await twoInstances(backend);
    await a.open(handoff('h1'));
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).transition('h1', ['queued'], claim(`agent-${i}`))));
    const winners = results.filter((r): r is Handoff => r !== undefined);
    expect(winners).toHaveLength(1);
    expect((await a.get('h1'))?.agentId).toBe(winners[0]?.agentId);
  });

  test("an agent's claims of eight queued handoffs at once, on two instances: the first up to the limit win, the rest are refused at the limit", async () => {
    const [a, b] = await twoInstances(backend);
    const ids = Array.from({ length: 8 }, (_, i) => `h${i}`);
    for (const [i, id] of ids.entries()) await a.open(handoff(id, `webchat:c${i}`));
    // Another agent's chat is not the agent's: it counts against nobody else.
    await a.open(handoff('li-1', 'webchat:li'));
    expect(await a.claim('li-1', { id: 'li', name: '小李' }, backend.clock.now(), 3)).toEqual({ claimed: expect.objectContaining({ status: 'active', agentId: 'li' }) });

    const wang = { id: 'wang', name: '小王' };
    const outcomes = await Promise.all(ids.map((id, i) => (i % 2 ? a : b).claim(id, wang, backend.clock.now(), 3)));
    const won = outcomes.flatMap((o) => ('claimed' in o ? [o.claimed] : []));
    expect(won).toHaveLength(3);
    for (const chat of won) expect(chat).toEqual(expect.objectContaining({ status: 'active', agentId: 'wang', agentName: '小王', claimedAt: backend.clock.now() }));
    expect(outcomes.filter((o) => 'refused' in o)).toEqual(Array.from({ length: 5 }, () => ({ refused: 'at-limit' })));
    const open = await b.listOpen();
    expect(open.filter((h) => h.agentId === 'wang').map((h) => h.id).sort()).toEqual(won.map((h) => h.id).sort());
    expect(open.filter((h) => h.status === 'queued')).toHaveLength(5);

    // Claimed already, or closed: not queued, whatever the limit. A closed chat frees a place.
    expect(await a.claim(won[0]!.id, wang, backend.clock.now(), 10)).toEqual({ refused: 'not-queued' });
    expect(await a.claim('unknown', wang, backend.clock.now(), 10)).toEqual({ refused: 'not-queued' });
    const queued = open.find((h) => h.status === 'queued')!.id;
    expect(await b.claim(queued, wang, backend.clock.now(), 3)).toEqual({ refused: 'at-limit' });
    await a.transition(won[0]!.id, ['active'], close(backend.clock.now()));
    expect(await b.claim(queued, wang, backend.clock.now(), 3)).toEqual({ claimed: expect.objectContaining({ id: queued, agentId: 'wang' }) });
    // Without a limit (AGENT_MAX_CHATS unset) every queued one can be claimed.
    const rest = (await a.listOpen()).filter((h) => h.status === 'queued');
    const unlimited = await Promise.all(rest.map((h, i) => (i % 2 ? a : b).claim(h.id, wang, backend.clock.now(), Number.POSITIVE_INFINITY)));
    expect(unlimited.every((o) => 'claimed' in o)).toBe(true);
  });

  test('a closed handoff leaves the open lists and is the last closed; the conversation may open another', async () => {
    const [a, b] = await twoInstances(backend);
    await a.open(handoff('h1'));
    await a.open(handoff('other', 'webchat:c2'));
    expect(await b.transition('h1', ['queued', 'active'], close(backend.clock.now()))).toEqual(expect.objectContaining({ status: 'resolved' }));
    expect(await a.openFor('webchat:c1')).toBeUndefined();
    expect((await a.listOpen()).map((h) => h.id)).toEqual(['other']);
    expect((await a.lastClosed('webchat:c1'))?.id).toBe('h1');
    expect(await a.lastClosed('webchat:c2')).toBeUndefined();
    expect((await b.open(handoff('h2'))).id).toBe('h2');
    expect((await a.openFor('webchat:c1'))?.id).toBe('h2');
  });

  test('the last closed is the one closed most recently', async () => {
    const store = await backend.instance();
    await store.open(handoff('h1'));
    await store.transition('h1', ['queued'], close(backend.clock.now()));
    backend.clock.advance(1000);
    await store.open(handoff('h2'));
    await store.transition('h2', ['queued'], close(backend.clock.now()));
    expect((await store.lastClosed('webchat:c1'))?.id).toBe('h2');
  });

  test('closed handoffs are listed newest first from a time on, on every instance, at most as many as asked; open ones never', async () => {
    const [a, b] = await twoInstances(backend);
    const start = backend.clock.now();
    for (const [i, id] of ['h1', 'h2', 'h3'].entries()) {
      await a.open(handoff(id, `webchat:c${i}`));
      await a.transition(id, ['queued'], close(start + i * 1000));
    }
    await a.open(handoff('open', 'webchat:open'));
    expect((await b.closedSince(start, 10)).map((h) => h.id)).toEqual(['h3', 'h2', 'h1']);
    expect((await b.closedSince(start + 1000, 10)).map((h) => h.id)).toEqual(['h3', 'h2']);
    expect((await b.closedSince(start, 1)).map((h) => h.id)).toEqual(['h3']);
    expect(await b.closedSince(start + 5000, 10)).toEqual([]);
  });

  test('annotate sets the told position and the rating, never the status, and creates nothing', async () => {
    const store = await backend.instance();
    await store.open(handoff('h1'));
    await store.annotate('h1', { toldPosition: 3 });
    await store.annotate('h1', { rating: 5 });
    expect(await store.get('h1')).toEqual({ ...handoff('h1'), toldPosition: 3, rating: 5 });
    await store.annotate('unknown', { rating: 1 });
    expect(await store.get('unknown')).toBeUndefined();
  });

  test('notes are kept in the order written, per handoff', async () => {
    const [a, b] = await twoInstances(backend);
    const note = (text: string) => ({ at: backend.clock.now(), agentId: 'wang', agentName: '小王', text });
    await a.addNote('h1', note('第一条'));
    await b.addNote('h1', note('第二条'));
    expect((await a.notes('h1')).map((n) => n.text)).toEqual(['第一条', '第二条']);
    expect(await a.notes('h2')).toEqual([]);
  });

  test('a ticket is listed, and closed once however many agents close it at once', async () => {
    const [a, b] = await twoInstances(backend);
    const ticket: Ticket = {
      id: 't1',
      conversation: 'webchat:c1',
      channel: 'webchat',
      locale: 'zh-CN',
      contact: '13800000002',
      text: '请回电',
      reason: 'user-request',
      createdAt: backend.clock.now(),
      status: 'open',
    };
    await a.addTicket(ticket);
    expect(await b.tickets()).toEqual([ticket]);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).closeTicket('t1', `agent-${i}`)));
    const closed = results.filter((r): r is Ticket => r !== undefined);
    expect(closed).toHaveLength(1);
    expect(closed[0]).toEqual({ ...ticket, status: 'done', closedBy: closed[0]?.closedBy });
    expect(await a.tickets()).toEqual([closed[0]]);
    expect(await a.closeTicket('unknown', 'wang')).toBeUndefined();
  });

  test('an agent is online until its touch runs out on the clock given, or it is dropped', async () => {
    const [a, b] = await twoInstances(backend);
    await a.touchPresence('wang', 30_000);
    await b.touchPresence('li', 90_000);
    expect((await b.agentsOnline()).sort()).toEqual(['li', 'wang']);
    backend.clock.advance(30_001);
    expect(await a.agentsOnline()).toEqual(['li']);
    await a.touchPresence('wang', 30_000);
    await b.dropPresence('li');
    expect(await b.agentsOnline()).toEqual(['wang']);
  });

  test('a shorter touch never cuts short a longer one (a console heartbeat after a click in Teams)', async () => {
    const [a, b] = await twoInstances(backend);
    await a.touchPresence('wang', 900_000);
    await b.touchPresence('wang', 45_000);
    backend.clock.advance(60_000);
    expect(await a.agentsOnline()).toEqual(['wang']);
  });

  test('an agent on duty (上班) is on duty on every instance until the end given or until ended; none holds forever but a null end', async () => {
    const [a, b] = await twoInstances(backend);
    expect(await b.onDuty()).toEqual([]);
    const start = backend.clock.now();
    await a.setDuty({ agentId: 'wang', name: '小王', since: start, until: start + 60_000 });
    await a.setDuty({ agentId: 'lin', name: '林晓', since: start, until: null });
    expect((await b.onDuty()).map((d) => d.agentId).sort()).toEqual(['lin', 'wang']);
    expect((await b.onDuty()).find((d) => d.agentId === 'wang')).toEqual({ agentId: 'wang', name: '小王', since: start, until: start + 60_000 });
    backend.clock.advance(60_001);
    expect((await a.onDuty()).map((d) => d.agentId)).toEqual(['lin']);
    await b.endDuty('lin');
    expect(await a.onDuty()).toEqual([]);
  });

  test("the Teams agents' channel and each handoff's card and thread are the same on every instance", async () => {
    const [a, b] = await twoInstances(backend);
    expect(await b.agentsChannel()).toBeUndefined();
    const channel = { conversation: '19:agents@thread.tacv2', serviceUrl: 'http://127.0.0.1:1/', tenantId: 't1' };
    await a.saveAgentsChannel(channel);
    expect(await b.agentsChannel()).toEqual(channel);
    const card = { activityId: '1700000000001', thread: '19:agents@thread.tacv2;messageid=1700000000001', serviceUrl: 'http://127.0.0.1:1/' };
    await a.saveTeamsCard('h1', card);
    expect(await b.teamsCard('h1')).toEqual(card);
    expect(await b.handoffOfThread(card.thread)).toBe('h1');
    expect(await b.teamsCard('h2')).toBeUndefined();
    expect(await b.handoffOfThread('19:agents@thread.tacv2;messageid=9')).toBeUndefined();
  });

  test(`handle times: the newest ${RECENT_HANDLE_TIMES} are kept`, async () => {
    const [a, b] = await twoInstances(backend);
    for (let ms = 1; ms <= RECENT_HANDLE_TIMES + 5; ms++) await (ms % 2 ? a : b).recordHandleTime(ms * 1000);
    const kept = (await a.handleTimes()).sort((x, y) => x - y);
    expect(kept).toEqual(Array.from({ length: RECENT_HANDLE_TIMES }, (_, i) => (i + 6) * 1000));
  });

  test('a transcript keeps its newest lines, oldest first; a reference is kept per conversation', async () => {
    const [a, b] = await twoInstances(backend);
    const line = (text: string, from: 'user' | 'bot' = 'user') => ({ at: backend.clock.now(), from, text });
    await a.appendTranscript('webchat:c1', [line('一'), line('二', 'bot')], 3);
    await b.appendTranscript('webchat:c1', [line('三'), line('四', 'bot')], 3);
    expect((await a.transcript('webchat:c1')).map((l) => l.text)).toEqual(['二', '三', '四']);
    expect(await a.transcript('webchat:c2')).toEqual([]);
    const reference = { conversation: { id: 'c1', isGroup: false, conversationType: 'personal', name: '' }, serviceUrl: 'http://127.0.0.1:1/' };
    await a.saveReference('webchat:c1', reference);
    expect(await b.reference('webchat:c1')).toEqual(reference);
    expect(await b.reference('webchat:c2')).toBeUndefined();
  });
}

/** What every ConsoleBus promises: an event reaches the consoles of every instance. */
export function consoleBusContract(makeBackend: () => Backend<ConsoleBus>): void {
  test('an event published on one instance reaches listeners on every instance; one unsubscribed hears no more', async () => {
    const backend = makeBackend();
    const [a, b] = await twoInstances(backend);
    const heardOnA: ConsoleEvent[] = [];
    const heardOnB: ConsoleEvent[] = [];
    const leaving: ConsoleEvent[] = [];
    a.subscribe((event) => heardOnA.push(event));
    b.subscribe((event) => heardOnB.push(event));
    const unsubscribe = b.subscribe((event) => leaving.push(event));
    const first: ConsoleEvent = { type: 'board' };
    await a.publish(first);
    await until(async () => heardOnA.length === 1 && heardOnB.length === 1 && leaving.length === 1);
    unsubscribe();
    const second: ConsoleEvent = { type: 'chat', id: 'h1' };
    await a.publish(second);
    // Events arrive in order: once the second has reached B, the unsubscribed listener had its chance.
    await until(async () => heardOnB.length === 2);
    expect(heardOnA).toEqual([first, second]);
    expect(heardOnB).toEqual([first, second]);
    expect(leaving).toEqual([first]);
  });
}
