import { and, assign, fromPromise, not, or, sendParent, setup } from 'xstate';
import type { Account, AppealCase, NewAppeal } from '../../domain/accounts';
import type { Locale } from '../../knowledge/schema';
import { flowMessages, sizeLabel } from './flowMessages';
import { identifyAccount } from './identifyAccount';
import { identifyingState } from './identifying';
import { isDone, isSkip } from './input';
import { askingActions, askingGuards, flowTypes, outcomeActions, passUpFromStep, stepActions } from './kit';
import { COMMON_LINES, chinaDate, messageOf, sayLine, type AttachmentRef, type FlowOutcome, type Lines } from './protocol';

/**
 * Appeal of a closed account, as the conversation goes:
 *
 *   identifying (number, SMS code, look-up) ─► closed? ─► guidance for the closure
 *   reason (identity: ID documents; security: new password and two-factor after reopening;
 *   violation: permanent, expectations set) ─► askingExplanation (10–1000 characters) ─►
 *   askingFiles (images or PDF, at most 3; "完成" / "跳过") ─► filing ─► case id and the
 *   promised answer date (3 business days). Not closed: said so.
 */

const EXPLANATION = { min: 10, max: 1000 } as const;

/** Longer than this, a message that ends in a question is a story with a question in it: the explanation. */
const MAX_QUESTION_CHARS = 40;
/** Ends in a question mark or particle (a trailing 啊 or 呀 aside), opens with a question word, or asks how long ("申诉一般多久能有结果啊"). */
const QUESTION_SHAPE = /[?？吗么呢][\s啊呀哈呢嘛啦]*$|多久|多长时间|什么时候|^\s*(how|what|why|when|where|which|can|could|do|does|is|are|will|should)\b/iu;

/** A question asked at the explanation prompt, not the situation told: short, and shaped as a question. */
const isShortQuestion = (text: string) => text.length <= MAX_QUESTION_CHARS && QUESTION_SHAPE.test(text);
const MAX_FILES = 3;

/** What the channel accepts, as configured: the bot states it rather than a number of its own. */
export interface FileRules {
  /** Largest upload, all files of one message together (DIRECTLINE_MAX_UPLOAD_BYTES). */
  maxUploadBytes: number;
}

interface AppealContext {
  locale: Locale;
  invalidInARow: number;
  account?: Account;
  explanation: string;
  files: AttachmentRef[];
  filed?: AppealCase;
  outcome: FlowOutcome;
}

const isAcceptedFile = (file: AttachmentRef) => file.contentType.startsWith('image/') || file.contentType === 'application/pdf';

const linesFor = (files: FileRules) => ({
  notClosed: (m) => m.apNotClosed,
  guidance: (m, c) => (c.account?.status === 'closed' ? m.apGuidance[c.account.closureReason] : ''),
  askExplanation: (m) => m.apAskExplanation,
  tooShort: (m) => m.apTooShort,
  tooLong: (m) => m.apTooLong,
  askFiles: (m) => ({ text: m.apAskFiles(sizeLabel(files.maxUploadBytes)), suggestions: [{ title: m.apDone, value: m.apDone }, { title: m.apSkip, value: m.apSkip }] }),
  fileAdded: (m, c) => ({ text: m.apFileAdded(c.files.length), suggestions: [{ title: m.apDone, value: m.apDone }] }),
  badFile: (m) => m.apBadFile(sizeLabel(files.maxUploadBytes)),
  tooManyFiles: (m) => m.apTooManyFiles,
  filed: (m, c) => m.apCreated(c.filed?.id ?? '', chinaDate(c.filed?.answerBy ?? '')),
  ...COMMON_LINES,
}) satisfies Lines<AppealContext>;

/** The appeal flow stating the configured upload limit. */
export const createAppealFlow = (files: FileRules) => setup({
  types: flowTypes<AppealContext>(),
  actors: {
    identifyAccount,
    // Stand-in: the runtime provides the real one (bot/conversation/flowActors.ts).
    fileAppeal: fromPromise<AppealCase, { account: Account; appeal: NewAppeal }>(() => Promise.reject(new Error('fileAppeal not provided'))),
  },
  guards: {
    ...askingGuards,
    closed: ({ context }) => context.account?.status === 'closed',
    explanationTooShort: ({ event }) => (messageOf(event)?.text.length ?? 0) < EXPLANATION.min,
    isShortQuestion: ({ event }) => isShortQuestion(messageOf(event)?.text ?? ''),
    explanationTooLong: ({ event }) => (messageOf(event)?.text.length ?? 0) > EXPLANATION.max,
    sendsFiles: ({ event }) => (messageOf(event)?.attachments.length ?? 0) > 0,
    filesAcceptable: ({ event }) => messageOf(event)?.attachments.every(isAcceptedFile) ?? false,
    filesFit: ({ context, event }) => context.files.length + (messageOf(event)?.attachments.length ?? 0) <= MAX_FILES,
    finished: ({ event }) => isDone(messageOf(event)?.text ?? '') || isSkip(messageOf(event)?.text ?? ''),
  },
  actions: {
    say: sendParent(sayLine(linesFor(files))),
    ...askingActions<AppealContext>(),
    ...stepActions<AppealContext>(),
    ...outcomeActions<AppealContext>(),
  },
}).createMachine({
  id: 'appeal',
  context: ({ input }) => ({ locale: input.locale, invalidInARow: 0, explanation: '', files: [], outcome: { outcome: 'done' } }),
  initial: 'identifying',
  on: passUpFromStep,
  states: {
    identifying: identifyingState<AppealContext>((locale) => flowMessages(locale).apAsk, 'appeal'),
    byAccount: {
      always: [
        { guard: 'closed', target: 'askingExplanation', actions: { type: 'say', params: 'guidance' } },
        { target: 'done', actions: { type: 'say', params: 'notClosed' } },
      ],
    },
    askingExplanation: {
      entry: { type: 'say', params: 'askExplanation' },
      on: {
        'user.message': [
          { guard: 'explanationTooLong', actions: ['countInvalid', { type: 'say', params: 'tooLong' }] },
          // Too short to be the explanation, or a short question put as one ("how long will the appeal
          // take", "违规封号的是不是就永久关闭了吗"), that the FAQ answers: answered, then asked again.
          { guard: and([or(['explanationTooShort', 'isShortQuestion']), 'digresses']), target: 'askingExplanation', reenter: true, actions: 'digress' },
          { guard: 'explanationTooShort', actions: ['countInvalid', { type: 'say', params: 'tooShort' }] },
          { target: 'askingFiles', actions: assign({ explanation: ({ event }) => messageOf(event)?.text ?? '', invalidInARow: 0 }) },
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
            actions: [assign({ files: ({ context, event }) => [...context.files, ...(messageOf(event)?.attachments ?? [])] }), { type: 'say', params: 'fileAdded' }],
          },
          { guard: 'digresses', target: 'askingFiles', reenter: true, actions: 'digress' },
          { guard: 'lastStraw', target: 'filing' },
          { actions: ['countInvalid', { type: 'say', params: 'askFiles' }] },
        ],
      },
    },
    filing: {
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

export type AppealFlow = ReturnType<typeof createAppealFlow>;
