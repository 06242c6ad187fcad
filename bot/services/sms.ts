import { maskPhone } from '../../domain/mask';
import type { Logger } from '../logger';

/** One text message. `code` is set for one-time codes, so the dev outbox can show it. */
export interface SmsMessage {
  phone: string;
  text: string;
  kind: 'code' | 'notice' | 'reset-link';
  code?: string;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}

export class SmsError extends Error {
  override readonly name = 'SmsError';
}

export interface OutboxEntry {
  phone: string;
  text: string;
  code: string | null;
  sentAt: string;
}

const OUTBOX_LIMIT = 1000;

/**
 * Development SMS: nothing leaves the machine. Messages are kept in an outbox that local
 * tools and tests read (`GET /api/dev/sms`), like a mail catcher; the log only says that a
 * message went to a masked number — never its text, never a code.
 */
/** Keeps outbox entries where every instance's dev tools can read them (Redis). */
export interface SharedOutbox {
  push(entry: OutboxEntry, limit: number): Promise<void>;
  /** Oldest first. */
  list(): Promise<OutboxEntry[]>;
  clear(): Promise<void>;
}

export class ConsoleSmsOutbox implements SmsSender {
  private entries: OutboxEntry[] = [];

  constructor(
    private readonly logger: Logger,
    private readonly shared?: SharedOutbox,
  ) {}

  async send(message: SmsMessage): Promise<void> {
    const entry = { phone: message.phone, text: message.text, code: message.code ?? null, sentAt: new Date().toISOString() };
    this.entries.push(entry);
    if (this.entries.length > OUTBOX_LIMIT) this.entries.shift();
    await this.shared?.push(entry, OUTBOX_LIMIT);
    this.logger.info({ to: maskPhone(message.phone), kind: message.kind }, 'sms kept in the dev outbox');
  }

  /** Messages this instance sent to one number, newest first. */
  messagesTo(phone: string): OutboxEntry[] {
    return this.entries.filter((e) => e.phone === phone).reverse();
  }

  /** Messages any instance sent to one number (all of them share the outbox with Redis), newest first. */
  async sentTo(phone: string): Promise<OutboxEntry[]> {
    if (!this.shared) return this.messagesTo(phone);
    return (await this.shared.list()).filter((e) => e.phone === phone).reverse();
  }

  async reset(): Promise<void> {
    this.entries = [];
    await this.shared?.clear();
  }
}

/** Production SMS through the operator's gateway: `POST {to, text}` with a bearer token. */
export class WebhookSms implements SmsSender {
  constructor(
    private readonly options: { url: string; token: string; timeoutMs: number },
    private readonly logger: Logger,
  ) {}

  async send(message: SmsMessage): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ to: message.phone, text: message.text, kind: message.kind }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw new SmsError(`sms gateway unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!response.ok) throw new SmsError(`sms gateway answered HTTP ${response.status}`);
    this.logger.info({ to: maskPhone(message.phone), kind: message.kind }, 'sms sent');
  }
}
