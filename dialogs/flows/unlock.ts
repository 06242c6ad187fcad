import { assign, fromPromise, sendParent, sendTo, setup } from 'xstate';
import type { Account } from '../../bot/services/accounts';
import type { Locale } from '../../knowledge/schema';
import { readMobile } from './input';
import { digression, sayLine, type FlowMessageEvent, type FlowOutcome, type FlowToParent, type Lines } from './protocol';
import { verifyNumber, type VerifyOutcome } from './verifyNumber';

/**
 * Account unlock, as the conversation goes:
 *
 *   askingPhone ─► verifying (SMS code) ─► lookingUp ─► by the account:
 *     locked, wrong_password ─► unlocking (and a reset link by SMS) ─► done
 *     locked, inactive       ─► unlocking ─► done
 *     locked, security_alert ─► hand off to a person, high priority (never unlocked here)
 *     active / closed / none ─► say so (closed: offer the appeal) ─► done
 *
 * Nothing about the account is said before the code is verified, and a password is never
 * asked for. Three invalid answers in a row end in the offer of a person; a question the
 * knowledge base can answer is answered in between, and the step asked again.
 */

interface UnlockContext {
  locale: Locale;
  phone: string;
  invalidInARow: number;
  account?: Account;
  outcome: FlowOutcome;
}

const MAX_INVALID = 3;

/** Everything this flow says, by name, in the user's language. */
const LINES = {
  askPhone: (m) => ({ text: m.askPhone, suggestions: [{ title: m.cancel, value: m.cancel }] }),
  badPhone: (m) => m.badPhone,
  tooManyTries: (m) => ({ text: m.tooManyTries, suggestions: [{ title: m.talkToAgent, value: m.talkToAgent }] }),
  backendDown: (m) => m.backendDown,
  securityHandoff: (m) => m.unlockSecurity,
  closed: (m) => ({ text: m.unlockClosed, suggestions: [{ title: m.startAppeal, value: m.startAppeal }] }),
  notLocked: (m) => m.unlockNotLocked,
  noAccount: (m) => m.noAccount,
  unlocked: (m, c) => (c.account?.status === 'locked' && c.account.lockReason === 'wrong_password' ? m.unlockedWithReset : m.unlocked),
} satisfies Lines<UnlockContext>;

export const unlockFlow = setup({
  types: {
    context: {} as UnlockContext,
    input: {} as { locale: Locale },
    events: {} as FlowMessageEvent | FlowToParent,
    output: {} as FlowOutcome,
  },
  actors: {
    verifyNumber,
    // Stand-ins: the runtime provides the real ones (bot/conversation/flowActors.ts).
    findAccount: fromPromise<Account | undefined, { phone: string }>(() => Promise.reject(new Error('findAccount not provided'))),
    unlockAccount: fromPromise<void, { account: Account; locale: Locale }>(() => Promise.reject(new Error('unlockAccount not provided'))),
  },
  guards: {
    givesPhone: ({ event }) => event.type === 'user.message' && readMobile(event.text) !== undefined,
    digresses: ({ event }) => event.type === 'user.message' && event.route.decision === 'answer',
    lastStraw: ({ context }) => context.invalidInARow + 1 >= MAX_INVALID,
    verified: ({ event }) => (event as unknown as { output: VerifyOutcome }).output.status === 'verified',
    lockedBy: ({ context }, reason: string) => context.account?.status === 'locked' && context.account.lockReason === reason,
    closed: ({ context }) => context.account?.status === 'closed',
    active: ({ context }) => context.account?.status === 'active',
  },
  actions: {
    say: sendParent(sayLine(LINES)),
    digress: sendParent(digression),
    /** What the code step says goes straight up to the conversation. */
    passUp: sendParent(({ event }) => event as FlowToParent),
    countInvalid: assign({ invalidInARow: ({ context }) => context.invalidInARow + 1 }),
    giveUp: assign({ outcome: { outcome: 'gave-up' } }),
  },
}).createMachine({
  id: 'unlock',
  context: ({ input }) => ({ locale: input.locale, phone: '', invalidInARow: 0, outcome: { outcome: 'done' } }),
  initial: 'askingPhone',
  on: {
    'flow.say': { actions: 'passUp' },
    'flow.digress': { actions: 'passUp' },
  },
  states: {
    askingPhone: {
      entry: { type: 'say', params: 'askPhone' },
      on: {
        'user.message': [
          { guard: 'givesPhone', target: 'verifying', actions: assign({ phone: ({ event }) => readMobile(event.text) ?? '', invalidInARow: 0 }) },
          { guard: 'digresses', target: 'askingPhone', reenter: true, actions: 'digress' },
          { guard: 'lastStraw', target: 'done', actions: ['giveUp', { type: 'say', params: 'tooManyTries' }] },
          { actions: ['countInvalid', { type: 'say', params: 'badPhone' }] },
        ],
      },
    },
    verifying: {
      invoke: {
        id: 'step',
        src: 'verifyNumber',
        input: ({ context }) => ({ locale: context.locale, phone: context.phone, purpose: 'unlock' as const }),
        onDone: [{ guard: 'verified', target: 'lookingUp' }, { target: 'done', actions: 'giveUp' }],
      },
      on: { 'user.message': { actions: sendTo('step', ({ event }) => event) } },
    },
    lookingUp: {
      tags: 'busy',
      invoke: {
        src: 'findAccount',
        input: ({ context }) => ({ phone: context.phone }),
        onDone: { target: 'byAccount', actions: assign({ account: ({ event }) => event.output }) },
        onError: { target: 'done', actions: ['giveUp', { type: 'say', params: 'backendDown' }] },
      },
    },
    byAccount: {
      always: [
        {
          guard: { type: 'lockedBy', params: 'security_alert' },
          target: 'done',
          actions: [{ type: 'say', params: 'securityHandoff' }, assign({ outcome: { outcome: 'handoff', priority: 'high', reason: 'security_alert' } })],
        },
        { guard: { type: 'lockedBy', params: 'wrong_password' }, target: 'unlocking' },
        { guard: { type: 'lockedBy', params: 'inactive' }, target: 'unlocking' },
        { guard: 'closed', target: 'done', actions: { type: 'say', params: 'closed' } },
        { guard: 'active', target: 'done', actions: { type: 'say', params: 'notLocked' } },
        { target: 'done', actions: { type: 'say', params: 'noAccount' } },
      ],
    },
    unlocking: {
      tags: 'busy',
      invoke: {
        src: 'unlockAccount',
        input: ({ context }) => ({ account: context.account as Account, locale: context.locale }),
        onDone: { target: 'done', actions: { type: 'say', params: 'unlocked' } },
        onError: { target: 'done', actions: ['giveUp', { type: 'say', params: 'backendDown' }] },
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => context.outcome,
});
