import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Bot Framework channel for load generation: posts user activities to a bot's
 * /api/messages with serviceUrl pointing here, and resolves each conversation's pending
 * wait when the bot's reply arrives. One waiter per conversation: closed-loop users.
 */
export class BenchConnector {
  private readonly server = http.createServer((req, res) => this.receive(req, res));
  private readonly waiting = new Map<string, () => void>();
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
  serviceUrl = '';
  replies = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.serviceUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.agent.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private receive(req: http.IncomingMessage, res: http.ServerResponse): void {
    const conversation = decodeURIComponent(/^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '')?.[1] ?? '');
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end('{"id":"r"}');
      this.replies++;
      const wake = this.waiting.get(conversation);
      this.waiting.delete(conversation);
      wake?.();
    });
  }

  /** Sends one message and resolves when the first reply to it arrives; returns the milliseconds taken. */
  async send(botUrl: string, conversation: string, text: string): Promise<number> {
    const started = performance.now();
    const replied = new Promise<void>((resolve) => this.waiting.set(conversation, resolve));
    const body = JSON.stringify({
      type: 'message',
      id: `${conversation}-${started}`,
      channelId: 'emulator',
      serviceUrl: this.serviceUrl,
      conversation: { id: conversation },
      from: { id: `user-${conversation}`, role: 'user' },
      recipient: { id: 'bot', role: 'bot' },
      text,
      locale: 'zh-CN',
    });
    await new Promise<void>((resolve, reject) => {
      const req = http.request(`${botUrl}/api/messages`, { method: 'POST', agent: this.agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 || res.statusCode === 201 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no reply in ${conversation} within 30 s`)), 30_000)));
    try {
      await Promise.race([replied, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return performance.now() - started;
  }
}
