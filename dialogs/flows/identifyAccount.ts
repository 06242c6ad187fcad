import { assign, enqueueActions, fromPromise, sendParent, sendTo, setup } from 'xstate';
import type { Account } from '../../domain/accounts';
import type { OtpPurpose } from '../../domain/oneTimeCodes';
import type { Locale } from '../../knowledge/schema';
import { readMobile } from './input';
import { COMMON_LINES, STUCK, digression, messageOf, relay, sayLine, type FlowFromParent, type FlowMessageEvent, type FlowToParent, type Lines } from './protocol';
import { verifyNumber, type VerifyOutcome } from './verifyNumber';
import type { FlowMessages } from './flowMessages';

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
  askAgain: (m) => ({ text: m.askPhoneAgain, suggestions: [{ title: m.cancel, value: m.cancel }] }),
  badPhone: (m) => m.badPhone,
  noAccount: (m) => m.noAccount,
  ...COMMON_LINES,
} satisfies Lines<IdentifyContext>;

export const identifyAccount = setup({
  types: {
    context: {} as IdentifyContext,
    input: {} as { locale: Locale; prompt: Prompt; purpose: OtpPurpose; lostNumberWayOut?: boolean },
    events: {} as FlowMessageEvent | FlowFromParent | FlowToParent,
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
    toStep: sendTo('step', ({ event }) => event),
    countInvalid: assign({ invalidInARow: ({ context }) => context.invalidInARow + 1 }),
    // Counted afresh, so the offer does not come again at the very next slip.
    offerPerson: enqueueActions(({ enqueue }) => {
      enqueue.assign({ invalidInARow: 0 });
      enqueue.sendParent(STUCK);
    }),
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
    'flow.stuck': { actions: 'passUp' },
  },
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
          { guard: 'verified', target: 'lookingUp' },
          { guard: 'lostNumber', target: 'done', actions: assign({ outcome: { status: 'lost-number' } }) },
          { target: 'done' },
        ],
      },
      on: { 'user.message': { actions: 'toStep' }, 'flow.resume': { actions: 'toStep' } },
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
