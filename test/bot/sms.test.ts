import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { SmsError, WebhookSms } from '../../bot/services/sms';
import { MemoryKbSignalLog } from '../../bot/storage/memory/kbSignalLog';

describe('webhook SMS provider', () => {
  test('posts {to, text, kind} with the bearer token; a failing gateway is an SmsError', async () => {
    const received: { auth?: string; body: string }[] = [];
    let status = 200;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ auth: req.headers.authorization, body });
        res.statusCode = status;
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
    try {
      const sms = new WebhookSms({ url, token: 'gw-token', timeoutMs: 1000 }, pino({ level: 'silent' }));
      await sms.send({ phone: '13800000002', text: '验证码 123456', kind: 'code', code: '123456' });
      expect(received[0]).toEqual({ auth: 'Bearer gw-token', body: JSON.stringify({ to: '13800000002', text: '验证码 123456', kind: 'code' }) });
      status = 502;
      await expect(sms.send({ phone: '13800000002', text: 'x', kind: 'notice' })).rejects.toThrow(SmsError);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

test('questions kept for the KB authors never hold a code, a phone or an ID number in full', async () => {
  const log = new MemoryKbSignalLog();
  await log.append({ kind: 'unanswered', question: '我的号13800000002 验证码802560 身份证11010519491231002X', locale: 'zh-CN' }, 'c1');
  const [stored] = await log.list();
  expect(stored?.question).toBe('我的号138****0002 验证码****** 身份证110***********002X');
});
