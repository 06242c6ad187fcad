import { and, assign, fromPromise, not, sendParent, sendTo, setup } from 'xstate';
import type { Account, AppealCase, NewAppeal } from '../../bot/services/accounts';
import type { Locale } from '../../knowledge/schema';
import { readMobile, isDone, isSkip } from './input';
import { chinaDate, digression, sayLine, type AttachmentRef, type FlowMessageEvent, type FlowOutcome, type FlowToParent, type Lines } from './protocol';
import { verifyNumber, type VerifyOutcome } from './verifyNumber';

/**
 * Appeal of a closed account, as the conversation goes:
 *
 *   askingPhone ─► verifying (SMS code) ─► lookingUp ─► closed? ─► guidance for the closure
 *   reason (identity: ID documents; security: new password and two-factor after reopening;
 *   violation: permanent, expectations set) ─► askingExplanation (10–1000 characters) ─►
 *   askingFiles (images or PDF, at most 3; "完成" / "跳过") ─► filing ─► case id and the
 *   promised answer date (3 business days). Not closed, or no account: said so.
 */

const EXPLANATION = { min: 10, max: 1000 } as const;
const MAX_FILES = 3;
const MAX_INVALID = 3;

interface AppealContext {
  locale: Locale;
  phone: string;
  invalidInARow: number;
  account?: Account;
  explanation: string;
  files: AttachmentRef[];
  filed?: AppealCase;
  outcome: FlowOutcome;
}

const isAcceptedFile = (file: AttachmentRef) => file.contentType.startsWith('image/') || file.contentType === 'application/pdf';

const LINES = {
  askPhone: (m) => ({ text: m.apAsk, suggestions: [{ title: m.cancel, value: m.cancel }] }),
  badPhone: (m) => m.badPhone,
  noAccount: (m) => m.noAccount,
  notClosed: (m) => m.apNotClosed,
  guidance: (m, c) => (c.account?.status === 'closed' ? m.apGuidance[c.account.closureReason] : ''),
  askExplanation: (m) => m.apAskExplanation,
  tooShort: (m) => m.apTooShort,
  tooLong: (m) => m.apTooLong,
  askFiles: (m) => ({ text: m.apAskFiles, suggestions: [{ title: m.apDone, value: m.apDone }, { title: m.apSkip, value: m.apSkip }] }),
  fileAdded: (m, c) => ({ text: m.apFileAdded(c.files.length), suggestions: [{ title: m.apDone, value: m.apDone }] }),
  badFile: (m) => m.apBadFile,
  tooManyFiles: (m) => m.apTooManyFiles,
  filed: (m, c) => m.apCreated(c.filed?.id ?? '', chinaDate(c.filed?.answerBy ?? '')),
  tooManyTries: (m) => ({ text: m.tooManyTries, suggestions: [{ title: m.talkToAgent, value: m.talkToAgent }] }),
  backendDown: (m) => m.backendDown,
} satisfies Lines<AppealContext>;

type Message = Extract<FlowMessageEvent | FlowToParent, { type: 'user.message' }>;
const message = (event: { type: string }) => (event.type === 'user.message' ? (event as Message) : undefined);

