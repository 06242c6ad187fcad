import http from 'node:http';
import type { AddressInfo } from 'node:net';
import crypto from 'node:crypto';

/** What the bot posted to the connector, as the channel received it. */
export interface SentActivity {
  type: string;
  text?: string;
  locale?: string;
  replyToId?: string;
  suggestedActions?: { actions: { type: string; title: string; value: string }[] };
  conversation?: { id: string };
  [key: string]: unknown;
}

/**
 * A stand-in for a Bot Framework channel: a connector server that records what the bot
 * sends (`POST /v3/conversations/:id/activities[/:replyTo]`), and a client that posts
 * user activities to the bot's `/api/messages` with `serviceUrl` pointing at itself —
 * exactly what the Bot Framework Emulator does.
 */
export class FakeChannel {
  private readonly server = http.createServer((req, res) => this.receive(req, res));
  private readonly received = new Map<string, SentActivity[]>();
  private waiters: (() => void)[] = [];
  /** Delay before the connector answers the bot, to hold a turn open. */
  replyDelayMs = 0;
  private held: { arrived: () => void; responses: (() => void)[] } | undefined;
  serviceUrl = '';

  constructor(private readonly botUrl: () => string) {}

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.serviceUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private receive(req: http.IncomingMessage, res: http.ServerResponse): void {
    const match = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const respond = () => {
        if (!match?.[1] || req.method !== 'POST') {
          res.statusCode = 404;
          res.end();
          return;
        }
        const conversation = decodeURIComponent(match[1]);
        const activity = JSON.parse(body) as SentActivity;
        const list = this.received.get(conversation) ?? [];
        list.push(activity);
        this.received.set(conversation, list);
        res.statusCode = 200;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id: crypto.randomUUID() }));
        const waiters = this.waiters;
        this.waiters = [];
        waiters.forEach((wake) => wake());
      };
      if (this.held) {
        this.held.responses.push(respond);
        this.held.arrived();
      } else if (this.replyDelayMs > 0) setTimeout(respond, this.replyDelayMs);
      else respond();
    });
  }

  /**
   * Holds the bot's replies at the connector until `release`: the turn that sent them stays
   * open for as long as a test needs, however slow the machine. `arrived` resolves when the
   * first reply is waiting, that is when a turn is certainly in flight.
   */
  holdReplies(): { arrived: Promise<void>; release(): void } {
    let arrived = () => {};
    const first = new Promise<void>((resolve) => (arrived = resolve));
    const held = { arrived, responses: [] as (() => void)[] };
    this.held = held;
    return {
      arrived: first,
      release: () => {
        if (this.held === held) this.held = undefined;
        held.responses.splice(0).forEach((respond) => respond());
      },
    };
  }

  /** Everything the bot sent into a conversation so far (messages and events). */
  sent(conversationId: string): SentActivity[] {
    return [...(this.received.get(conversationId) ?? [])];
  }

  /** All messages the bot sent into a conversation so far. */
  messages(conversationId: string): SentActivity[] {
    return (this.received.get(conversationId) ?? []).filter((a) => a.type === 'message');
  }

  /** Waits until the conversation has at least `count` bot messages (generous by default: CI machines are busy). */
  async waitForMessages(conversationId: string, count: number, timeoutMs = 30_000): Promise<SentActivity[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages(conversationId).length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} bot messages in ${conversationId}, got ${this.messages(conversationId).length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.messages(conversationId);
  }

  /** Posts a raw body to the bot; returns the HTTP status and parsed body. */
  async post(body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.botUrl()}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // keep the raw text
    }
    return { status: response.status, body: parsed };
  }

  private activity(conversationId: string, fields: Record<string, unknown>): Record<string, unknown> {
    return {
      id: crypto.randomUUID(),
      channelId: 'emulator',
      serviceUrl: this.serviceUrl,
      conversation: { id: conversationId },
      from: { id: `user-${conversationId}`, name: 'User', role: 'user' },
      recipient: { id: 'kefu-bot', name: 'Kefu', role: 'bot' },
      timestamp: new Date().toISOString(),
      ...fields,
    };
  }

  /** The user opens the chat (what Web Chat and the Emulator send first). */
  join(conversationId: string, locale = 'zh-CN') {
    return this.post(
      this.activity(conversationId, {
        type: 'conversationUpdate',
        locale,
        membersAdded: [{ id: 'kefu-bot', name: 'Kefu' }, { id: `user-${conversationId}`, name: 'User' }],
      }),
    );
  }

  /** The user types a message (or submits a card with `value`). */
  say(conversationId: string, text: string | undefined, extra: Record<string, unknown> = {}) {
    return this.post(this.activity(conversationId, { type: 'message', text, locale: 'zh-CN', ...extra }));
  }

  /** Says something and waits for exactly the bot messages it produces to arrive. */
  async ask(conversationId: string, text: string, extra: Record<string, unknown> = {}, expected = 1): Promise<SentActivity[]> {
    const before = this.messages(conversationId).length;
    const { status } = await this.say(conversationId, text, extra);
    if (status !== 200) throw new Error(`bot answered HTTP ${status}`);
    const all = await this.waitForMessages(conversationId, before + expected);
    return all.slice(before);
  }
}
