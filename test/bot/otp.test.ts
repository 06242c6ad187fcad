import { Redis } from 'ioredis';
import { OTP_RULES, OtpService, type OtpStore } from '../../bot/services/otp';
import { MemoryOtpStore } from '../../bot/storage/memory/otpStore';
import type { SmsMessage, SmsSender } from '../../bot/services/sms';
import { RedisOtpStore } from '../../bot/storage/redis/otpStore';
import { RedisServer } from '../support/redis';

class Clock {
  ms = Date.UTC(2026, 10, 22, 2, 0, 0);
  now = () => this.ms;
  advance(ms: number) {
    this.ms += ms;
  }
}

function setup(makeStore: (now: () => number) => OtpStore = (now) => new MemoryOtpStore(now)) {
  const clock = new Clock();
  const sent: SmsMessage[] = [];
  const sms: SmsSender = { send: async (m) => void sent.push(m) };
  const store = makeStore(clock.now);
  const otp = new OtpService(store, sms, 'a-server-secret-of-at-least-32-chars!!', clock.now);
  const lastCode = () => sent.at(-1)?.code ?? '';
  return { clock, sent, store, otp, lastCode };
}

const wrongFor = (right: string) => (right === '000000' ? '111111' : '000000');

describe('one-time codes', () => {
  test('6 digits, sent by SMS, stored only as an HMAC, valid once', async () => {
    let store = new MemoryOtpStore();
    const { otp, sent, lastCode } = setup((now) => (store = new MemoryOtpStore(now)));
    expect(await otp.send('13800000002', 'unlock', 'zh-CN')).toEqual({ status: 'sent' });
    expect(lastCode()).toMatch(/^\d{6}$/);
    expect(sent[0]?.text).toContain(lastCode());
    expect(sent[0]?.text).toContain('请勿告诉任何人');
    const record = store.record({ phone: '13800000002', purpose: 'unlock' });
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

/**
 * The same rules on every store, and under concurrency: guesses that arrive at once (from
 * many conversations, on many instances) are taken one at a time, so at most 5 are ever
 * compared and a code is accepted once. Run on memory and on a real Redis.
 */
let redisServer: RedisServer;
let redis: Redis;
beforeAll(async () => {
  redisServer = await RedisServer.start();
  redis = new Redis(redisServer.url);
});
afterAll(async () => {
  redis?.disconnect();
  await redisServer?.destroy();
});

describe.each([
  ['memory', (now: () => number) => new MemoryOtpStore(now) as OtpStore],
  ['Redis', () => new RedisOtpStore(redis) as OtpStore],
])('one-time codes on %s', (_name, makeStore) => {
  beforeEach(async () => {
    await redis.flushdb();
  });

  test('100 wrong guesses at once: 4 counted wrong, 1 kills the code, none other compared; then the right code is refused', async () => {
    const { otp, lastCode } = setup(makeStore);
    await otp.send('13800000002', 'unlock', 'zh-CN');
    const right = lastCode();
    const results = await Promise.all(Array.from({ length: 100 }, () => otp.verify('13800000002', 'unlock', wrongFor(right))));
    const count = (status: string) => results.filter((r) => r.status === status).length;
    expect([count('wrong'), count('used-up'), count('none')]).toEqual([OTP_RULES.maxAttempts - 1, 1, 100 - OTP_RULES.maxAttempts]);
    expect(results.filter((r) => r.status === 'wrong').map((r) => (r.status === 'wrong' ? r.attemptsLeft : 0)).sort()).toEqual([1, 2, 3, 4]);
    expect((await otp.verify('13800000002', 'unlock', right)).status).toBe('none');
  });

  test('the right code sent 50 times at once is accepted exactly once', async () => {
    const { otp, lastCode } = setup(makeStore);
    await otp.send('13800000002', 'unlock', 'zh-CN');
    const results = await Promise.all(Array.from({ length: 50 }, () => otp.verify('13800000002', 'unlock', lastCode())));
    expect(results.filter((r) => r.status === 'ok')).toHaveLength(1);
    expect(await otp.verify('13800000002', 'unlock', lastCode())).toEqual({ status: 'none' });
  });

  test('wrong and right guesses racing: the right one wins only if fewer than 5 wrong ones came first', async () => {
    const { otp, lastCode } = setup(makeStore);
    await otp.send('13800000002', 'unlock', 'zh-CN');
    const right = lastCode();
    const guesses = [...Array.from({ length: 20 }, () => wrongFor(right)), right, right, right];
    const results = await Promise.all(guesses.map((code) => otp.verify('13800000002', 'unlock', code)));
    const compared = results.filter((r) => r.status !== 'none');
    expect(compared.length).toBeLessThanOrEqual(OTP_RULES.maxAttempts);
    expect(results.filter((r) => r.status === 'ok').length).toBeLessThanOrEqual(1);
  });

  test('sends at once: one code goes out, the others are told to wait', async () => {
    const { otp, sent } = setup(makeStore);
    const results = await Promise.all(Array.from({ length: 20 }, () => otp.send('13800000002', 'unlock', 'zh-CN')));
    expect(results.filter((r) => r.status === 'sent')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'too-soon')).toHaveLength(19);
    expect(sent).toHaveLength(1);
  });

  test('expiry, resend wait, daily cap and clear()', async () => {
    const { otp, clock, store, lastCode } = setup(makeStore);
    await otp.send('13800000002', 'unlock', 'zh-CN');
    clock.advance(30_000);
    expect(await otp.send('13800000002', 'unlock', 'zh-CN')).toEqual({ status: 'too-soon', retryInSeconds: 30 });
    clock.advance(OTP_RULES.ttlMs);
    expect(await otp.verify('13800000002', 'unlock', lastCode())).toEqual({ status: 'expired' });
    for (let i = 1; i < OTP_RULES.maxSendsPerDay; i++) {
      expect((await otp.send('13800000002', 'unlock', 'zh-CN')).status).toBe('sent');
      clock.advance(61_000);
    }
    expect(await otp.send('13800000002', 'unlock', 'zh-CN')).toEqual({ status: 'daily-limit' });
    await store.clear();
    expect((await otp.send('13800000002', 'unlock', 'zh-CN')).status).toBe('sent');
    expect((await otp.verify('13800000002', 'unlock', lastCode())).status).toBe('ok');
  });
});
