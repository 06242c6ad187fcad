import http from 'node:http';
import net from 'node:net';

/**
 * A second entrance to an in-process server whose connections look as if they came from
 * another machine: each socket accepted here reports `addressOf(n)` (n counts connections)
 * as its peer and is handed to the server like one of its own. Address rules are tested
 * through the real HTTP stack without traffic leaving 127.0.0.1.
 */
export interface RemoteEntrance {
  url: string;
  close(): Promise<void>;
}

export async function remoteEntrance(server: http.Server, addressOf: (n: number) => string = () => '203.0.113.7'): Promise<RemoteEntrance> {
  let count = 0;
  const door = net.createServer((socket) => {
    Object.defineProperty(socket, 'remoteAddress', { value: addressOf(count++), configurable: true });
    server.emit('connection', socket);
  });
  await new Promise<void>((resolve) => door.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(door.address() as net.AddressInfo).port}`,
    // Stops listening; the sockets already handed over are the server's to close.
    close: () => new Promise<void>((resolve) => door.close(() => resolve())),
  };
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

/** One request on a connection of its own (so each gets its own peer address above). */
export function request(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent: false,
        headers: { ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
