import { assign, fromPromise, sendParent, setup } from 'xstate';
import type { OtpPurpose, SendResult, VerifyResult } from '../../bot/services/otp';
import type { Locale } from '../../knowledge/schema';
import type { Reply } from '../reply';
import type { FlowMessages } from './flowMessages';
import { isLostNumber, isResend, readCode } from './input';
import { COMMON_LINES, digression, sayLine, type FlowMessageEvent, type Lines } from './protocol';

/**
 * Proving the user holds a number, as every flow needs it:
 *
 *   sendingCode ─► askingCode ─► checking ─► verified
 *        ▲  "重新发送" ──┘   wrong / expired: ask again
 *
 * It says "如果该号码已注册，验证码已发送至 138****0002" whether or not the number has an
 * account. Ends `verified`, `lost-number` (the user cannot receive SMS there any more, when
 * the flow allows that way out) or `failed` (daily limit, backend down, three invalid answers).
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

const MAX_INVALID = 3;

const withCodeButtons = (m: FlowMessages, text: string): Reply => ({
  text,
  suggestions: [
    { title: m.resend, value: m.resend },
    { title: m.cancel, value: m.cancel },
  ],
});

const LINES = {
  codeSent: (m, c) => withCodeButtons(m, m.codeSent(c.phone)),
  tooSoon: (m, c) => m.resendTooSoon(c.retryInSeconds),
  dailyLimit: (m) => m.dailyLimit,
  smsLimited: (m) => m.smsLimited,
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
    events: {} as FlowMessageEvent,
    output: {} as VerifyOutcome,
  },
  actors: {
    // Stand-ins: the runtime provides the real ones (bot/conversation/flowActors.ts).
    sendCode: fromPromise<SendResult, { phone: string; purpose: OtpPurpose; locale: Locale }>(() => Promise.reject(new Error('sendCode not provided'))),
    verifyCode: fromPromise<VerifyResult, { phone: string; purpose: OtpPurpose; code: string }>(() => Promise.reject(new Error('verifyCode not provided'))),
  },
  guards: {
    givesCode: ({ event }) => readCode(event.text) !== undefined,
    asksResend: ({ event }) => isResend(event.text),
    lostNumber: ({ context, event }) => context.lostNumberWayOut && isLostNumber(event.text),
    digresses: ({ event }) => event.route.decision === 'answer',
    lastStraw: ({ context }) => context.invalidInARow + 1 >= MAX_INVALID,
  },
  actions: {
    say: sendParent(sayLine(LINES)),
    digress: sendParent(digression),
    countInvalid: assign({ invalidInARow: ({ context }) => context.invalidInARow + 1 }),
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
      tags: 'busy',
      invoke: {
        src: 'sendCode',
        input: ({ context }) => ({ phone: context.phone, purpose: context.purpose, locale: context.locale }),
        onDone: [
          { guard: ({ event }) => event.output.status === 'sent', target: 'askingCode', actions: { type: 'say', params: 'codeSent' } },
          {
            guard: ({ event }) => event.output.status === 'too-soon',
            target: 'askingCode',
            actions: [
              assign({ retryInSeconds: ({ event }) => (event.output.status === 'too-soon' ? event.output.retryInSeconds : 60) }),
              { type: 'say', params: 'tooSoon' },
            ],
          },
          { guard: ({ event }) => event.output.status === 'limited', target: 'done', actions: ['fail', { type: 'say', params: 'smsLimited' }] },
          { target: 'done', actions: ['fail', { type: 'say', params: 'dailyLimit' }] },
        ],
        onError: { target: 'done', actions: ['fail', { type: 'say', params: 'backendDown' }] },
      },
    },
    askingCode: {
      on: {
        'user.message': [
          { guard: 'givesCode', target: 'checking', actions: assign({ code: ({ event }) => readCode(event.text) ?? '', invalidInARow: 0 }) },
          { guard: 'lostNumber', target: 'done', actions: assign({ outcome: { status: 'lost-number' } }) },
          { guard: 'asksResend', target: 'sendingCode' },
          { guard: 'digresses', actions: ['digress', { type: 'say', params: 'badCode' }] },
          { guard: 'lastStraw', target: 'done', actions: ['fail', { type: 'say', params: 'tooManyTries' }] },
          { actions: ['countInvalid', { type: 'say', params: 'badCode' }] },
        ],
      },
    },
    checking: {
      tags: 'busy',
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
