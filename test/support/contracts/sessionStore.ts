import type { Agent } from '../../../bot/handoff/service';
import type { AgentSessionStore } from '../../../bot/handoff/sessions';
import { counters } from '../../../bot/handoff/signInLimits';
import { twoInstances, type Backend } from './backend';

/**
 * What every AgentSessionStore promises (bot/handoff/sessions.ts): a session is found by its
 * token's hash on any instance until it is deleted or its lifetime ends; sign-in attempt
 * counters are shared and forgotten after their window (their races: test/redis/signInLimits.test.ts).
 */
export function sessionStoreContract(makeBackend: () => Backend<AgentSessionStore>): void {
  let backend: Backend<AgentSessionStore>;
  beforeEach(() => {
    backend = makeBackend();
  });

  const wang: Agent = { id: 'wang', name: '小王' };
  const li: Agent = { id: 'li', name: '小李' };

  test('a session is found by its hash on any instance until deleted', async () => {
    const [a, b] = await twoInstances(backend);
    await a.put('hash-1', wang, 3_600_000);
    await a.put('hash-2', li, 3_600_000);
    expect(await b.get('hash-1')).toEqual(wang);
    expect(await b.get('unknown')).toBeUndefined();
    await b.delete('hash-1');
    expect(await a.get('hash-1')).toBeUndefined();
    expect(await a.get('hash-2')).toEqual(li);
    await b.delete('unknown');
  });

  test('a session ends with its lifetime; a longer one goes on', async () => {
    const [a, b] = await twoInstances(backend);
    await a.put('short', wang, 200);
    await a.put('long', li, 3_600_000);
    expect(await b.get('short')).toEqual(wang);
    await backend.elapse(300);
    expect(await b.get('short')).toBeUndefined();
    expect(await b.get('long')).toEqual(li);
  });

  test('putting a hash again replaces the agent and the lifetime', async () => {
    const store = await backend.instance();
    await store.put('hash-1', wang, 200);
    await store.put('hash-1', li, 3_600_000);
    await backend.elapse(300);
    expect(await store.get('hash-1')).toEqual(li);
  });

  test('attempt counters are shared by the instances and forgotten after their window', async () => {
    const [a, b] = await twoInstances(backend);
    const name = counters.name('wang');
    const windowMs = 300;
    for (let i = 0; i < 5; i++) expect(await (i % 2 ? a : b).reserveAttempt([name], windowMs)).toBe(0);
    expect(await a.reserveAttempt([name], windowMs)).toBeGreaterThan(0);
    await backend.elapse(windowMs + 100);
    for (let i = 0; i < 5; i++) expect(await (i % 2 ? a : b).reserveAttempt([name], windowMs)).toBe(0);
  });
}
