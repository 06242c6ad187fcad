import crypto from 'node:crypto';
import type { OtpPurpose, SendResult, VerifyResult } from '../../domain/oneTimeCodes';
import type { Locale } from '../../knowledge/schema';
import type { TurnAdmission } from '../limits/limits';
import type { SmsSender } from './sms';

/**
 * One-time codes that would pass a security review: 6 digits from a CSPRNG, stored only
 * as an HMAC under a server secret, valid 5 minutes, single use, a resend replaces the old
 * code and is allowed after 60 s, 5 wrong entries kill the code, at most 10 sends per number
 * per day, compared in constant time. The code itself exists only in the SMS.
 */
export const OTP_RULES = { digits: 6, ttlMs: 5 * 60_000, resendAfterMs: 60_000, maxAttempts: 5, maxSendsPerDay: 10 } as const;

export interface OtpRecord {
  hash: string;
  sentAt: number;
  expiresAt: number;
  attempts: number;
}

/** The code of one number for one purpose: a resend replaces it, it is never shared with another purpose. */
export interface OtpSlot {
  phone: string;
  purpose: OtpPurpose;
}

export type IssueResult = { status: 'issued' } | { status: 'too-soon'; retryInMs: number } | { status: 'daily-limit' };

/**
 * Where OTP state lives: memory by default (bot/storage/memory/otpStore.ts), Redis when
 * several instances share it (bot/storage/redis/otpStore.ts). Each method is one atomic
 * step on the store — never a read here and a write later — so concurrent sends or
 * guesses, on any number of instances, are taken one at a time: at most `maxAttempts`
 * guesses are ever compared, and a code is accepted once.
 */
export interface OtpStore {
  /**
   * Stores `record` as the slot's code (replacing the old one), unless the old one was sent
   * less than `resendAfterMs` ago or the number has had `maxSendsPerDay` sends on `day`;
   * a send that is not too soon counts against the day.
   */
  issue(slot: OtpSlot, day: string, record: OtpRecord): Promise<IssueResult>;
  /**
   * Compares `hash` with the slot's code and counts the attempt: an expired code, the right
   * one, or the last allowed wrong one is deleted on the spot.
   */
  check(slot: OtpSlot, hash: string, now: number): Promise<VerifyResult>;
  /** Forgets every code and send counter (the development reset). */
  clear(): Promise<void>;
}

/** Sends count against the China day; the counter outlives the day a little. */
export const SEND_COUNTER_TTL_MS = 26 * 3600_000;


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
    /** Counts a code about to be sent against the per-client and overall SMS limits (bot/limits/limits.ts). */
    private readonly admitSend: () => Promise<TurnAdmission> = async () => 'ok',
  ) {}

  private hash(key: string, code: string): string {
    return crypto.createHmac('sha256', this.secret).update(`${key}:${code}`).digest('hex');
  }

  async send(phone: string, purpose: OtpPurpose, locale: Locale): Promise<SendResult> {
    const now = this.now();
    // Per-client and overall SMS limits first: a flood of distinct numbers is SMS pumping.
    // Not countable (store down): no code goes out uncounted.
    const admission = await this.admitSend();
    if (admission === 'over') return { status: 'limited' };
    if (admission === 'unavailable') return { status: 'unavailable' };
    const code = String(crypto.randomInt(0, 10 ** OTP_RULES.digits)).padStart(OTP_RULES.digits, '0');
    // One step on the store: two sends at once cannot both pass the 60 s wait.
    const issued = await this.store.issue({ phone, purpose }, chinaDay(now), {
      hash: this.hash(`${purpose}:${phone}`, code),
      sentAt: now,
      expiresAt: now + OTP_RULES.ttlMs,
      attempts: 0,
    });
    if (issued.status === 'too-soon') return { status: 'too-soon', retryInSeconds: Math.ceil(issued.retryInMs / 1000) };
    if (issued.status === 'daily-limit') return issued;
    await this.sms.send({ phone, text: SMS_TEXT[locale](code), kind: 'code', code });
    return { status: 'sent' };
  }

  /** Only the HMAC of the guess reaches the store, which compares and counts in one step. */
  async verify(phone: string, purpose: OtpPurpose, code: string): Promise<VerifyResult> {
    return this.store.check({ phone, purpose }, this.hash(`${purpose}:${phone}`, code.trim()), this.now());
  }
}
