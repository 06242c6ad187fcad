/**
 * A cap on concurrent expensive work (password hashing): at most `running` jobs at once and
 * `waiting` more queued; past that the caller is told at once, to answer 503 instead of
 * piling jobs into libuv's small thread pool, where they would delay every file read.
 */
export class WorkSlots {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    private readonly running: number,
    private readonly waiting: number,
  ) {}

  /** Runs `work` in a slot (after a wait in the queue if need be); undefined when there is no room. */
  tryRun<T>(work: () => Promise<T>): Promise<T> | undefined {
    if (this.active >= this.running && this.queue.length >= this.waiting) return undefined;
    return this.acquire().then(async () => {
      try {
        return await work();
      } finally {
        this.release();
      }
    });
  }

  private acquire(): Promise<void> {
    if (this.active < this.running) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  /** A finished job hands its slot straight to the next in the queue. */
  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.active -= 1;
  }
}
