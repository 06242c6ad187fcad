import { assign, fromPromise, sendParent, setup } from 'xstate';
import type { OtpPurpose, SendResult, VerifyResult } from '../../domain/oneTimeCodes';
import { messages } from '../messages';
import type { Locale } from '../../knowledge/schema';
import type { Reply } from '../reply';
import type { FlowMessages } from './flowMessages';
import { isLostNumber, isResend, readCode } from './input';
import { askingActions, askingGuards } from './kit';
import { COMMON_LINES, messageOf, sayLine, type FlowFromParent, type FlowMessageEvent, type Lines } from './protocol';

/**
 * Proving the user holds a number, as every flow needs it:
 *
 *   sendingCode ─► askingCode ─► checking ─► verified
 *        ▲  "重新发送" ──┘   wrong / expired: ask again
 *
 * To a number that may have an account it says "如果该号码已注册，验证码已发送至 138****0002"
 * whether or not it has one; to the number an account is moving to, that the code confirms
 * the user holds it. A code sent less than the resend wait ago (the user started over) is
 * not replaced: the user is told it is still valid and asked for it. A question asked
 * meanwhile is answered and the code asked for again; three invalid answers in a row have
 * the conversation offer a person (`flow.stuck`), and declined, the code is asked for again.
 * Ends `verified`, `lost-number` (the user cannot receive SMS there any more, when the flow
 * allows that way out) or `failed` (daily limit, SMS limit, backend down).
 */
export type VerifyOutcome = { status: 'verified' } | { status: 'lost-number' } | { status: 'failed' };

interface VerifyContext {
  locale: Locale;
  phone: string;
  purpose: OtpPurpose;
  lostNumberWayOut: boolean;
  code: string;
  invalidInARow: number;
  retryInSeconds: number;
  attemptsLeft: number;
  outcome: VerifyOutcome;
}

/** A step with no step of its own: nothing comes up from below. */
type VerifyEvents = FlowMessageEvent | FlowFromParent;

const withCodeButtons = (m: FlowMessages, text: string): Reply => ({
  text,
  suggestions: [
    { title: m.resend, value: m.resend },
    { title: m.cancel, value: m.cancel },
  ],
});

const LINES = {
  codeSent: (m, c) => withCodeButtons(m, c.purpose === 'phone-change-new' ? m.codeSentToNew(c.phone) : m.codeSent(c.phone)),
  stillValid: (m, c) => withCodeButtons(m, m.codeStillValid(c.phone, c.retryInSeconds)),
  askCode: (m, c) => withCodeButtons(m, m.askCode(c.phone)),
  dailyLimit: (m) => m.dailyLimit,
  smsLimited: (m) => m.smsLimited,
  // The SMS limits could not be counted: the same sentence as any other outage.
  unavailable: (_m, c) => messages(c.locale).unavailable,
  badCode: (m) => m.badCode,
  wrongCode: (m, c) => m.wrongCode(c.attemptsLeft),
  codeUsedUp: (m) => withCodeButtons(m, m.codeUsedUp),
  codeExpired: (m) => withCodeButtons(m, m.codeExpired),
  ...COMMON_LINES,
} satisfies Lines<VerifyContext>;

