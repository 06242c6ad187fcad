import { AgentSessions } from '../../bot/handoff/sessions';
import { MemoryAgentSessionStore, MemoryAttemptStore } from '../../bot/storage/memory/sessionStore';
import { SignIn, HASH_SLOTS, type PasswordCheck } from '../../bot/handoff/signIn';
import { ATTEMPT_WINDOW_MS, counters, progressiveDelays } from '../../bot/handoff/signInLimits';
import type { SignedInAgent } from '../../bot/handoff/agents';
import { WorkSlots } from '../../bot/workSlots';

/** Sign-in limits in one process, with a clock the test moves and a password check it counts. */

const WANG: SignedInAgent = { id: 'wang', name: '小王', role: 'agent' };

/** A password check that counts its calls; `hold` keeps every check running until released. */
function countingCheck(hold = false) {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const check = {
    calls: 0,
    release,
    async authenticate(id: string, password: string): Promise<SignedInAgent | undefined> {
      check.calls += 1;
      if (hold) await held;
      return id === 'wang' && password === 'right' ? WANG : undefined;
    },
  };
  return check satisfies PasswordCheck & Record<string, unknown>;
}

function setup(hold = false) {
  const clock = { ms: 1_000_000 };
  const sessions = new AgentSessions(new MemoryAgentSessionStore(() => clock.ms), 3600_000);
  const check = countingCheck(hold);
  return { clock, sessions, check, signIn: new SignIn(check, sessions) };
}

test('delays: five attempts free, then 2 s doubling up to 60 s', () => {
  expect(progressiveDelays(5)).toEqual([0, 0, 0, 0, 2000, 4000, 8000, 16000, 32000, 60000]);
});

test('40 concurrent wrong passwords for one name: 5 are checked, 35 told to wait', async () => {
  const { signIn, check } = setup();
  const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => signIn.attempt({ id: 'wang', password: `guess-${i}`, address: `198.51.100.${i}` })));
  expect(check.calls).toBe(5);
  expect(outcomes.filter((o) => o.kind === 'wrong')).toHaveLength(5);
  expect(outcomes.filter((o) => o.kind === 'throttled')).toHaveLength(35);
});

test('the wait grows with each failure and is never longer than a minute', async () => {
  const { signIn, clock } = setup();
  const waits: number[] = [];
  for (let i = 0; i < 12; i++) {
    for (let j = 0; j < 5; j++) await signIn.attempt({ id: 'wang', password: 'wrong', address: '198.51.100.1' });
    const outcome = await signIn.attempt({ id: 'wang', password: 'wrong', address: '198.51.100.1' });
    if (outcome.kind === 'throttled') {
      waits.push(outcome.retryAfterS);
      clock.ms += outcome.retryAfterS * 1000;
    }
  }
  expect(waits.slice(0, 6)).toEqual([2, 4, 8, 16, 32, 60]);
  expect(Math.max(...waits)).toBe(60);
  // Fifteen quiet minutes and the name starts afresh.
  clock.ms += ATTEMPT_WINDOW_MS;
  expect((await signIn.attempt({ id: 'wang', password: 'right', address: '198.51.100.1' })).kind).toBe('ok');
});

test("strangers' guesses do not delay the agent on a device where they signed in before", async () => {
  const { signIn } = setup();
  const first = await signIn.attempt({ id: 'wang', password: 'right', address: '10.0.0.5' });
  expect(first.kind).toBe('ok');
  const device = first.kind === 'ok' ? first.newDevice : undefined;
  expect(device).toBeDefined();

  for (let i = 0; i < 20; i++) await signIn.attempt({ id: 'wang', password: `guess-${i}`, address: `203.0.113.${i}` });
  // The same address as the agent's, no device cookie: the name waits.
  expect((await signIn.attempt({ id: 'wang', password: 'right', address: '10.0.0.5' })).kind).toBe('throttled');
  // The agent's browser is let in, and is not given a new device token.
  expect(await signIn.attempt({ id: 'wang', password: 'right', address: '10.0.0.5', deviceToken: device })).toEqual({ kind: 'ok', agent: WANG, newDevice: undefined });
  // A device is known for its agent only.
  expect((await signIn.attempt({ id: 'alice', password: 'x', address: '10.0.0.5', deviceToken: device })).kind).toBe('wrong');
  // Guessing from a known device is limited as well.
  const fromDevice = [];
  for (let i = 0; i < 7; i++) fromDevice.push((await signIn.attempt({ id: 'wang', password: 'wrong', address: '10.0.0.5', deviceToken: device })).kind);
  expect(fromDevice).toEqual(['wrong', 'wrong', 'wrong', 'wrong', 'wrong', 'throttled', 'throttled']);
});

