import crypto from 'node:crypto';
import type { Locale } from '../../knowledge/schema';
import type { SmsSender } from './sms';

/**
 * One-time codes that would pass a security review: 6 digits from a CSPRNG, stored only
 * as an HMAC under a server secret, valid 5 minutes, single use, a resend replaces the old
 * code and is allowed after 60 s, 5 wrong entries kill the code, at most 10 sends per number
 * per day, compared in constant time. The code itself exists only in the SMS.
 */
export const OTP_RULES = { digits: 6, ttlMs: 5 * 60_000, resendAfterMs: 60_000, maxAttempts: 5, maxSendsPerDay: 10 } as const;

export type OtpPurpose = 'unlock' | 'phone-change-old' | 'phone-change-new' | 'appeal' | 'appeal-status';

export interface OtpRecord {
  hash: string;
  sentAt: number;
  expiresAt: number;
  attempts: number;
}

/** Where OTP state lives: memory by default, Redis when several instances share it. */
export interface OtpStore {
  get(key: string): Promise<OtpRecord | undefined>;
  set(key: string, record: OtpRecord, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Adds one to a counter that expires after `ttlMs`; returns the new value. */
  increment(key: string, ttlMs: number): Promise<number>;
}

export class MemoryOtpStore implements OtpStore {
  private readonly records = new Map<string, { record: OtpRecord; until: number }>();
  private readonly counters = new Map<string, { value: number; until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string): Promise<OtpRecord | undefined> {
    const entry = this.records.get(key);
    if (!entry || entry.until <= this.now()) return undefined;
    return { ...entry.record };
  }

  async set(key: string, record: OtpRecord, ttlMs: number): Promise<void> {
    this.records.set(key, { record: { ...record }, until: this.now() + ttlMs });
  }

  async delete(key: string): Promise<void> {
    this.records.delete(key);
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const entry = this.counters.get(key);
    const live = entry && entry.until > this.now() ? entry : { value: 0, until: this.now() + ttlMs };
    live.value++;
    this.counters.set(key, live);
    return live.value;
  }

  clear(): void {
    this.records.clear();
    this.counters.clear();
  }
}

/** `limited`: the client asking, or everyone together, has had too many codes sent lately (against SMS pumping). */
export type SendResult = { status: 'sent' } | { status: 'too-soon'; retryInSeconds: number } | { status: 'daily-limit' } | { status: 'limited' };
export type VerifyResult = { status: 'ok' } | { status: 'wrong'; attemptsLeft: number } | { status: 'used-up' } | { status: 'expired' } | { status: 'none' };

const SMS_TEXT: Record<Locale, (code: string) => string> = {
  'zh-CN': (code) => `【客服】您的验证码是 ${code}，5 分钟内有效。请勿告诉任何人，客服不会向您索要验证码。`,
  'en-US': (code) => `[Support] Your verification code is ${code}, valid for 5 minutes. Never share it: support will never ask for it.`,
};

/** The day a send counts against: China time. */
function chinaDay(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
}

export class OtpService {
  constructor(
    private readonly store: OtpStore,
    private readonly sms: SmsSender,
    private readonly secret: string,
    private readonly now: () => number = Date.now,
    /** Counts a code about to be sent against the per-client and overall SMS limits; false: over. */
    private readonly admitSend: () => Promise<boolean> = async () => true,
  ) {}

  private hash(key: string, code: string): string {
    return crypto.createHmac('sha256', this.secret).update(`${key}:${code}`).digest('hex');
  }

  async send(phone: string, purpose: OtpPurpose, locale: Locale): Promise<SendResult> {
    const key = `${purpose}:${phone}`;
    const now = this.now();
    const current = await this.store.get(key);
    if (current && now - current.sentAt < OTP_RULES.resendAfterMs) {
      return { status: 'too-soon', retryInSeconds: Math.ceil((OTP_RULES.resendAfterMs - (now - current.sentAt)) / 1000) };
    }
    if (!(await this.admitSend())) return { status: 'limited' };
    const sends = await this.store.increment(`sends:${phone}:${chinaDay(now)}`, 26 * 3600_000);
    if (sends > OTP_RULES.maxSendsPerDay) return { status: 'daily-limit' };
    const code = String(crypto.randomInt(0, 10 ** OTP_RULES.digits)).padStart(OTP_RULES.digits, '0');
    // The new code replaces any older one for this number and purpose.
    await this.store.set(key, { hash: this.hash(key, code), sentAt: now, expiresAt: now + OTP_RULES.ttlMs, attempts: 0 }, OTP_RULES.ttlMs);
    await this.sms.send({ phone, text: SMS_TEXT[locale](code), kind: 'code', code });
    return { status: 'sent' };
  }

  async verify(phone: string, purpose: OtpPurpose, code: string): Promise<VerifyResult> {
    const key = `${purpose}:${phone}`;
    const record = await this.store.get(key);
    if (!record) return { status: 'none' };
    if (record.expiresAt <= this.now()) {
      await this.store.delete(key);
      return { status: 'expired' };
    }
    const given = Buffer.from(this.hash(key, code.trim()), 'hex');
    const expected = Buffer.from(record.hash, 'hex');
    if (given.length === expected.length && crypto.timingSafeEqual(given, expected)) {
      await this.store.delete(key);
      return { status: 'ok' };
    }
    const attempts = record.attempts + 1;
    if (attempts >= OTP_RULES.maxAttempts) {
      await this.store.delete(key);
      return { status: 'used-up' };
    }
    await this.store.set(key, { ...record, attempts }, record.expiresAt - this.now());
    return { status: 'wrong', attemptsLeft: OTP_RULES.maxAttempts - attempts };
  }
}
