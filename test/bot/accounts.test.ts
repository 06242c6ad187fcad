import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { AccountBackendError, type Account } from '../../domain/accounts';
import { AgentDirectory, DEMO_AGENTS_FILE } from '../../bot/handoff/agents';
import { addBusinessDays, DEMO_ACCOUNTS, DEMO_ID_LAST4, DemoDirectory } from '../../bot/services/demoDirectory';
import { HttpAccounts } from '../../bot/services/httpAccounts';

describe('demo directory', () => {
  test("is seeded exactly as the README's demo directory says, which links to where the seed lives", async () => {
    // README.md is part of every clone: reading it fails the test if it is ever missing.
    const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    expect(readme).not.toContain('../shared');
    expect(readme).toContain('[`bot/services/demoDirectory.ts`](bot/services/demoDirectory.ts)');
    const rows = [...readme.matchAll(/^\| (1\d{10}) \| (\S+) \| (\d{4}) \| ([^|]+?) \| [^|]+ \|$/gm)].map((m) => [m[1], m[2], m[3], m[4]]);
    const reasonOf = (a: Account) => (a.status === 'locked' ? a.lockReason : a.status === 'closed' ? a.closureReason : undefined);
    const seeded = DEMO_ACCOUNTS.map((a) => [a.phone, a.name, DEMO_ID_LAST4[a.id], `${a.status}${reasonOf(a) ? ` (${reasonOf(a)!.replaceAll('_', ' ')})` : ''}`]);
    expect(rows).toEqual(seeded);
    expect(rows).toHaveLength(8);

    const directory = new DemoDirectory();
    for (const seed of DEMO_ACCOUNTS) expect(await directory.findByPhone(seed.phone)).toEqual(seed);
    expect(await directory.findByPhone('13900000000')).toBeUndefined();
  });

  test("the README's demo staff sign in with the passwords it gives, and are every demo agent", async () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    expect(readme).toContain(`[\`${DEMO_AGENTS_FILE}\`](${DEMO_AGENTS_FILE})`);
    const staff = [...readme.matchAll(/^\| (\w+) \| (kefu-demo-\w+) \| (\S+) \| (agent|lead)\b[^|]* \|$/gm)];
    const agents = AgentDirectory.fromFile(DEMO_AGENTS_FILE);
    expect(staff).toHaveLength(agents.size);
    for (const [, id, password, name, role] of staff) expect(await agents.authenticate(id!, password!)).toEqual({ id, name, role });
  });

  test('unlock, phone change and appeals change the directory until reset', async () => {
    const directory = new DemoDirectory(() => new Date('2026-11-20T10:00:00+08:00'));
    const locked = (await directory.findByPhone('13800000003'))!;
    expect((await directory.unlock(locked.id)).status).toBe('active');
    await expect(directory.unlock(locked.id)).rejects.toThrow(AccountBackendError);

    const user = (await directory.findByPhone('13800000008'))!;
    await expect(directory.changePhone(user.id, '13800000001')).rejects.toThrow(/bound to another account/);
    expect(await directory.isPhoneFree('13900000000')).toBe(true);
    await directory.changePhone(user.id, '13900000000');
    expect((await directory.findByPhone('13900000000'))?.name).toBe('吴十');

    const closed = (await directory.findByPhone('13800000005'))!;
    const appeal = await directory.createAppeal(closed.id, { explanation: '我的身份证件已更新，请重新审核。', attachments: [] });
    expect(appeal.id).toMatch(/^AP-20261120-[0-9A-Z]{4}$/);
    // Friday 20 Nov + 3 business days = Wednesday 25 Nov.
    expect(appeal.answerBy.slice(0, 10)).toBe('2026-11-25');
    expect(await directory.getCase(appeal.id)).toEqual(appeal);
    await expect(directory.createAppeal(user.id, { explanation: 'x'.repeat(20), attachments: [] })).rejects.toThrow(/not closed/);

    directory.reset();
    expect((await directory.findByPhone('13800000003'))?.status).toBe('locked');
    expect(await directory.findByPhone('13900000000')).toBeUndefined();
    expect(await directory.getCase(appeal.id)).toBeUndefined();
  });

  test('business days skip weekends', () => {
    expect(addBusinessDays(new Date('2026-11-23T09:00:00+08:00'), 3).toISOString().slice(0, 10)).toBe('2026-11-26');
  });
});

describe('HTTP account port', () => {
  let server: http.Server;
  let baseUrl: string;
  const seen: { method: string; url: string; auth: string | undefined; body: string }[] = [];
  let respond: (req: http.IncomingMessage, res: http.ServerResponse) => void = () => undefined;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
        respond(req, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const json = (status: number, body: unknown) => (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  };
  const accounts = () => new HttpAccounts({ baseUrl, apiKey: 'key-123', timeoutMs: 300 });

  test('reads a validated account, sending the API key', async () => {
    respond = json(200, { id: 'a1', phone: '13800000002', name: '李四', status: 'locked', lockReason: 'wrong_password' });
    expect(await accounts().findByPhone('13800000002')).toEqual(expect.objectContaining({ status: 'locked', lockReason: 'wrong_password' }));
    expect(seen.at(-1)).toEqual(expect.objectContaining({ method: 'GET', url: '/v1/accounts/by-phone/13800000002', auth: 'Bearer key-123' }));
  });

  test('404 on a lookup means "no such account"', async () => {
    respond = json(404, { error: 'not found' });
    expect(await accounts().findByPhone('13900000000')).toBeUndefined();
  });

  test('writes send JSON bodies', async () => {
    respond = json(200, { id: 'a8', phone: '13900000000', name: '吴十', status: 'active' });
    await accounts().changePhone('a8', '13900000000');
    expect(seen.at(-1)).toEqual(expect.objectContaining({ method: 'PUT', url: '/v1/accounts/a8/phone', body: '{"phone":"13900000000"}' }));
  });

  test.each([
    ['an unexpected body', json(200, { id: 'a1', status: 'weird' }), /unexpected response/],
    ['a server error', json(500, { error: 'boom' }), /HTTP 500/],
    ['a body that is not JSON', (_q: http.IncomingMessage, s: http.ServerResponse) => s.end('<html>'), /not JSON/],
    ['a timeout', () => undefined, /timed out after 300 ms/],
  ])('%s becomes one AccountBackendError', async (_name, handler, message) => {
    respond = handler;
    const error = await accounts().unlock('a1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccountBackendError);
    expect((error as Error).message).toMatch(message);
  });
});
