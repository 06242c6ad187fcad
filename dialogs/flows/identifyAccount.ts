import { assign, fromPromise, sendParent, sendTo, setup } from 'xstate';
import type { Account } from '../../bot/services/accounts';
import type { OtpPurpose } from '../../bot/services/otp';
import type { Locale } from '../../knowledge/schema';
import { readMobile } from './input';
import { COMMON_LINES, digression, messageOf, relay, sayLine, type FlowMessageEvent, type FlowToParent, type Lines } from './protocol';
import { verifyNumber, type VerifyOutcome } from './verifyNumber';
import type { FlowMessages } from './flowMessages';

/**
 * How every account flow begins:
 *
 *   askingPhone ─► verifying (SMS code to that number) ─► lookingUp ─► found
 *
 * Nothing about the account is said before the code is verified. Ends `found` (with the
 * account), `no-account` (said so), `lost-number` (the user cannot receive SMS there, when the
 * flow allows that way out) or `failed` (already explained to the user).
 */
export type IdentifyOutcome =
  | { status: 'found'; phone: string; account: Account }
  | { status: 'no-account' }
  | { status: 'lost-number' }
  | { status: 'failed' };

type Prompt = 'askPhone' | 'pcAskCurrent' | 'apAsk';

interface IdentifyContext {
  locale: Locale;
  prompt: Prompt;
  purpose: OtpPurpose;
  lostNumberWayOut: boolean;
  phone: string;
  invalidInARow: number;
  outcome: IdentifyOutcome;
}

const MAX_INVALID = 3;

const LINES = {
  ask: (m: FlowMessages, c: IdentifyContext) => ({ text: m[c.prompt], suggestions: [{ title: m.cancel, value: m.cancel }] }),
  badPhone: (m) => m.badPhone,
  noAccount: (m) => m.noAccount,
  ...COMMON_LINES,
} satisfies Lines<IdentifyContext>;

export const identifyAccount = setup({
  types: {
    context: {} as IdentifyContext,
    input: {} as { locale: Locale; prompt: Prompt; purpose: OtpPurpose; lostNumberWayOut?: boolean },
    events: {} as FlowMessageEvent | FlowToParent,
    output: {} as IdentifyOutcome,
  },
  actors: {
    verifyNumber,
    // Stand-in: the runtime provides the real one (bot/conversation/flowActors.ts).
    findAccount: fromPromise<Account | undefined, { phone: string }>(() => Promise.reject(new Error('findAccount not provided'))),
  },
  guards: {
    givesPhone: ({ event }) => readMobile(messageOf(event)?.text ?? '') !== undefined,
    digresses: ({ event }) => messageOf(event)?.route.decision === 'answer',
    lastStraw: ({ context }) => context.invalidInARow + 1 >= MAX_INVALID,
    verified: ({ event }) => (event as unknown as { output: VerifyOutcome }).output.status === 'verified',
    lostNumber: ({ event }) => (event as unknown as { output: VerifyOutcome }).output.status === 'lost-number',
  },
  actions: {
    say: sendParent(sayLine(LINES)),
    digress: sendParent(digression),
    passUp: sendParent(relay),
    countInvalid: assign({ invalidInARow: ({ context }) => context.invalidInARow + 1 }),
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
  on: {
    'flow.say': { actions: 'passUp' },
    'flow.digress': { actions: 'passUp' },
  },
  states: {
    askingPhone: {
      entry: { type: 'say', params: 'ask' },
      on: {
        'user.message': [
          { guard: 'givesPhone', target: 'verifying', actions: assign({ phone: ({ event }) => readMobile(messageOf(event)?.text ?? '') ?? '', invalidInARow: 0 }) },
          { guard: 'digresses', target: 'askingPhone', reenter: true, actions: 'digress' },
          { guard: 'lastStraw', target: 'done', actions: { type: 'say', params: 'tooManyTries' } },
          { actions: ['countInvalid', { type: 'say', params: 'badPhone' }] },
        ],
      },
    },
    verifying: {
      invoke: {
        id: 'step',
        src: 'verifyNumber',
        input: ({ context }) => ({ locale: context.locale, phone: context.phone, purpose: context.purpose, lostNumberWayOut: context.lostNumberWayOut }),
        onDone: [
          { guard: 'verified', target: 'lookingUp' },
          { guard: 'lostNumber', target: 'done', actions: assign({ outcome: { status: 'lost-number' } }) },
          { target: 'done' },
        ],
      },
      on: { 'user.message': { actions: sendTo('step', ({ event }) => event) } },
    },
    lookingUp: {
      tags: 'busy',
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
