import { ConversationBusyError, type TurnLock } from '../turnLock';

/** One process: a promise chain per conversation. */
export class MemoryTurnLock implements TurnLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(private readonly waitMs: number) {}

  async run<T>(conversation: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(conversation);
    let release = () => {};
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous ? previous.then(() => mine) : mine;
    this.tails.set(conversation, tail);
    try {
      // Usually nobody is ahead: then there is nothing to wait for, and no timer to set.
      if (previous) {
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.waitMs)));
        const turn = await Promise.race([previous.then(() => 'go' as const), timedOut]);
        clearTimeout(timer);
        if (turn === 'timeout') throw new ConversationBusyError(`conversation busy for ${this.waitMs} ms`);
      }
      return await work();
    } finally {
      release();
      if (this.tails.get(conversation) === tail) this.tails.delete(conversation);
    }
  }
}
