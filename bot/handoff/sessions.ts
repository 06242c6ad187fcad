import crypto from 'node:crypto';
import { signedInAgentSchema, type SignedInAgent } from './agents';
import type { Agent } from './service';
import type { AttemptCounter, AttemptStore } from './signInLimits';

/**
 * Agent sign-in sessions: an unguessable token in an HttpOnly cookie; only its SHA-256 is
 * stored, so a leaked store signs nobody in. The same store keeps "known devices" (a second
 * token, remembered where an agent signed in) and the sign-in attempt counters. Kept in
 * memory (bot/storage/memory/sessionStore.ts) or Redis (bot/storage/redis/sessionStore.ts).
 */
export interface AgentSessionStore extends AttemptStore {
  put(tokenHash: string, agent: Agent, ttlMs: number): Promise<void>;
  get(tokenHash: string): Promise<Agent | undefined>;
  delete(tokenHash: string): Promise<void>;
}

/** How long a device stays known after its last successful sign-in. */
const DEVICE_TTL_MS = 30 * 24 * 3600_000;

const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('base64url');
/** Device entries live beside sessions; '.' never occurs in a hash, so neither can pass for the other. */
const deviceEntry = (tokenHash: string) => `device.${tokenHash}`;

/**
 * A stored session as the routes see it: read through the schema, so one stored before roles
 * existed is an agent's, and one that does not read at all is no session.
 */
function signedInAgentOf(stored: Agent | undefined): SignedInAgent | undefined {
  const parsed = signedInAgentSchema.safeParse(stored);
  return parsed.success ? parsed.data : undefined;
}

export class AgentSessions {
  constructor(
    private readonly store: AgentSessionStore,
    private readonly ttlMs: number,
  ) {}

  /** Returns the token for the cookie. The role is kept with the session, for the routes that need a lead. */
  async open(agent: SignedInAgent): Promise<string> {
    const token = crypto.randomBytes(32).toString('base64url');
    await this.store.put(hashToken(token), agent, this.ttlMs);
    return token;
  }

  async agentOf(token: string | undefined): Promise<SignedInAgent | undefined> {
    return token ? signedInAgentOf(await this.store.get(hashToken(token))) : undefined;
  }

  async close(token: string | undefined): Promise<void> {
    if (token) await this.store.delete(hashToken(token));
  }

  get maxAgeSeconds(): number {
    return Math.floor(this.ttlMs / 1000);
  }

  /** Remembers this device for the agent; returns the token for the device cookie. */
  async rememberDevice(agent: SignedInAgent): Promise<string> {
    const token = crypto.randomBytes(32).toString('base64url');
    await this.store.put(deviceEntry(hashToken(token)), agent, DEVICE_TTL_MS);
    return token;
  }

  /** The agent a device cookie was issued to, and the key its attempts are counted under. */
  async deviceOf(token: string | undefined): Promise<{ agent: SignedInAgent; key: string } | undefined> {
    if (!token) return undefined;
    const key = hashToken(token);
    const agent = signedInAgentOf(await this.store.get(deviceEntry(key)));
    return agent ? { agent, key } : undefined;
  }

  get maxDeviceAgeSeconds(): number {
    return Math.floor(DEVICE_TTL_MS / 1000);
  }

  readonly attempts = {
    reserve: (counters: readonly AttemptCounter[], windowMs: number) => this.store.reserveAttempt(counters, windowMs),
    refund: (counters: readonly AttemptCounter[]) => this.store.refundAttempt(counters.map((c) => c.key)),
  };
}
