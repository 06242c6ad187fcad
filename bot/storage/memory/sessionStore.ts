import type { Agent } from '../../handoff/service';
import type { AgentSessionStore } from '../../handoff/sessions';
import { waitOf, type AttemptCounter, type AttemptState, type AttemptStore } from '../../handoff/signInLimits';

/** The memory twin of the Redis script `kefuAttemptReserve`. */
export class MemoryAttemptStore implements AttemptStore {
  /** Kept in order of last use, so expired counters are at the front. */
  private readonly states = new Map<string, AttemptState & { expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async reserveAttempt(list: readonly AttemptCounter[], windowMs: number): Promise<number> {
    const now = this.now();
    this.forgetExpired(now);
    const wait = Math.max(0, ...list.map((c) => waitOf(this.states.get(c.key), c.delays, now)));
    if (wait > 0) return wait;
    for (const { key } of list) {
      const n = (this.states.get(key)?.n ?? 0) + 1;
      this.states.delete(key);
      this.states.set(key, { n, last: now, expiresAt: now + windowMs });
    }
    return 0;
  }

  async refundAttempt(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      const state = this.states.get(key);
      if (!state) continue;
      if (state.n <= 1) this.states.delete(key);
      else state.n -= 1;
    }
  }

  private forgetExpired(now: number): void {
    for (const [key, state] of this.states) {
      if (state.expiresAt > now) return;
      this.states.delete(key);
    }
  }
}

export class MemoryAgentSessionStore implements AgentSessionStore {
  private readonly sessions = new Map<string, { agent: Agent; expiresAt: number }>();
  private readonly attempts: MemoryAttemptStore;

  constructor(private readonly now: () => number = Date.now) {
    this.attempts = new MemoryAttemptStore(now);
  }

  async put(tokenHash: string, agent: Agent, ttlMs: number) {
    this.sessions.set(tokenHash, { agent, expiresAt: this.now() + ttlMs });
  }

  async get(tokenHash: string) {
    const session = this.sessions.get(tokenHash);
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(tokenHash);
      return undefined;
    }
    return session.agent;
  }

  async delete(tokenHash: string) {
    this.sessions.delete(tokenHash);
  }

  reserveAttempt(counters: readonly AttemptCounter[], windowMs: number) {
    return this.attempts.reserveAttempt(counters, windowMs);
  }

  refundAttempt(keys: readonly string[]) {
    return this.attempts.refundAttempt(keys);
  }
}
