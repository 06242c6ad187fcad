import crypto from 'node:crypto';
import type { VerifyResult } from '../../../domain/oneTimeCodes';
import { ExpiringMap } from '../expiringMap';
import { OTP_RULES, SEND_COUNTER_TTL_MS, type IssueResult, type OtpRecord, type OtpSlot, type OtpStore } from '../../services/otp';

const sameHash = (a: string, b: string) => {
  const [x, y] = [Buffer.from(a, 'hex'), Buffer.from(b, 'hex')];
  return x.length === y.length && crypto.timingSafeEqual(x, y);
};

/**
 * One process. Every method runs from its read to its write without an await, so on
 * Node's single thread nothing can come between them. Codes and counters expire as the
 * Redis keys do, so numbers nobody asks about again are not kept for ever.
 */
export class MemoryOtpStore implements OtpStore {
  private readonly records: ExpiringMap<string, OtpRecord>;
  private readonly counters: ExpiringMap<string, { value: number }>;

  constructor(private readonly now: () => number = Date.now) {
    this.records = new ExpiringMap(60_000, now);
    this.counters = new ExpiringMap(60_000, now);
  }

  /** Codes and send counters held, expired ones not yet swept included (for tests and footprint checks). */
  get held(): number {
    return this.records.size + this.counters.size;
  }

  private live(slot: OtpSlot): OtpRecord | undefined {
    const key = `${slot.purpose}:${slot.phone}`;
    const record = this.records.get(key);
    if (record && record.expiresAt <= this.now()) this.records.delete(key);
    return this.records.get(key);
  }

  /** The stored record, for inspection (tests): never the code, only its HMAC. */
  record(slot: OtpSlot): OtpRecord | undefined {
    const record = this.live(slot);
    return record && { ...record };
  }

  async issue(slot: OtpSlot, day: string, record: OtpRecord): Promise<IssueResult> {
    const current = this.live(slot);
    if (current && record.sentAt - current.sentAt < OTP_RULES.resendAfterMs) {
      return { status: 'too-soon', retryInMs: OTP_RULES.resendAfterMs - (record.sentAt - current.sentAt) };
    }
    const counterKey = `sends:${slot.phone}:${day}`;
    const counter = this.counters.get(counterKey);
    if (counter) counter.value++;
    else this.counters.set(counterKey, { value: 1 }, SEND_COUNTER_TTL_MS);
    if ((counter?.value ?? 1) > OTP_RULES.maxSendsPerDay) return { status: 'daily-limit' };
    // Kept a lifetime past its expiry, so that a code typed late is told "expired", not "none".
    this.records.set(`${slot.purpose}:${slot.phone}`, { ...record }, 2 * Math.max(1, Math.round(record.expiresAt - record.sentAt)));
    return { status: 'issued' };
  }

  async check(slot: OtpSlot, hash: string, now: number): Promise<VerifyResult> {
    const key = `${slot.purpose}:${slot.phone}`;
    const record = this.records.get(key);
    if (!record) return { status: 'none' };
    if (record.expiresAt <= now) {
      this.records.delete(key);
      return { status: 'expired' };
    }
    if (sameHash(hash, record.hash)) {
      this.records.delete(key);
      return { status: 'ok' };
    }
    record.attempts++;
    if (record.attempts >= OTP_RULES.maxAttempts) {
      this.records.delete(key);
      return { status: 'used-up' };
    }
    return { status: 'wrong', attemptsLeft: OTP_RULES.maxAttempts - record.attempts };
  }

  async clear(): Promise<void> {
    this.records.clear();
    this.counters.clear();
  }
}
