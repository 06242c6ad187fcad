import net from 'node:net';

/**
 * One request written byte for byte to a server, as a hostile client would: no client
 * library normalising the target or the headers first. Resolves with the status code of the
 * answer, or 0 when the server closed the connection without one.
 */
export async function rawRequest(url: string, head: string, body = ''): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    let answer = '';
    const done = () => {
      socket.destroy();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      resolve(status ? Number(status[1]) : 0);
    };
    socket.setTimeout(15_000, done);
    socket.once('connect', () => socket.write(`${head}\r\n\r\n${body}`));
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) done();
    });
    socket.once('error', done);
    socket.once('close', done);
  });
}

/** A WebSocket upgrade request for a target, raw. */
export function upgradeHead(target: string, host = '127.0.0.1'): string {
  return [
    `GET ${target} HTTP/1.1`,
    `Host: ${host}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
  ].join('\r\n');
}
