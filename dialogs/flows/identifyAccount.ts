import { assign, fromPromise, sendParent, setup } from 'xstate';
import type { Account } from '../../domain/accounts';
import type { OtpPurpose } from '../../domain/oneTimeCodes';
import type { Locale } from '../../knowledge/schema';
import { readMobile } from './input';
import { askingActions, askingGuards, passUpFromStep, stepActions, toStep, type FlowEvents } from './kit';
import { COMMON_LINES, messageOf, sayLine, type Lines } from './protocol';
import { verifyNumber } from './verifyNumber';

/**
 * How every account flow begins:
 *
 *   askingPhone ─► verifying (SMS code to that number) ─► lookingUp ─► found
 *
 * Nothing about the account is said before the code is verified. A question asked at the
 * number is answered and the number asked for again; three invalid answers in a row have the
 * conversation offer a person (`flow.stuck`), and declined, the number is asked for again.
 * Ends `found` (with the
 * account), `no-account` (said so), `lost-number` (the user cannot receive SMS there, when the
 * flow allows that way out) or `failed` (already explained to the user).
 */
export type IdentifyOutcome =
  | { status: 'found'; phone: string; account: Account }
  | { status: 'no-account' }
  | { status: 'lost-number' }
  | { status: 'failed' };

interface IdentifyContext {
  locale: Locale;
  /** The parent flow's question for the number, in the user's language. */
  prompt: string;
  purpose: OtpPurpose;
  lostNumberWayOut: boolean;
  phone: string;
  invalidInARow: number;
  outcome: IdentifyOutcome;
}

const LINES = {
  ask: (m, c) => ({ text: c.prompt, suggestions: [{ title: m.cancel, value: m.cancel }] }),
  askAgain: (m) => ({ text: m.askPhoneAgain, suggestions: [{ title: m.cancel, value: m.cancel }] }),
  badPhone: (m) => m.badPhone,
  noAccount: (m) => m.noAccount,
  ...COMMON_LINES,
} satisfies Lines<IdentifyContext>;

export const identifyAccount = setup({
  types: {
    context: {} as IdentifyContext,
    input: {} as { locale: Locale; prompt: string; purpose: OtpPurpose; lostNumberWayOut?: boolean },
    events: {} as FlowEvents,
    output: {} as IdentifyOutcome,
  },
  actors: {
    verifyNumber,
    // Stand-in: the runtime provides the real one (bot/conversation/flowActors.ts).
    findAccount: fromPromise<Account | undefined, { phone: string }>(() => Promise.reject(new Error('findAccount not provided'))),
  },
  guards: {
    givesPhone: ({ event }) => readMobile(messageOf(event)?.text ?? '') !== undefined,
    ...askingGuards,
  },
  actions: {
    say: sendParent(sayLine(LINES)),
    ...askingActions<IdentifyContext>(),
    ...stepActions<IdentifyContext>(),
  },
}).createMachine({
  id: 'identifyAccount',
  context: ({ input }) => ({
    locale: input.locale,
    prompt: input.prompt,
    purpose: input.purpose,
    lostNumberWayOut: input.lostNumberWayOut ?? false,
    phone: '',
    invalidInARow: 0,
    outcome: { status: 'failed' },
  }),
  initial: 'askingPhone',
  on: passUpFromStep,
  states: {
    askingPhone: {
      entry: { type: 'say', params: 'ask' },
      on: {
        'user.message': [
          { guard: 'givesPhone', target: 'verifying', actions: assign({ phone: ({ event }) => readMobile(messageOf(event)?.text ?? '') ?? '', invalidInARow: 0 }) },
          { guard: 'digresses', actions: ['digress', { type: 'say', params: 'askAgain' }] },
          { guard: 'lastStraw', actions: 'offerPerson' },
          { actions: ['countInvalid', { type: 'say', params: 'badPhone' }] },
        ],
        'flow.resume': { actions: { type: 'say', params: 'askAgain' } },
      },
    },
    verifying: {
      invoke: {
        id: 'step',
        src: 'verifyNumber',
        input: ({ context }) => ({ locale: context.locale, phone: context.phone, purpose: context.purpose, lostNumberWayOut: context.lostNumberWayOut }),
        onDone: [
          { guard: ({ event }) => event.output.status === 'verified', target: 'lookingUp' },
          { guard: ({ event }) => event.output.status === 'lost-number', target: 'done', actions: assign({ outcome: { status: 'lost-number' } }) },
          { target: 'done' },
        ],
      },
      on: toStep,
    },
    lookingUp: {
      invoke: {
        src: 'findAccount',
        input: ({ context }) => ({ phone: context.phone }),
        onDone: [
          {
            guard: ({ event }) => event.output !== undefined,
            target: 'done',
            actions: assign({ outcome: ({ context, event }) => ({ status: 'found', phone: context.phone, account: event.output as Account }) }),
          },
          { target: 'done', actions: [{ type: 'say', params: 'noAccount' }, assign({ outcome: { status: 'no-account' } })] },
        ],
        onError: { target: 'done', actions: { type: 'say', params: 'backendDown' } },
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => context.outcome,
});
