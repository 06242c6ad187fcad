import { MemoryOtpStore, OTP_RULES, OtpService } from '../../bot/services/otp';
import type { SmsMessage, SmsSender } from '../../bot/services/sms';

class Clock {
  ms = Date.UTC(2026, 10, 22, 2, 0, 0);
  now = () => this.ms;
  advance(ms: number) {
    this.ms += ms;
  }
}

function setup() {
  const clock = new Clock();
  const sent: SmsMessage[] = [];
  const sms: SmsSender = { send: async (m) => void sent.push(m) };
  const store = new MemoryOtpStore(clock.now);
  const otp = new OtpService(store, sms, 'a-server-secret-of-at-least-32-chars!!', clock.now);
  const lastCode = () => sent.at(-1)?.code ?? '';
  return { clock, sent, store, otp, lastCode };
}

describe('one-time codes', () => {
  test('6 digits, sent by SMS, stored only as an HMAC, valid once', async () => {
    const { otp, sent, store, lastCode } = setup();
    expect(await otp.send('13800000002', 'unlock', 'zh-CN')).toEqual({ status: 'sent' });
    expect(lastCode()).toMatch(/^\d{6}$/);
    expect(sent[0]?.text).toContain(lastCode());
    expect(sent[0]?.text).toContain('请勿告诉任何人');
    const record = await store.get('unlock:13800000002');
    expect(record?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(record)).not.toContain(lastCode());
    expect(await otp.verify('13800000002', 'unlock', lastCode())).toEqual({ status: 'ok' });
    expect(await otp.verify('13800000002', 'unlock', lastCode())).toEqual({ status: 'none' });
  });

  test('a code is bound to its number and purpose', async () => {
    const { otp, lastCode } = setup();
    await otp.send('13800000002', 'unlock', 'zh-CN');
    const code = lastCode();
    expect((await otp.verify('13800000003', 'unlock', code)).status).toBe('none');
    expect((await otp.verify('13800000002', 'appeal', code)).status).toBe('none');
    expect((await otp.verify('13800000002', 'unlock', code)).status).toBe('ok');
  });

  test('expires after 5 minutes', async () => {
    const { otp, clock, lastCode } = setup();
    await otp.send('13800000002', 'unlock', 'zh-CN');
    clock.advance(OTP_RULES.ttlMs + 1);
    expect((await otp.verify('13800000002', 'unlock', lastCode())).status).not.toBe('ok');
  });

  test('resend is refused before 60 s, then replaces the old code', async () => {
    const { otp, clock, lastCode } = setup();
    await otp.send('13800000002', 'unlock', 'zh-CN');
    const first = lastCode();
    clock.advance(30_000);
    expect(await otp.send('13800000002', 'unlock', 'zh-CN')).toEqual({ status: 'too-soon', retryInSeconds: 30 });
    clock.advance(30_000);
    expect(await otp.send('13800000002', 'unlock', 'zh-CN')).toEqual({ status: 'sent' });
    const second = lastCode();
    if (first !== second) expect((await otp.verify('13800000002', 'unlock', first)).status).toBe('wrong');
    expect((await otp.verify('13800000002', 'unlock', second)).status).toBe('ok');
  });

  test('5 wrong entries kill the code', async () => {
    const { otp, lastCode } = setup();
    await otp.send('13800000002', 'unlock', 'zh-CN');
    const right = lastCode();
    const wrong = right === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 1; left--) expect(await otp.verify('13800000002', 'unlock', wrong)).toEqual({ status: 'wrong', attemptsLeft: left });
    expect(await otp.verify('13800000002', 'unlock', wrong)).toEqual({ status: 'used-up' });
    expect((await otp.verify('13800000002', 'unlock', right)).status).toBe('none');
  });

  test('at most 10 sends per number per day', async () => {
    const { otp, clock } = setup();
    for (let i = 0; i < OTP_RULES.maxSendsPerDay; i++) {
      expect((await otp.send('13800000002', 'unlock', 'zh-CN')).status).toBe('sent');
      clock.advance(61_000);
    }
    expect(await otp.send('13800000002', 'unlock', 'zh-CN')).toEqual({ status: 'daily-limit' });
    expect((await otp.send('13800000003', 'unlock', 'zh-CN')).status).toBe('sent');
    clock.advance(24 * 3600_000);
    expect((await otp.send('13800000002', 'unlock', 'zh-CN')).status).toBe('sent');
  });
});