test('one address trying many names waits after 20', async () => {
  const { signIn, check } = setup();
  const outcomes = await Promise.all(Array.from({ length: 60 }, (_, i) => signIn.attempt({ id: `name-${i}`, password: 'x', address: '203.0.113.9' })));
  expect(outcomes.filter((o) => o.kind === 'throttled')).toHaveLength(40);
  // Of the 20 let through, those beyond the hashing slots were turned away as busy, unchecked.
  expect(check.calls + outcomes.filter((o) => o.kind === 'busy').length).toBe(20);
});

test('hashing is capped: a flood from many addresses gets "busy" at once, not a queue', async () => {
  const { signIn, check, sessions } = setup(true);
  const flood = Array.from({ length: 40 }, (_, i) => signIn.attempt({ id: `name-${i}`, password: 'x', address: `198.18.0.${i}` }));
  // Everything beyond the slots and their queue is answered before any hash finishes.
  let timer: NodeJS.Timeout | undefined;
  const busy = await Promise.race([Promise.all(flood.slice(HASH_SLOTS.running + HASH_SLOTS.waiting)), new Promise<'blocked'>((resolve) => (timer = setTimeout(() => resolve('blocked'), 5000)))]);
  clearTimeout(timer);
  expect(busy).not.toBe('blocked');
  expect(new Set((busy as { kind: string }[]).map((o) => o.kind))).toEqual(new Set(['busy']));
  expect(check.calls).toBe(HASH_SLOTS.running);
  check.release();
  const checked = await Promise.all(flood.slice(0, HASH_SLOTS.running + HASH_SLOTS.waiting));
  expect(checked.every((o) => o.kind === 'wrong')).toBe(true);
  expect(check.calls).toBe(HASH_SLOTS.running + HASH_SLOTS.waiting);
  // Attempts turned away as busy were never checked: they are not held against the name.
  const name = counters.name('name-39');
  expect(await sessions.attempts.reserve([name, name, name, name, name], ATTEMPT_WINDOW_MS)).toBe(0);
});

test('work slots: at most `running` at once, `waiting` queued, the rest refused; a freed slot goes to the queue', async () => {
  const slots = new WorkSlots(1, 1);
  let running = 0;
  let most = 0;
  const gates: (() => void)[] = [];
  const job = () =>
    new Promise<void>((resolve) => {
      running += 1;
      most = Math.max(most, running);
      gates.push(() => {
        running -= 1;
        resolve();
      });
    });
  const first = slots.tryRun(job);
  const second = slots.tryRun(job);
  expect(slots.tryRun(job)).toBeUndefined();
  await new Promise((resolve) => setImmediate(resolve));
  gates.shift()?.();
  await first;
  await new Promise((resolve) => setImmediate(resolve));
  gates.shift()?.();
  await second;
  expect(most).toBe(1);
  expect(slots.tryRun(async () => 'again')).toBeDefined();
});

test('reserving is all or nothing across counters, and a refund gives one attempt back', async () => {
  const clock = { ms: 0 };
  const store = new MemoryAttemptStore(() => clock.ms);
  const address = counters.address('203.0.113.1');
  for (let i = 0; i < 20; i++) expect(await store.reserveAttempt([counters.name(`n${i}`), address], ATTEMPT_WINDOW_MS)).toBe(0);
  // The address waits now; the new name is not counted for an attempt that did not happen.
  expect(await store.reserveAttempt([counters.name('fresh'), address], ATTEMPT_WINDOW_MS)).toBe(2000);
  for (let i = 0; i < 5; i++) expect(await store.reserveAttempt([counters.name('fresh')], ATTEMPT_WINDOW_MS)).toBe(0);
  expect(await store.reserveAttempt([counters.name('fresh')], ATTEMPT_WINDOW_MS)).toBe(2000);
  await store.refundAttempt([counters.name('fresh').key]);
  expect(await store.reserveAttempt([counters.name('fresh')], ATTEMPT_WINDOW_MS)).toBe(0);
});
