import type { Agent } from '../../handoff/service';
import type { AgentSessionStore } from '../../handoff/sessions';
import type { AttemptCounter } from '../../handoff/signInLimits';
import type { OtpRecord, OtpStore } from '../../services/otp';
import type { KbSignal } from '../../../dialogs/rootMachine';
import { stored, type KbSignalLog, type StoredKbSignal } from '../kbSignalLog';
import type { RedisClient } from './connection';
import { keys } from './keys';
import { withScripts } from './scripts';

/** One-time codes and their rate-limit counters; Redis expires them. */
export class RedisOtpStore implements OtpStore {
  constructor(private readonly redis: RedisClient) {
    withScripts(redis);
  }

  private key = (name: string) => keys.conversation(`otp:${name}`, 'otp');

  async get(name: string): Promise<OtpRecord | undefined> {
    const raw = await this.redis.get(this.key(name));
    return raw ? (JSON.parse(raw) as OtpRecord) : undefined;
  }

  async set(name: string, record: OtpRecord, ttlMs: number): Promise<void> {
    await this.redis.set(this.key(name), JSON.stringify(record), 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async delete(name: string): Promise<void> {
    await this.redis.del(this.key(name));
  }

  async increment(name: string, ttlMs: number): Promise<number> {
    return this.redis.kefuCount(this.key(`count:${name}`), Math.max(1, Math.round(ttlMs)));
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

const SIGNALS_KEPT = 100_000;

/** Questions that fell back and 👍/👎 votes, for the knowledge-base authors. */
export class RedisKbSignalLog implements KbSignalLog {
  private readonly key = keys.shared('kb-signals');

  constructor(private readonly redis: RedisClient) {
    withScripts(redis);
  }

  async append(signal: KbSignal, conversation: string): Promise<void> {
    await this.redis.kefuAppendCapped(this.key, SIGNALS_KEPT, 0, JSON.stringify(stored(signal, conversation)));
  }

  async list(): Promise<StoredKbSignal[]> {
    return (await this.redis.lrange(this.key, 0, -1)).map((raw) => JSON.parse(raw) as StoredKbSignal);
  }
}
