import { assign, fromPromise, sendParent, setup } from 'xstate';
import type { Account } from '../../domain/accounts';
import type { Locale } from '../../knowledge/schema';
import { isConfirm, readMobile } from './input';
import { flowMessages } from './flowMessages';
import { identifyAccount } from './identifyAccount';
import { askingActions, askingGuards, flowTypes, outcomeActions, passUpFromStep, stepActions, toStep } from './kit';
import { COMMON_LINES, messageOf, sayLine, type FlowOutcome, type Lines } from './protocol';
import { verifyNumber } from './verifyNumber';

/**
 * Changing the bound phone number, as the conversation goes:
 *
 *   identifying (the current number, a code to it — "旧号码收不到" → a person, who checks ID
 *   documents — and the look-up) ─► active? ─► askingNew (valid, different, not
 *   bound to another account) ─► verifyingNew (code to the new number) ─► confirming (card
 *   with both numbers masked) ─► changing (SMS notice to both numbers) ─► reminders.
 *   Closed or locked accounts are told so. A question asked at a step is answered and the
 *   step's question asked again; three invalid answers in a row have the conversation offer a
 *   person (`flow.stuck`), and declined, the step's question is asked again.
 */

interface PhoneChangeContext {
  locale: Locale;
  currentPhone: string;
  newPhone: string;
  invalidInARow: number;
  account?: Account;
  outcome: FlowOutcome;
}


const LINES = {
  badPhone: (m) => m.badPhone,
  lostOld: (m) => m.pcLostOld,
  closed: (m) => ({ text: m.pcClosed, suggestions: [{ title: m.startAppeal, value: m.startAppeal }] }),
  locked: (m) => ({ text: m.pcLocked, suggestions: [{ title: m.startUnlock, value: m.startUnlock }] }),
  askNew: (m) => ({ text: m.pcAskNew, suggestions: [{ title: m.cancel, value: m.cancel }] }),
  askNewAgain: (m) => ({ text: m.pcAskNewAgain, suggestions: [{ title: m.cancel, value: m.cancel }] }),
  sameNumber: (m) => m.pcSameNumber,
  taken: (m) => m.pcTaken,
  confirm: (m, c) => ({
    text: m.pcConfirm(c.currentPhone, c.newPhone),
    suggestions: [
      { title: m.pcConfirmWord, value: m.pcConfirmWord },
      { title: m.cancel, value: m.cancel },
    ],
    asCard: true,
  }),
  notConfirmed: (m) => m.pcNotConfirmed,
  changed: (m, c) => m.pcChanged(c.newPhone),
  ...COMMON_LINES,
} satisfies Lines<PhoneChangeContext>;

