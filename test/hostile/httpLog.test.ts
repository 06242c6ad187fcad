import { execFile } from 'node:child_process';
import path from 'node:path';
import type { Request, Response } from 'restify';
import { createLogger } from '../../bot/logger';
import { startKefu, type RunningKefu } from '../support/kefuServer';

/**
 * What an operator finds in the log after plain HTTP problems: one short line per problem in the
 * app's own JSON log (masked, at its level), never restify's dump of a whole request or response
 * (11 KB of headers, the agent's session cookie among them) on a logger of its own.
 */
const ROOT = path.resolve(__dirname, '../..');
const SESSION = 'kefu_agent=the-agent-session-token-0123456789';

let kefu: RunningKefu;
const lines: string[] = [];

beforeAll(async () => {
  kefu = await startKefu({}, undefined, createLogger('info', { write: (line: string) => void lines.push(line) }));
});
afterAll(async () => {
  await kefu?.stop();
});

/** The log lines written while `work` ran. */
async function logged(work: () => Promise<void>): Promise<string[]> {
  const before = lines.length;
  await work();
  // The response can reach the client a moment before restify's chain logs what follows it.
  await new Promise((resolve) => setImmediate(resolve));
  return lines.slice(before);
}

test('a 404 from GET /api/dev/accounts/<unknown number> writes at most one short line', async () => {
  const written = await logged(async () => {
    const response = await fetch(`${kefu.url}/api/dev/accounts/13900000009`, { headers: { cookie: SESSION } });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'no account with this number' });
  });
  expect(written.length).toBeLessThanOrEqual(1);
  for (const line of written) {
    expect(line.length).toBeLessThan(500);
    expect(line).not.toContain('Discarded returned value');
  }
});

test("restify's own warnings are one short, masked line each in the app's log", async () => {
  const server = kefu.app.server;
  // The two things restify warns about: a handler that resolves to a value (what `return
  // res.send(…)` does), and a body no formatter the client accepts can carry.
  server.get('/test-only/resolves-to-the-response/:phone', (async (_req: Request, res: Response) => res.send(200, { ok: true })) as never);
  server.get('/test-only/unformattable', async (_req: Request, res: Response) => {
    res.send(200, 'plain words');
  });
  const written = await logged(async () => {
    const response = await fetch(`${kefu.url}/test-only/resolves-to-the-response/13800000002?code=123456`, { headers: { cookie: SESSION } });
    expect(response.status).toBe(200);
    await response.text();
    const refused = await fetch(`${kefu.url}/test-only/unformattable`, { headers: { accept: 'image/png', cookie: SESSION } });
    await refused.text();
  });
  expect(written).toHaveLength(2);
  const [discarded, unformattable] = written.map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(discarded).toEqual(expect.objectContaining({ service: 'kefu', level: 40, msg: 'Discarded returned value from async handler', value: 'ServerResponse' }));
  expect(unformattable).toEqual(expect.objectContaining({ service: 'kefu', level: 40, req: 'GET /test-only/unformattable' }));
  for (const line of written) {
    expect(line.length).toBeLessThan(600);
    expect(line.trim().split('\n')).toHaveLength(1);
    expect(line).not.toContain('the-agent-session-token');
    expect(line).not.toContain('13800000002');
    expect(line).not.toContain('123456');
  }
});

test('the linter refuses a route handler that returns what res.send returns', async () => {
  const source = [
    "import type { Server } from 'restify';",
    'export function mount(server: Server): void {',
    "  server.get('/a/:id', async (req, res) => {",
    '    if (!req.params.id) return res.send(404, {});',
    '    res.send(200, {});',
    '  });',
    "  server.get('/b', async (_req, res) => res.send(204));",
    "  server.get('/c', async (_req, res) => {",
    '    [1].forEach((n) => {',
    '      return n;',
    '    });',
    '    return void res.send(204);',
    '  });',
    '}',
    '',
  ].join('\n');
  // The project's own configuration, run as `npm run lint` runs it (its config is an ES module jest cannot load).
  const report = await new Promise<string>((resolve, reject) => {
    const child = execFile(process.execPath, [path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--format', 'json', '--stdin', '--stdin-filename', 'bot/example.ts'], { cwd: ROOT }, (error, stdout) =>
      // Exit code 1 is "problems found", the answer expected here.
      error && error.code !== 1 ? reject(error) : resolve(stdout),
    );
    child.stdin?.end(source);
  });
  const [result] = JSON.parse(report) as { messages: { ruleId: string | null; line: number }[] }[];
  const refused = (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.line);
  expect(refused).toEqual([4, 7]);
});