export const appealFlow = setup({
  types: {
    context: {} as AppealContext,
    input: {} as { locale: Locale },
    events: {} as FlowMessageEvent | FlowToParent,
    output: {} as FlowOutcome,
  },
  actors: {
    verifyNumber,
    // Stand-ins: the runtime provides the real ones (bot/conversation/flowActors.ts).
    findAccount: fromPromise<Account | undefined, { phone: string }>(() => Promise.reject(new Error('findAccount not provided'))),
    fileAppeal: fromPromise<AppealCase, { account: Account; appeal: NewAppeal }>(() => Promise.reject(new Error('fileAppeal not provided'))),
  },
  guards: {
    givesPhone: ({ event }) => readMobile(message(event)?.text ?? '') !== undefined,
    digresses: ({ event }) => message(event)?.route.decision === 'answer',
    lastStraw: ({ context }) => context.invalidInARow + 1 >= MAX_INVALID,
    verified: ({ event }) => (event as unknown as { output: VerifyOutcome }).output.status === 'verified',
    closed: ({ context }) => context.account?.status === 'closed',
    hasAccount: ({ context }) => context.account !== undefined,
    explanationTooShort: ({ event }) => (message(event)?.text.length ?? 0) < EXPLANATION.min,
    explanationTooLong: ({ event }) => (message(event)?.text.length ?? 0) > EXPLANATION.max,
    sendsFiles: ({ event }) => (message(event)?.attachments.length ?? 0) > 0,
    filesAcceptable: ({ event }) => message(event)?.attachments.every(isAcceptedFile) ?? false,
    filesFit: ({ context, event }) => context.files.length + (message(event)?.attachments.length ?? 0) <= MAX_FILES,
    finished: ({ event }) => isDone(message(event)?.text ?? '') || isSkip(message(event)?.text ?? ''),
  },
  actions: {
    say: sendParent(sayLine(LINES)),
    digress: sendParent(digression),
    passUp: sendParent(({ event }) => event as FlowToParent),
    countInvalid: assign({ invalidInARow: ({ context }) => context.invalidInARow + 1 }),
    giveUp: assign({ outcome: { outcome: 'gave-up' } }),
  },
}).createMachine({
  id: 'appeal',
  context: ({ input }) => ({ locale: input.locale, phone: '', invalidInARow: 0, explanation: '', files: [], outcome: { outcome: 'done' } }),
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
          { guard: 'givesPhone', target: 'verifying', actions: assign({ phone: ({ event }) => readMobile(message(event)?.text ?? '') ?? '', invalidInARow: 0 }) },
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
        input: ({ context }) => ({ locale: context.locale, phone: context.phone, purpose: 'appeal' as const }),
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
        { guard: 'closed', target: 'askingExplanation', actions: { type: 'say', params: 'guidance' } },
        { guard: 'hasAccount', target: 'done', actions: { type: 'say', params: 'notClosed' } },
        { target: 'done', actions: { type: 'say', params: 'noAccount' } },
      ],
    },
    askingExplanation: {
      entry: { type: 'say', params: 'askExplanation' },
      on: {
        'user.message': [
          { guard: 'explanationTooLong', actions: ['countInvalid', { type: 'say', params: 'tooLong' }] },
          { guard: 'explanationTooShort', actions: ['countInvalid', { type: 'say', params: 'tooShort' }] },
          { target: 'askingFiles', actions: assign({ explanation: ({ event }) => message(event)?.text ?? '', invalidInARow: 0 }) },
        ],
      },
    },
    askingFiles: {
      entry: { type: 'say', params: 'askFiles' },
      on: {
        'user.message': [
          { guard: 'finished', target: 'filing' },
          { guard: and(['sendsFiles', not('filesAcceptable')]), actions: { type: 'say', params: 'badFile' } },
          { guard: and(['sendsFiles', not('filesFit')]), actions: { type: 'say', params: 'tooManyFiles' } },
          {
            guard: 'sendsFiles',
            actions: [assign({ files: ({ context, event }) => [...context.files, ...(message(event)?.attachments ?? [])] }), { type: 'say', params: 'fileAdded' }],
          },
          { guard: 'digresses', target: 'askingFiles', reenter: true, actions: 'digress' },
          { guard: 'lastStraw', target: 'filing' },
          { actions: ['countInvalid', { type: 'say', params: 'askFiles' }] },
        ],
      },
    },
    filing: {
      tags: 'busy',
      invoke: {
        src: 'fileAppeal',
        input: ({ context }) => ({ account: context.account as Account, appeal: { explanation: context.explanation, attachments: context.files } }),
        onDone: { target: 'done', actions: [assign({ filed: ({ event }) => event.output }), { type: 'say', params: 'filed' }] },
        onError: { target: 'done', actions: ['giveUp', { type: 'say', params: 'backendDown' }] },
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => context.outcome,
});