export const verifyNumber = setup({
  types: {
    context: {} as VerifyContext,
    input: {} as { locale: Locale; phone: string; purpose: OtpPurpose; lostNumberWayOut?: boolean },
    events: {} as VerifyEvents,
    output: {} as VerifyOutcome,
  },
  actors: {
    // Stand-ins: the runtime provides the real ones (bot/conversation/flowActors.ts).
    sendCode: fromPromise<SendResult, { phone: string; purpose: OtpPurpose; locale: Locale }>(() => Promise.reject(new Error('sendCode not provided'))),
    verifyCode: fromPromise<VerifyResult, { phone: string; purpose: OtpPurpose; code: string }>(() => Promise.reject(new Error('verifyCode not provided'))),
  },
  guards: {
    givesCode: ({ event }) => readCode(messageOf(event)?.text ?? '') !== undefined,
    asksResend: ({ event }) => isResend(messageOf(event)?.text ?? ''),
    lostNumber: ({ context, event }) => context.lostNumberWayOut && isLostNumber(messageOf(event)?.text ?? ''),
    ...askingGuards,
  },
  actions: {
    say: sendParent(sayLine(LINES)),
    ...askingActions<VerifyContext, VerifyEvents>(),
    fail: assign({ outcome: { status: 'failed' } }),
  },
}).createMachine({
  id: 'verifyNumber',
  context: ({ input }) => ({
    locale: input.locale,
    phone: input.phone,
    purpose: input.purpose,
    lostNumberWayOut: input.lostNumberWayOut ?? false,
    code: '',
    invalidInARow: 0,
    retryInSeconds: 0,
    attemptsLeft: 0,
    outcome: { status: 'failed' },
  }),
  initial: 'sendingCode',
  states: {
    sendingCode: {
      invoke: {
        src: 'sendCode',
        input: ({ context }) => ({ phone: context.phone, purpose: context.purpose, locale: context.locale }),
        onDone: [
          { guard: ({ event }) => event.output.status === 'sent', target: 'askingCode', actions: { type: 'say', params: 'codeSent' } },
          {
            // The code sent a moment ago stays the one to enter (its validity is not extended).
            guard: ({ event }) => event.output.status === 'too-soon',
            target: 'askingCode',
            actions: [
              assign({ retryInSeconds: ({ event }) => (event.output.status === 'too-soon' ? event.output.retryInSeconds : 60) }),
              { type: 'say', params: 'stillValid' },
            ],
          },
          { guard: ({ event }) => event.output.status === 'limited', target: 'done', actions: ['fail', { type: 'say', params: 'smsLimited' }] },
          { guard: ({ event }) => event.output.status === 'unavailable', target: 'done', actions: ['fail', { type: 'say', params: 'unavailable' }] },
          { target: 'done', actions: ['fail', { type: 'say', params: 'dailyLimit' }] },
        ],
        onError: { target: 'done', actions: ['fail', { type: 'say', params: 'backendDown' }] },
      },
    },
    askingCode: {
      on: {
        'user.message': [
          { guard: 'givesCode', target: 'checking', actions: assign({ code: ({ event }) => readCode(messageOf(event)?.text ?? '') ?? '', invalidInARow: 0 }) },
          { guard: 'lostNumber', target: 'done', actions: assign({ outcome: { status: 'lost-number' } }) },
          { guard: 'asksResend', target: 'sendingCode' },
          { guard: 'digresses', actions: ['digress', { type: 'say', params: 'askCode' }] },
          { guard: 'lastStraw', actions: 'offerPerson' },
          { actions: ['countInvalid', { type: 'say', params: 'badCode' }] },
        ],
        'flow.resume': { actions: { type: 'say', params: 'askCode' } },
      },
    },
    checking: {
      invoke: {
        src: 'verifyCode',
        input: ({ context }) => ({ phone: context.phone, purpose: context.purpose, code: context.code }),
        onDone: [
          { guard: ({ event }) => event.output.status === 'ok', target: 'done', actions: assign({ outcome: { status: 'verified' } }) },
          {
            guard: ({ event }) => event.output.status === 'wrong',
            target: 'askingCode',
            actions: [
              assign({ attemptsLeft: ({ event }) => (event.output.status === 'wrong' ? event.output.attemptsLeft : 0) }),
              { type: 'say', params: 'wrongCode' },
            ],
          },
          { guard: ({ event }) => event.output.status === 'used-up', target: 'askingCode', actions: { type: 'say', params: 'codeUsedUp' } },
          { target: 'askingCode', actions: { type: 'say', params: 'codeExpired' } },
        ],
        onError: { target: 'done', actions: ['fail', { type: 'say', params: 'backendDown' }] },
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => context.outcome,
});
