/** The clock a store is given: a test moves it instead of waiting. */
export class TestClock {
  ms = Date.UTC(2026, 10, 22, 2, 0, 0);
  now = () => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

/**
 * One backend as a contract suite sees it. Each `instance()` is another instance of the bot
 * over the same shared state: on Redis a store with its own connection, in memory the one
 * store of the process (memory mode has one instance).
 */
export interface Backend<S> {
  instance(): Promise<S>;
  clock: TestClock;
  /**
   * Lets `ms` pass: the test clock for what the store times with the clock it was given, and
   * on Redis real time too, for keys Redis expires on its own clock.
   */
  elapse(ms: number): Promise<void>;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Two instances of one backend (the same one twice in memory). */
export async function twoInstances<S>(backend: Backend<S>): Promise<[S, S]> {
  return [await backend.instance(), await backend.instance()];
}
