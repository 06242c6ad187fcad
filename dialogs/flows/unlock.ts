import { assign, fromPromise, sendParent, setup } from 'xstate';
import type { Account } from '../../domain/accounts';
import type { Locale } from '../../knowledge/schema';
import { flowMessages } from './flowMessages';
import { identifyAccount } from './identifyAccount';
import { identifyingState } from './identifying';
import { flowTypes, outcomeActions, passUpFromStep, stepActions } from './kit';
import { sayLine, type FlowOutcome, type Lines } from './protocol';

/**
 * Account unlock, as the conversation goes:
 *
 *   identifying (number, SMS code, look-up) ─► by the account:
 *     locked, wrong_password ─► unlocking (and a reset link by SMS) ─► done
 *     locked, inactive       ─► unlocking ─► done
 *     locked, security_alert ─► hand off to a person, high priority (never unlocked here)
 *     active / closed        ─► say so (closed: offer the appeal) ─► done
 *
 * A password is never asked for.
 */

interface UnlockContext {
  locale: Locale;
  account?: Account;
  outcome: FlowOutcome;
}

/** Everything this flow says, by name, in the user's language. */
const LINES = {
  backendDown: (m) => m.backendDown,
  securityHandoff: (m) => m.unlockSecurity,
  closed: (m) => ({ text: m.unlockClosed, suggestions: [{ title: m.startAppeal, value: m.startAppeal }] }),
  notLocked: (m) => m.unlockNotLocked,
  unlocked: (m, c) => (c.account?.status === 'locked' && c.account.lockReason === 'wrong_password' ? m.unlockedWithReset : m.unlocked),
} satisfies Lines<UnlockContext>;

export const unlockFlow = setup({
  types: flowTypes<UnlockContext>(),
  actors: {
    identifyAccount,
    // Stand-in: the runtime provides the real one (bot/conversation/flowActors.ts).
    unlockAccount: fromPromise<void, { account: Account; locale: Locale }>(() => Promise.reject(new Error('unlockAccount not provided'))),
  },
  guards: {
    lockedBy: ({ context }, reason: string) => context.account?.status === 'locked' && context.account.lockReason === reason,
    closed: ({ context }) => context.account?.status === 'closed',
  },
  actions: {
    say: sendParent(sayLine(LINES)),
    ...stepActions<UnlockContext>(),
    ...outcomeActions<UnlockContext>(),
  },
}).createMachine({
  id: 'unlock',
  context: ({ input }) => ({ locale: input.locale, outcome: { outcome: 'done' } }),
  initial: 'identifying',
  on: passUpFromStep,
  states: {
    identifying: identifyingState<UnlockContext>((locale) => flowMessages(locale).askPhone, 'unlock'),
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
        { target: 'done', actions: { type: 'say', params: 'notLocked' } },
      ],
    },
    unlocking: {
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
