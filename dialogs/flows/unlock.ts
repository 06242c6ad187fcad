import { assign, fromPromise, sendParent, setup } from 'xstate';
import type { Account } from '../../bot/services/accounts';
import type { SendResult, VerifyResult } from '../../bot/services/otp';
import type { Locale } from '../../knowledge/schema';
import type { Reply } from '../reply';
import type { UserEvent } from '../rootMachine';
import { flowMessages, type FlowMessages } from './flowMessages';
import { isResend, readCode, readMobile } from './input';

/**
 * Account unlock, as the conversation goes:
 *
 *   askingPhone ─► sendingCode ─► askingCode ─► verifying ─► lookingUp ─► by the account:
 *     locked, wrong_password ─► unlocking (and a reset link by SMS) ─► done
 *     locked, inactive       ─► unlocking ─► done
 *     locked, security_alert ─► hand off to a person, high priority (never unlocked here)
 *     active / closed / none ─► say so (closed: offer the appeal) ─► done
 *
 * The code goes out whether or not the number has an account, and nothing about the
 * account is said before the code is verified. A password is never asked for. Three
 * invalid answers in a row end in the offer of a person; a question the knowledge base can
 * answer is answered in between, and the step asked again.
 */

export type FlowOutcome =
  | { outcome: 'done' }
  | { outcome: 'handoff'; priority: 'normal' | 'high'; reason: string }
  | { outcome: 'gave-up' };

/** What a flow tells the root conversation while it runs. */
export type FlowToParent = { type: 'flow.say'; reply: Reply } | { type: 'flow.digress'; entryId: string };

type MessageEvent = Extract<UserEvent, { type: 'user.message' }>;

interface UnlockContext {
  locale: Locale;
  phone: string;
  code: string;
  invalidInARow: number;
  /** From the last send or verify: seconds until a resend, tries left on this code. */
  retryInSeconds: number;
  attemptsLeft: number;
  account?: Account;
  outcome: FlowOutcome;
}

const MAX_INVALID = 3;

const withCodeButtons = (m: FlowMessages, text: string): Reply => ({
  text,
  suggestions: [
    { title: m.resend, value: m.resend },
    { title: m.cancel, value: m.cancel },
  ],
});

/** Everything this flow says, by name, in the user's language. */
const LINES = {
  askPhone: (m) => ({ text: m.askPhone, suggestions: [{ title: m.cancel, value: m.cancel }] }),
  badPhone: (m) => m.badPhone,
  codeSent: (m, c) => withCodeButtons(m, m.codeSent(c.phone)),
  tooSoon: (m, c) => m.resendTooSoon(c.retryInSeconds),
  dailyLimit: (m) => m.dailyLimit,
  badCode: (m) => m.badCode,
  wrongCode: (m, c) => m.wrongCode(c.attemptsLeft),
  codeUsedUp: (m) => withCodeButtons(m, m.codeUsedUp),
  codeExpired: (m) => withCodeButtons(m, m.codeExpired),
  tooManyTries: (m) => ({ text: m.tooManyTries, suggestions: [{ title: m.talkToAgent, value: m.talkToAgent }] }),
  backendDown: (m) => m.backendDown,
  securityHandoff: (m) => m.unlockSecurity,
  closed: (m) => ({ text: m.unlockClosed, suggestions: [{ title: m.startAppeal, value: m.startAppeal }] }),
  notLocked: (m) => m.unlockNotLocked,
  noAccount: (m) => m.noAccount,
  unlocked: (m, c) => (c.account?.status === 'locked' && c.account.lockReason === 'wrong_password' ? m.unlockedWithReset : m.unlocked),
} satisfies Record<string, (m: FlowMessages, context: UnlockContext) => Reply | string>;
type Line = keyof typeof LINES;

