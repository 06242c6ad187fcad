import type { Throttle } from '../../../bot/storage/throttle';
import { twoInstances, type Backend } from './backend';

/** What every Throttle promises: one call per key and window passes, however many instances ask at once. */
export function throttleContract(makeBackend: () => Backend<Throttle>): void {
  test('ten calls at once on two instances: one passes; keys are apart; after the window one passes again', async () => {
    const backend = makeBackend();
    const [a, b] = await twoInstances(backend);
    const passed = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).pass('typing:agent:h1', 2000)));
    expect(passed.filter(Boolean)).toHaveLength(1);
    expect(await a.pass('typing:user:h1', 2000)).toBe(true);
    expect(await b.pass('typing:agent:h1', 2000)).toBe(false);
    await backend.elapse(2100);
    expect(await b.pass('typing:agent:h1', 2000)).toBe(true);
    expect(await a.pass('typing:agent:h1', 2000)).toBe(false);
  });
}
