import crypto from 'node:crypto';
import type { Agent } from './service';

/**
 * Agent sign-in sessions: an unguessable token in an HttpOnly cookie; only its SHA-256 is
 * stored, so a leaked store signs nobody in. Sign-in failures are counted per name to slow
 * down password guessing.
 */
export interface AgentSessionStore {
  put(tokenHash: string, agent: Agent, ttlMs: number): Promise<void>;
  get(tokenHash: string): Promise<Agent | undefined>;
  delete(tokenHash: string): Promise<void>;
  /** Failures within the window, this one included. */
  countFailure(key: string, windowMs: number): Promise<number>;
  failures(key: string, windowMs: number): Promise<number>;
}

const FAILURE_WINDOW_MS = 15 * 60_000;

const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('base64url');

export class AgentSessions {
  constructor(
    private readonly store: AgentSessionStore,
    private readonly ttlMs: number,
  ) {}

  /** Returns the token for the cookie. */
  async open(agent: Agent): Promise<string> {
    const token = crypto.randomBytes(32).toString('base64url');
    await this.store.put(hashToken(token), agent, this.ttlMs);
    return token;
  }

  async agentOf(token: string | undefined): Promise<Agent | undefined> {
    return token ? this.store.get(hashToken(token)) : undefined;
  }

  async close(token: string | undefined): Promise<void> {
    if (token) await this.store.delete(hashToken(token));
  }

  get maxAgeSeconds(): number {
    return Math.floor(this.ttlMs / 1000);
  }

  readonly failures = {
    note: (key: string) => this.store.countFailure(key, FAILURE_WINDOW_MS),
    count: (key: string) => this.store.failures(key, FAILURE_WINDOW_MS),
  };
}

export class MemoryAgentSessionStore implements AgentSessionStore {
  private readonly sessions = new Map<string, { agent: Agent; expiresAt: number }>();
  private readonly failed = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

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

  async countFailure(key: string, windowMs: number) {
    const recent = (this.failed.get(key) ?? []).filter((at) => at > this.now() - windowMs);
    recent.push(this.now());
    this.failed.set(key, recent);
    return recent.length;
  }

  async failures(key: string, windowMs: number) {
    return (this.failed.get(key) ?? []).filter((at) => at > this.now() - windowMs).length;
  }
}
