import { and, assign, fromPromise, not, sendParent, sendTo, setup } from 'xstate';
import type { Account, AppealCase, NewAppeal } from '../../domain/accounts';
import type { Locale } from '../../knowledge/schema';
import { identifyAccount, type IdentifyOutcome } from './identifyAccount';
import { isDone, isSkip } from './input';
import { sizeLabel } from './flowMessages';
import { COMMON_LINES, chinaDate, digression, messageOf, relay, sayLine, type AttachmentRef, type FlowFromParent, type FlowMessageEvent, type FlowOutcome, type FlowToParent, type Lines } from './protocol';

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
const MAX_FILES = 3;
const MAX_INVALID = 3;

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
  types: {
    context: {} as AppealContext,
    input: {} as { locale: Locale },
    events: {} as FlowMessageEvent | FlowFromParent | FlowToParent,
    output: {} as FlowOutcome,
  },
  actors: {
    identifyAccount,
    // Stand-in: the runtime provides the real one (bot/conversation/flowActors.ts).
    fileAppeal: fromPromise<AppealCase, { account: Account; appeal: NewAppeal }>(() => Promise.reject(new Error('fileAppeal not provided'))),
  },
  guards: {
    digresses: ({ event }) => messageOf(event)?.route.decision === 'answer',
    lastStraw: ({ context }) => context.invalidInARow + 1 >= MAX_INVALID,
    identified: ({ event }) => (event as unknown as { output: IdentifyOutcome }).output.status === 'found',
    noAccount: ({ event }) => (event as unknown as { output: IdentifyOutcome }).output.status === 'no-account',
    closed: ({ context }) => context.account?.status === 'closed',
    explanationTooShort: ({ event }) => (messageOf(event)?.text.length ?? 0) < EXPLANATION.min,
    explanationTooLong: ({ event }) => (messageOf(event)?.text.length ?? 0) > EXPLANATION.max,
    sendsFiles: ({ event }) => (messageOf(event)?.attachments.length ?? 0) > 0,
    filesAcceptable: ({ event }) => messageOf(event)?.attachments.every(isAcceptedFile) ?? false,
    filesFit: ({ context, event }) => context.files.length + (messageOf(event)?.attachments.length ?? 0) <= MAX_FILES,
    finished: ({ event }) => isDone(messageOf(event)?.text ?? '') || isSkip(messageOf(event)?.text ?? ''),
  },
  actions: {
    say: sendParent(sayLine(linesFor(files))),
    digress: sendParent(digression),
    passUp: sendParent(relay),
    toStep: sendTo('step', ({ event }) => event),
    countInvalid: assign({ invalidInARow: ({ context }) => context.invalidInARow + 1 }),
    giveUp: assign({ outcome: { outcome: 'gave-up' } }),
  },
}).createMachine({
  id: 'appeal',
  context: ({ input }) => ({ locale: input.locale, invalidInARow: 0, explanation: '', files: [], outcome: { outcome: 'done' } }),
  initial: 'identifying',
  on: {
    'flow.say': { actions: 'passUp' },
    'flow.digress': { actions: 'passUp' },
    'flow.stuck': { actions: 'passUp' },
  },
  states: {
    identifying: {
      invoke: {
        id: 'step',
        src: 'identifyAccount',
        input: ({ context }) => ({ locale: context.locale, prompt: 'apAsk' as const, purpose: 'appeal' as const }),
        onDone: [
          { guard: 'identified', target: 'byAccount', actions: assign({ account: ({ event }) => (event.output.status === 'found' ? event.output.account : undefined) }) },
          { guard: 'noAccount', target: 'done' },
          { target: 'done', actions: 'giveUp' },
        ],
      },
      on: { 'user.message': { actions: 'toStep' }, 'flow.resume': { actions: 'toStep' } },
    },
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
          // Too short to be the explanation but a question the FAQ answers: answered, then asked again.
          { guard: and(['explanationTooShort', 'digresses']), target: 'askingExplanation', reenter: true, actions: 'digress' },
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

export type AppealFlow = ReturnType<typeof createAppealFlow>;