export const unlockFlow = setup({
  types: {
    context: {} as UnlockContext,
    input: {} as { locale: Locale },
    events: {} as MessageEvent,
    output: {} as FlowOutcome,
  },
  actors: {
    // Stand-ins: the runtime provides the real ones (bot/conversation/flowActors.ts).
    sendCode: fromPromise<SendResult, { phone: string; locale: Locale }>(() => Promise.reject(new Error('sendCode not provided'))),
    verifyCode: fromPromise<VerifyResult, { phone: string; code: string }>(() => Promise.reject(new Error('verifyCode not provided'))),
    findAccount: fromPromise<Account | undefined, { phone: string }>(() => Promise.reject(new Error('findAccount not provided'))),
    unlockAccount: fromPromise<void, { account: Account; locale: Locale }>(() => Promise.reject(new Error('unlockAccount not provided'))),
  },
  guards: {
    givesPhone: ({ event }) => readMobile(event.text) !== undefined,
    givesCode: ({ event }) => readCode(event.text) !== undefined,
    asksResend: ({ event }) => isResend(event.text),
    digresses: ({ event }) => event.route.decision === 'answer',
    lastStraw: ({ context }) => context.invalidInARow + 1 >= MAX_INVALID,
    lockedBy: ({ context }, reason: string) => context.account?.status === 'locked' && context.account.lockReason === reason,
    closed: ({ context }) => context.account?.status === 'closed',
    active: ({ context }) => context.account?.status === 'active',
  },
  actions: {
    say: sendParent(({ context }, line: Line) => {
      const said = LINES[line](flowMessages(context.locale), context);
      return { type: 'flow.say', reply: typeof said === 'string' ? { text: said } : said } satisfies FlowToParent;
    }),
    digress: sendParent(({ event }: { event: MessageEvent }) => ({
      type: 'flow.digress',
      entryId: event.route.decision === 'answer' ? event.route.entryId : '',
    })),
    countInvalid: assign({ invalidInARow: ({ context }) => context.invalidInARow + 1 }),
    resetInvalid: assign({ invalidInARow: 0 }),
    giveUp: assign({ outcome: { outcome: 'gave-up' } }),
  },
}).createMachine({
  id: 'unlock',
  context: ({ input }) => ({ locale: input.locale, phone: '', code: '', invalidInARow: 0, retryInSeconds: 0, attemptsLeft: 0, outcome: { outcome: 'done' } }),
  initial: 'askingPhone',
  states: {
    askingPhone: {
      entry: { type: 'say', params: 'askPhone' },
      on: {
        'user.message': [
          { guard: 'givesPhone', target: 'sendingCode', actions: ['resetInvalid', assign({ phone: ({ event }) => readMobile(event.text) ?? '' })] },
          { guard: 'digresses', target: 'askingPhone', reenter: true, actions: 'digress' },
          { guard: 'lastStraw', target: 'done', actions: ['giveUp', { type: 'say', params: 'tooManyTries' }] },
          { actions: ['countInvalid', { type: 'say', params: 'badPhone' }] },
        ],
      },
    },
    sendingCode: {
      tags: 'busy',
      invoke: {
        src: 'sendCode',
        input: ({ context }) => ({ phone: context.phone, locale: context.locale }),
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
          { target: 'done', actions: ['giveUp', { type: 'say', params: 'dailyLimit' }] },
        ],
        onError: { target: 'done', actions: ['giveUp', { type: 'say', params: 'backendDown' }] },
      },
    },
    askingCode: {
      on: {
        'user.message': [
          { guard: 'givesCode', target: 'verifying', actions: ['resetInvalid', assign({ code: ({ event }) => readCode(event.text) ?? '' })] },
          { guard: 'asksResend', target: 'sendingCode' },
          { guard: 'digresses', target: 'askingCode', reenter: true, actions: ['digress', { type: 'say', params: 'badCode' }] },
          { guard: 'lastStraw', target: 'done', actions: ['giveUp', { type: 'say', params: 'tooManyTries' }] },
          { actions: ['countInvalid', { type: 'say', params: 'badCode' }] },
        ],
      },
    },
    verifying: {
      tags: 'busy',
      invoke: {
        src: 'verifyCode',
        input: ({ context }) => ({ phone: context.phone, code: context.code }),
        onDone: [
          { guard: ({ event }) => event.output.status === 'ok', target: 'lookingUp' },
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
        onError: { target: 'done', actions: ['giveUp', { type: 'say', params: 'backendDown' }] },
      },
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
          actions: [
            { type: 'say', params: 'securityHandoff' },
            assign({ outcome: { outcome: 'handoff', priority: 'high', reason: 'security_alert' } }),
          ],
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
        onDone: {
          target: 'done',
          actions: { type: 'say', params: 'unlocked' },
        },
        onError: { target: 'done', actions: ['giveUp', { type: 'say', params: 'backendDown' }] },
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => context.outcome,
});
