import { Client } from 'pg';
import type { Logger } from '../../logger';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 15_000;

/**
 * One connection of its own that LISTENs on `channel` and calls `onNotice` for each NOTIFY.
 * A pooled connection cannot hold a LISTEN (it goes back to the pool), hence a dedicated
 * client. When the database goes away the client is replaced, with growing waits; once
 * listening again `onNotice` is called once, since a notice sent meanwhile went unheard.
 */
export class PublicationListener {
  private client: Client | undefined;
  private retry: NodeJS.Timeout | undefined;
  private waitMs = FIRST_RETRY_MS;
  /** Set while not listening after a failure: what was published meanwhile went unheard. */
  private missed = false;
  private closed = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly channel: string,
    private readonly onNotice: () => void,
    private readonly logger: Logger,
  ) {
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new Client({ connectionString: this.databaseUrl, connectionTimeoutMillis: 5000, keepAlive: true, application_name: 'kefu-listen' });
    this.client = client;
    let lost = false;
    const reconnect = (error?: Error) => {
      if (lost || this.closed) return;
      lost = true;
      // Once per outage, not once per attempt.
      if (!this.missed) this.logger.warn({ err: error, retryInMs: this.waitMs }, 'knowledge version notices: database connection lost, reconnecting');
      this.missed = true;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      this.retry = setTimeout(() => void this.connect(), this.waitMs);
      this.retry.unref();
      this.waitMs = Math.min(this.waitMs * 2, MAX_RETRY_MS);
    };
    // Unhandled, a client's 'error' would end the process.
    client.on('error', reconnect);
    client.on('end', () => reconnect());
    client.on('notification', (message) => {
      if (message.channel === this.channel) this.onNotice();
    });
    try {
      await client.connect();
      // The channel is ours, a fixed identifier: LISTEN takes no parameters.
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      reconnect(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (this.closed) return void client.end().catch(() => undefined);
    this.waitMs = FIRST_RETRY_MS;
    if (this.missed) {
      this.missed = false;
      this.logger.info('knowledge version notices: listening again');
      this.onNotice();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
  }
}
