import type restify from 'restify';

/**
 * The server's life: listening, the turns in flight (user turns and proactive ones), and a
 * shutdown that stops taking work, lets those turns finish within a grace period, then closes.
 */
export class Lifecycle {
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly stops: (() => void)[] = [];
  private stopping = false;
  private boundPort = 0;

  constructor(
    private readonly server: restify.Server,
    private readonly graceMs: number,
  ) {}

  /** True once shutdown has begun: new turns are refused, /readyz says not ready. */
  get draining(): boolean {
    return this.stopping;
  }

  /** The port bound by `listen` (0 before). */
  get port(): number {
    return this.boundPort;
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.boundPort = this.server.address().port;
        resolve(this.boundPort);
      });
    });
  }

  /** Work shutdown waits for (up to the grace period). */
  readonly track = async <T>(work: Promise<T>): Promise<T> => {
    this.inFlight.add(work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(work);
    }
  };

  /** Something stopped as soon as shutdown begins (timers, watchers, streams), in the order registered. */
  onShutdown(stop: () => void): void {
    this.stops.push(stop);
  }

  /** Stops accepting requests, lets in-flight turns finish (up to the grace period), closes, then runs `close`. */
  async shutdown(close: () => Promise<void>): Promise<void> {
    this.stopping = true;
    for (const stop of this.stops) stop();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.server.closeIdleConnections();
    const grace = new Promise<void>((resolve) => setTimeout(resolve, this.graceMs).unref());
    await Promise.race([Promise.allSettled([...this.inFlight]), grace]);
    this.server.server.closeAllConnections();
    await closed;
    await close();
  }
}
