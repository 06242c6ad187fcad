import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

/**
 * The process guard, in a process of its own: a request whose handler throws outside any
 * promise (the way an event callback does) fails alone; the server keeps answering.
 */
const ROOT = path.resolve(__dirname, '../..');
const SERVER = `
  const http = require('node:http');
  const { guardProcess } = require('./dist/bot/processGuard');
  const { createLogger } = require('./dist/bot/logger');
  guardProcess(createLogger('info'));
  const server = http.createServer((req, res) => {
    if (req.url === '/throw') setImmediate(() => { throw new Error('thrown by one request'); });
    else if (req.url === '/reject') Promise.reject(new Error('rejected by one request'));
    else res.end('still here');
  });
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
`;

test('an error thrown or rejected by one request is logged, and the next request is served', async () => {
  const child = spawn(process.execPath, ['-e', SERVER], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const port = await new Promise<number>((resolve) =>
      readline.createInterface({ input: child.stdout }).on('line', (line) => {
        lines.push(line);
        const announced = JSON.parse(line) as { port?: number };
        if (announced.port) resolve(announced.port);
      }),
    );
    const base = `http://127.0.0.1:${port}`;
    // These two never answer; their sockets are dropped after the error is logged.
    for (const failing of ['/throw', '/reject']) await fetch(`${base}${failing}`, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
    expect(await (await fetch(`${base}/ok`)).text()).toBe('still here');
    expect(child.exitCode).toBeNull();
    // The log lines travel through a pipe: give them time to arrive.
    const deadline = Date.now() + 10_000;
    while (lines.filter((line) => line.includes('keeps serving')).length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const logged = lines.map((line) => JSON.parse(line) as { msg?: string; err?: { message?: string } });
    expect(logged).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ msg: expect.stringContaining('uncaught exception'), err: expect.objectContaining({ message: 'thrown by one request' }) }),
        expect.objectContaining({ msg: expect.stringContaining('unhandled rejection'), err: expect.objectContaining({ message: 'rejected by one request' }) }),
      ]),
    );
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
});
