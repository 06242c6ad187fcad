import { WorkSlots } from '../workSlots';
import type { SignedInAgent } from './agents';
import type { AgentSessions } from './sessions';
import { ATTEMPT_WINDOW_MS, counters } from './signInLimits';

/**
 * One sign-in attempt, in the order that keeps guessing cheap for us and slow for the guesser:
 * count the attempt (atomically, on the counters of signInLimits.ts), take a hashing slot,
 * hash, and give the count back if the password was right — or if it was never checked.
 */
export type SignInOutcome =
  | { kind: 'ok'; agent: SignedInAgent; /** a known-device token to set, when this device was not one yet */ newDevice?: string }
  | { kind: 'wrong' }
  | { kind: 'throttled'; retryAfterS: number }
  | { kind: 'busy'; retryAfterS: number };

export interface PasswordCheck {
  authenticate(id: string, password: string): Promise<SignedInAgent | undefined>;
}

/**
 * scrypt runs in libuv's thread pool (4 threads by default), which file reads share: two
 * hashes at a time leave room for them, and eight more may wait their turn (well under a second).
 */
export const HASH_SLOTS = { running: 2, waiting: 8 };

export class SignIn {
  constructor(
    private readonly agents: PasswordCheck,
    private readonly sessions: AgentSessions,
    private readonly slots = new WorkSlots(HASH_SLOTS.running, HASH_SLOTS.waiting),
  ) {}

  async attempt(input: { id: string; password: string; address: string; deviceToken?: string }): Promise<SignInOutcome> {
    const name = input.id.trim().toLowerCase();
    const device = await this.sessions.deviceOf(input.deviceToken);
    const known = device !== undefined && device.agent.id === name;
    const counted = device && known ? [counters.device(device.key)] : [counters.name(name), counters.address(input.address)];
    const wait = await this.sessions.attempts.reserve(counted, ATTEMPT_WINDOW_MS);
    if (wait > 0) return { kind: 'throttled', retryAfterS: Math.ceil(wait / 1000) };
    const checked = this.slots.tryRun(() => this.agents.authenticate(input.id, input.password));
    if (!checked) {
      await this.sessions.attempts.refund(counted);
      return { kind: 'busy', retryAfterS: 1 };
    }
    const agent = await checked;
    if (!agent) return { kind: 'wrong' };
    await this.sessions.attempts.refund(counted);
    return { kind: 'ok', agent, newDevice: known ? undefined : await this.sessions.rememberDevice(agent) };
  }
}
