import { answeringLater } from '../../bot/storage/memory/answerLater';

class Counter {
  count = 0;
  async add(n: number): Promise<number> {
    this.count += n;
    return this.count;
  }
  async fail(): Promise<never> {
    throw new Error('store failed');
  }
  peek(): number {
    return this.count;
  }
}

describe('answeringLater: a memory store answering on a later loop turn, as Redis does', () => {
  test('values and errors come through unchanged; synchronous members stay synchronous', async () => {
    const store = answeringLater(new Counter());
    await expect(store.add(2)).resolves.toBe(2);
    await expect(store.add(3)).resolves.toBe(5);
    await expect(store.fail()).rejects.toThrow('store failed');
    expect(store.peek()).toBe(5);
    expect(store.count).toBe(5);
  });

  test('an answer waits for the next loop turn, so other work queued meanwhile runs first', async () => {
    const store = answeringLater(new Counter());
    const order: string[] = [];
    const answer = store.add(1).then(() => order.push('store'));
    setImmediate(() => order.push('other turn'));
    await answer;
    expect(order).toEqual(['other turn', 'store']);
  });

  test('a failing call is never reported as an unhandled rejection while it waits', async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      const store = answeringLater(new Counter());
      const failing = store.fail();
      await new Promise((resolve) => setImmediate(resolve));
      await expect(failing).rejects.toThrow('store failed');
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', listener);
    }
  });
});
