import { OTP_RULES, type OtpRecord, type OtpSlot, type OtpStore } from '../../../bot/services/otp';
import { twoInstances, type Backend } from './backend';

/**
 * What every OtpStore promises (bot/services/otp.ts): a code is accepted once, at most
 * `maxAttempts` guesses are compared, a resend waits and replaces, a number's sends are
 * capped per day — each step atomic, on any instance.
 */
export function otpStoreContract(makeBackend: () => Backend<OtpStore>): void {
  let backend: Backend<OtpStore>;
  beforeEach(() => {
    backend = makeBackend();
  });

  const slot: OtpSlot = { phone: '13800000002', purpose: 'unlock' };
  const DAY = '2026-11-22';
  /** Stands for the HMAC of a code: the store only ever compares hashes. */
  const hash = (n: number) => n.toString(16).padStart(64, '0');
  const record = (n: number): OtpRecord => {
    const sentAt = backend.clock.now();
    return { hash: hash(n), sentAt, expiresAt: sentAt + OTP_RULES.ttlMs, attempts: 0 };
  };
  const check = (store: OtpStore, n: number, on: OtpSlot = slot) => store.check(on, hash(n), backend.clock.now());

  test('the right code is accepted once; after that there is none', async () => {
    const [a, b] = await twoInstances(backend);
    expect(await b.check(slot, hash(1), backend.clock.now())).toEqual({ status: 'none' });
    expect(await a.issue(slot, DAY, record(1))).toEqual({ status: 'issued' });
    expect(await check(b, 1)).toEqual({ status: 'ok' });
    expect(await check(a, 1)).toEqual({ status: 'none' });
  });

  test(`wrong codes count down; the ${OTP_RULES.maxAttempts}th kills the code, and the right one is refused after it`, async () => {
    const [a, b] = await twoInstances(backend);
    await a.issue(slot, DAY, record(1));
    for (let left = OTP_RULES.maxAttempts - 1; left > 0; left--) expect(await check(left % 2 ? a : b, 2)).toEqual({ status: 'wrong', attemptsLeft: left });
    expect(await check(a, 2)).toEqual({ status: 'used-up' });
    expect(await check(b, 1)).toEqual({ status: 'none' });
  });

  test('thirty guesses at once on two instances: the right one accepted once, no more than the allowed guesses compared', async () => {
    const [a, b] = await twoInstances(backend);
    await a.issue(slot, DAY, record(1));
    const guesses = [2, 3, 1, 1, 4, 1, ...Array.from({ length: 24 }, (_, i) => (i % 3 ? 1 : 5 + i))];
    const results = await Promise.all(guesses.map((n, i) => check(i % 2 ? a : b, n)));
    expect(results.filter((r) => r.status === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r.status !== 'none').length).toBeLessThanOrEqual(OTP_RULES.maxAttempts);
  });

  test('a code is bound to its number and its purpose; purposes do not wait for each other', async () => {
    const store = await backend.instance();
    const appeal: OtpSlot = { ...slot, purpose: 'appeal' };
    await store.issue(slot, DAY, record(1));
    expect(await store.issue(appeal, DAY, record(2))).toEqual({ status: 'issued' });
    expect(await check(store, 1, { ...slot, phone: '13800000003' })).toEqual({ status: 'none' });
    expect(await check(store, 1, appeal)).toEqual({ status: 'wrong', attemptsLeft: OTP_RULES.maxAttempts - 1 });
    expect(await check(store, 1)).toEqual({ status: 'ok' });
    expect(await check(store, 2, appeal)).toEqual({ status: 'ok' });
  });

  test('a resend within the wait is refused with the time left and keeps the code; after the wait it replaces it', async () => {
    const [a, b] = await twoInstances(backend);
    await a.issue(slot, DAY, record(1));
    backend.clock.advance(20_000);
    expect(await b.issue(slot, DAY, record(2))).toEqual({ status: 'too-soon', retryInMs: OTP_RULES.resendAfterMs - 20_000 });
    backend.clock.advance(OTP_RULES.resendAfterMs - 20_000);
    expect(await b.issue(slot, DAY, record(3))).toEqual({ status: 'issued' });
    expect(await check(a, 1)).toEqual({ status: 'wrong', attemptsLeft: OTP_RULES.maxAttempts - 1 });
    expect(await check(a, 3)).toEqual({ status: 'ok' });
  });

  test('a resend replaces the code with a fresh count of attempts', async () => {
    const store = await backend.instance();
    await store.issue(slot, DAY, record(1));
    for (let i = 0; i < OTP_RULES.maxAttempts - 1; i++) await check(store, 2);
    backend.clock.advance(OTP_RULES.resendAfterMs);
    await store.issue(slot, DAY, record(3));
    expect(await check(store, 2)).toEqual({ status: 'wrong', attemptsLeft: OTP_RULES.maxAttempts - 1 });
  });

  test('twenty sends at once on two instances: one is issued, the others wait', async () => {
    const [a, b] = await twoInstances(backend);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).issue(slot, DAY, record(i + 1))));
    expect(results.filter((r) => r.status === 'issued')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'too-soon')).toHaveLength(19);
  });

  test('a code checked at its expiry is refused as expired, then gone', async () => {
    const store = await backend.instance();
    const issued = record(1);
    await store.issue(slot, DAY, issued);
    expect(await store.check(slot, hash(1), issued.expiresAt)).toEqual({ status: 'expired' });
    expect(await store.check(slot, hash(1), issued.sentAt)).toEqual({ status: 'none' });
  });

  test(`a number gets ${OTP_RULES.maxSendsPerDay} sends a day, across purposes; refused ones do not count; the cap keeps the code`, async () => {
    const [a, b] = await twoInstances(backend);
    for (let n = 1; n <= OTP_RULES.maxSendsPerDay; n++) {
      const on: OtpSlot = n % 2 ? slot : { ...slot, purpose: 'appeal' };
      expect(await (n % 2 ? a : b).issue(on, DAY, record(n))).toEqual({ status: 'issued' });
      expect((await a.issue(on, DAY, record(100 + n))).status).toBe('too-soon');
      backend.clock.advance(OTP_RULES.resendAfterMs);
    }
    expect(await b.issue(slot, DAY, record(99))).toEqual({ status: 'daily-limit' });
    expect(await check(a, OTP_RULES.maxSendsPerDay - 1)).toEqual({ status: 'ok' });
    expect(await b.issue(slot, '2026-11-23', record(200))).toEqual({ status: 'issued' });
    expect(await b.issue({ ...slot, phone: '13800000003' }, DAY, record(201))).toEqual({ status: 'issued' });
  });

  test('clear forgets every code and send counter', async () => {
    const [a, b] = await twoInstances(backend);
    for (let n = 1; n <= OTP_RULES.maxSendsPerDay; n++) {
      await a.issue(slot, DAY, record(n));
      backend.clock.advance(OTP_RULES.resendAfterMs);
    }
    await b.clear();
    expect(await check(a, OTP_RULES.maxSendsPerDay)).toEqual({ status: 'none' });
    expect(await a.issue(slot, DAY, record(300))).toEqual({ status: 'issued' });
  });
}
