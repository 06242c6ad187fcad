/**
 * How sign-in attempts are limited. An attempt is counted on every counter it concerns
 * *before* its password is hashed (a reservation), so concurrent guesses cannot all slip
 * through; a correct password gives its count back. A counter lets its first attempts through
 * at once, then each further attempt waits twice as long after the previous one as the last,
 * from 2 s up to 60 s — a progressive delay instead of a long lock, so nobody can keep an
 * agent out for long. Counters are forgotten 15 minutes after their last counted attempt.
 *
 * Which counters an attempt concerns: from a device that signed in as this agent before (a
 * "known device" cookie), only that device's; from anywhere else, the name's and the client
 * address's. Strangers guessing a name therefore never delay the agent at their own desk.
 */

/** One counter, and how long it makes the next attempt wait after its n-th counted one. */
export interface AttemptCounter {
  key: string;
  /** `delays[n - 1]` ms after the n-th counted attempt; the last value repeats. */
  delays: readonly number[];
}

/** What a counter holds: how many attempts it counts, and when the last was counted. */
export interface AttemptState {
  n: number;
  last: number;
}

export const ATTEMPT_WINDOW_MS = 15 * 60_000;
const FIRST_DELAY_MS = 2_000;
const MAX_DELAY_MS = 60_000;

/** `free` attempts without waiting, then 2 s, 4 s, 8 s … capped at 60 s. */
export function progressiveDelays(free: number): number[] {
  const delays = Array<number>(free - 1).fill(0);
  for (let delay = FIRST_DELAY_MS; ; delay *= 2) {
    delays.push(Math.min(delay, MAX_DELAY_MS));
    if (delay >= MAX_DELAY_MS) return delays;
  }
}

/** Milliseconds until the counter lets the next attempt through (0: now). */
export function waitOf(state: AttemptState | undefined, delays: readonly number[], now: number): number {
  if (!state || state.n <= 0) return 0;
  const delay = delays[Math.min(state.n, delays.length) - 1] ?? 0;
  return Math.max(0, state.last + delay - now);
}

const NAME_DELAYS = progressiveDelays(5);
/** Colleagues behind one office address mistype too: more room before an address waits. */
const ADDRESS_DELAYS = progressiveDelays(20);
const DEVICE_DELAYS = progressiveDelays(5);

export const counters = {
  name: (id: string): AttemptCounter => ({ key: `name:${id}`, delays: NAME_DELAYS }),
  address: (address: string): AttemptCounter => ({ key: `address:${address}`, delays: ADDRESS_DELAYS }),
  device: (deviceKey: string): AttemptCounter => ({ key: `device:${deviceKey}`, delays: DEVICE_DELAYS }),
};

/** Where counters live: this process (memory) or Redis; each call is one atomic step. */
export interface AttemptStore {
  /**
   * Counts one attempt on every counter, unless one of them still makes it wait: then counts
   * nothing and returns the wait in ms. Returns 0 when counted.
   */
  reserveAttempt(counters: readonly AttemptCounter[], windowMs: number): Promise<number>;
  /** Takes one counted attempt back from each counter (a correct password, or one never checked). */
  refundAttempt(keys: readonly string[]): Promise<void>;
}
