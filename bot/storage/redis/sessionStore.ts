import type { Agent } from '../../handoff/service';
import type { AgentSessionStore } from '../../handoff/sessions';
import type { AttemptCounter } from '../../handoff/signInLimits';
import type { RedisClient } from './connection';
import { keys } from './keys';
import { withScripts } from './scripts';

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
