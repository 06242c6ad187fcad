import { Cluster } from 'ioredis';
import type { VerifyResult } from '../../../domain/oneTimeCodes';
import { OTP_RULES, SEND_COUNTER_TTL_MS, type IssueResult, type OtpRecord, type OtpSlot, type OtpStore } from '../../services/otp';
import type { RedisClient } from './connection';
import { keys } from './keys';
import { withScripts } from './scripts';

/** One-time codes and their send counters; Redis expires them. Each call is one script. */
export class RedisOtpStore implements OtpStore {
  constructor(private readonly redis: RedisClient) {
    withScripts(redis);
  }

  async issue(slot: OtpSlot, day: string, record: OtpRecord): Promise<IssueResult> {
    const ttlMs = Math.max(1, Math.round(record.expiresAt - record.sentAt));
    const [status, waitMs] = await this.redis.kefuOtpIssue(
      keys.otp(slot.phone, `code:${slot.purpose}`),
      keys.otp(slot.phone, `sends:${day}`),
      record.hash,
      record.sentAt,
      record.expiresAt,
      ttlMs,
      OTP_RULES.resendAfterMs,
      OTP_RULES.maxSendsPerDay,
      SEND_COUNTER_TTL_MS,
    );
    if (status === 'too-soon') return { status, retryInMs: waitMs };
    if (status === 'daily-limit') return { status };
    return { status: 'issued' };
  }

  async check(slot: OtpSlot, hash: string, now: number): Promise<VerifyResult> {
    const [status, attemptsLeft] = await this.redis.kefuOtpCheck(keys.otp(slot.phone, `code:${slot.purpose}`), hash, now, OTP_RULES.maxAttempts);
    switch (status) {
      case 'ok':
      case 'used-up':
      case 'expired':
      case 'none':
        return { status };
      default:
        return { status: 'wrong', attemptsLeft };
    }
  }

  /** Development only: a SCAN of every master (codes of different numbers live in different slots). */
  async clear(): Promise<void> {
    const nodes = this.redis instanceof Cluster ? this.redis.nodes('master') : [this.redis];
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, found] = await node.scan(cursor, 'MATCH', keys.otpPattern, 'COUNT', 500);
        cursor = next;
        // One DEL per key: keys of different numbers are in different slots.
        await Promise.all(found.map((key) => node.del(key)));
      } while (cursor !== '0');
    }
  }
}
