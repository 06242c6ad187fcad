import type { Agent } from '../../handoff/service';
import type { AgentSessionStore } from '../../handoff/sessions';
import { Cluster } from 'ioredis';
import type { AttemptCounter } from '../../handoff/signInLimits';
import { OTP_RULES, SEND_COUNTER_TTL_MS, type IssueResult, type OtpRecord, type OtpSlot, type OtpStore, type VerifyResult } from '../../services/otp';
import type { KbSignal } from '../../../dialogs/root/events';
import { stored, type KbSignalLog, type StoredKbSignal } from '../kbSignalLog';
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

/** Agent sessions and known devices (by token hash) and sign-in attempt counters; all expire in Redis. */
export class RedisAgentSessionStore implements AgentSessionStore {
  constructor(private readonly redis: RedisClient) {
    withScripts(redis);
  }

  async put(tokenHash: string, agent: Agent, ttlMs: number): Promise<void> {
    await this.redis.set(keys.shared(`session:${tokenHash}`), JSON.stringify(agent), 'PX', ttlMs);
  }

  async get(tokenHash: string): Promise<Agent | undefined> {
    const raw = await this.redis.get(keys.shared(`session:${tokenHash}`));
    return raw ? (JSON.parse(raw) as Agent) : undefined;
  }

  async delete(tokenHash: string): Promise<void> {
    await this.redis.del(keys.shared(`session:${tokenHash}`));
  }

  // Every counter shares the {kefu} hash tag, so one script may touch several in cluster mode.
  private attemptKey = (key: string) => keys.shared(`sign-in:${key}`);

  async reserveAttempt(counters: readonly AttemptCounter[], windowMs: number): Promise<number> {
    const names = counters.map((c) => this.attemptKey(c.key));
    return this.redis.kefuAttemptReserve(names.length, ...names, windowMs, ...counters.map((c) => JSON.stringify(c.delays)));
  }

  async refundAttempt(attemptKeys: readonly string[]): Promise<void> {
    if (attemptKeys.length > 0) await this.redis.kefuAttemptRefund(attemptKeys.length, ...attemptKeys.map(this.attemptKey));
  }
}

/** Questions that fell back and 👍/👎 votes, for the knowledge-base authors: the newest `kept`. */
export class RedisKbSignalLog implements KbSignalLog {
  private readonly key = keys.shared('kb-signals');

  constructor(
    private readonly redis: RedisClient,
    private readonly kept = 10_000,
  ) {
    withScripts(redis);
  }

  async append(signal: KbSignal, conversation: string): Promise<void> {
    await this.redis.kefuAppendCapped(this.key, this.kept, 0, '0', JSON.stringify(stored(signal, conversation)));
  }

  async list(): Promise<StoredKbSignal[]> {
    return (await this.redis.lrange(this.key, 0, -1)).map((raw) => JSON.parse(raw) as StoredKbSignal);
  }
}
