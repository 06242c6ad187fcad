import type { Agent } from '../../handoff/service';
import type { AgentSessionStore } from '../../handoff/sessions';
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

/** Agent sessions (by token hash) and sign-in failures; both expire in Redis. */
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

  async countFailure(key: string, windowMs: number): Promise<number> {
    return this.redis.kefuCount(keys.shared(`sign-in-failures:${key}`), windowMs);
  }

  async failures(key: string): Promise<number> {
    return Number((await this.redis.get(keys.shared(`sign-in-failures:${key}`))) ?? 0);
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