export const phoneChangeFlow = setup({
  types: flowTypes<PhoneChangeContext>(),
  actors: {
    identifyAccount,
    verifyNumber,
    // Stand-ins: the runtime provides the real ones (bot/conversation/flowActors.ts).
    isPhoneFree: fromPromise<boolean, { phone: string }>(() => Promise.reject(new Error('isPhoneFree not provided'))),
    changePhone: fromPromise<void, { account: Account; newPhone: string; locale: Locale }>(() => Promise.reject(new Error('changePhone not provided'))),
  },
  guards: {
    givesPhone: ({ event }) => readMobile(messageOf(event)?.text ?? '') !== undefined,
    givesSameNumber: ({ context, event }) => readMobile(messageOf(event)?.text ?? '') === context.currentPhone,
    confirms: ({ event }) => isConfirm(messageOf(event)?.text ?? ''),
    ...askingGuards,
    status: ({ context }, status: Account['status']) => context.account?.status === status,
  },
  actions: {
    say: sendParent(sayLine(LINES)),
    ...askingActions<PhoneChangeContext>(),
    ...stepActions<PhoneChangeContext>(),
    ...outcomeActions<PhoneChangeContext>(),
  },
}).createMachine({
  id: 'phoneChange',
  context: ({ input }) => ({ locale: input.locale, currentPhone: '', newPhone: '', invalidInARow: 0, outcome: { outcome: 'done' } }),
  initial: 'identifying',
  on: passUpFromStep,
  states: {
    identifying: {
      invoke: {
        id: 'step',
        src: 'identifyAccount',
        input: ({ context }) => ({ locale: context.locale, prompt: flowMessages(context.locale).pcAskCurrent, purpose: 'phone-change-old' as const, lostNumberWayOut: true }),
        onDone: [
          {
            guard: ({ event }) => event.output.status === 'found',
            target: 'byAccount',
            actions: assign(({ event }) => (event.output.status === 'found' ? { account: event.output.account, currentPhone: event.output.phone } : {})),
          },
          {
            guard: ({ event }) => event.output.status === 'lost-number',
            target: 'done',
            actions: [{ type: 'say', params: 'lostOld' }, assign({ outcome: { outcome: 'handoff', priority: 'normal', reason: 'old-number-unavailable' } })],
          },
          { guard: ({ event }) => event.output.status === 'no-account', target: 'done' },
          { target: 'done', actions: 'giveUp' },
        ],
      },
      on: toStep,
    },
    byAccount: {
      always: [
        { guard: { type: 'status', params: 'active' }, target: 'askingNew', actions: { type: 'say', params: 'askNew' } },
        { guard: { type: 'status', params: 'closed' }, target: 'done', actions: { type: 'say', params: 'closed' } },
        { target: 'done', actions: { type: 'say', params: 'locked' } },
      ],
    },
    askingNew: {
      on: {
        'user.message': [
          { guard: 'givesSameNumber', actions: ['countInvalid', { type: 'say', params: 'sameNumber' }] },
          { guard: 'givesPhone', target: 'checkingNew', actions: assign({ newPhone: ({ event }) => readMobile(messageOf(event)?.text ?? '') ?? '', invalidInARow: 0 }) },
          { guard: 'digresses', actions: ['digress', { type: 'say', params: 'askNewAgain' }] },
          { guard: 'lastStraw', actions: 'offerPerson' },
          { actions: ['countInvalid', { type: 'say', params: 'badPhone' }] },
        ],
        'flow.resume': { actions: { type: 'say', params: 'askNewAgain' } },
      },
    },
    checkingNew: {
      invoke: {
        src: 'isPhoneFree',
        input: ({ context }) => ({ phone: context.newPhone }),
        onDone: [
          { guard: ({ event }) => event.output, target: 'verifyingNew' },
          { target: 'askingNew', actions: [{ type: 'say', params: 'taken' }, 'countInvalid'] },
        ],
        onError: { target: 'done', actions: ['giveUp', { type: 'say', params: 'backendDown' }] },
      },
    },
    verifyingNew: {
      invoke: {
        id: 'step',
        src: 'verifyNumber',
        input: ({ context }) => ({ locale: context.locale, phone: context.newPhone, purpose: 'phone-change-new' as const }),
        onDone: [{ guard: ({ event }) => event.output.status === 'verified', target: 'confirming' }, { target: 'done', actions: 'giveUp' }],
      },
      on: toStep,
    },
    confirming: {
      entry: { type: 'say', params: 'confirm' },
      on: {
        'user.message': [
          { guard: 'confirms', target: 'changing' },
          { guard: 'digresses', target: 'confirming', reenter: true, actions: 'digress' },
          { guard: 'lastStraw', actions: 'offerPerson' },
          { actions: ['countInvalid', { type: 'say', params: 'notConfirmed' }] },
        ],
        'flow.resume': { target: 'confirming', reenter: true },
      },
    },
    changing: {
      invoke: {
        src: 'changePhone',
        input: ({ context }) => ({ account: context.account as Account, newPhone: context.newPhone, locale: context.locale }),
        onDone: { target: 'done', actions: { type: 'say', params: 'changed' } },
        onError: { target: 'done', actions: ['giveUp', { type: 'say', params: 'backendDown' }] },
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => context.outcome,
});
