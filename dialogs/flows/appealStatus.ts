import { assign, fromPromise, sendParent, setup } from 'xstate';
import type { AppealCase } from '../../domain/accounts';
import type { Locale } from '../../knowledge/schema';
import type { FlowMessages } from './flowMessages';
import { readCaseId, readMobile } from './input';
import { askingActions, askingGuards, flowTypes, outcomeActions, passUpFromStep, stepActions, toStep } from './kit';
import { COMMON_LINES, chinaDate, messageOf, sayLine, type FlowOutcome, type Lines } from './protocol';
import { verifyNumber } from './verifyNumber';

/**
 * Appeal status, as the conversation goes:
 *
 *   opening ─► askingCaseOrPhone ─► a case id: lookingUpCase ─► its status and history
 *                                 └► a number: verifying (SMS code) ─► lookingUpAccount ─► its cases
 *
 * The message that started the flow ("查一下申诉 AP-20261123-7K3Q 的进度") is read as if it
 * had been typed at the prompt: a case id or number in it is taken without asking again.
 *
 * A case id shows only the case's status and dates (never the explanation or files);
 * everything about an account's cases needs the code first. Three invalid answers in a row
 * have the conversation offer a person (`flow.stuck`); declined, the question is asked again.
 */

interface StatusContext {
  locale: Locale;
  phone: string;
  caseId: string;
  cases: AppealCase[];
  invalidInARow: number;
  outcome: FlowOutcome;
}

const MAX_CASES_SHOWN = 3;

function describeCase(m: FlowMessages, found: AppealCase): string {
  const history = found.history.map((event) => `- ${chinaDate(event.at)} ${m.asStatus[event.status]}：${event.note}`).join('\n');
  return m.asCase(found.id, m.asStatus[found.status], chinaDate(found.createdAt), chinaDate(found.answerBy), history);
}

const LINES = {
  ask: (m) => ({ text: m.asAsk, suggestions: [{ title: m.cancel, value: m.cancel }] }),
  notFound: (m) => m.asNotFound,
  badInput: (m) => m.asAsk,
  noAccount: (m) => m.noAccount,
  noCases: (m) => m.asNoCases,
  cases: (m, c) =>
    [...c.cases]
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, MAX_CASES_SHOWN)
      .map((found) => describeCase(m, found))
      .join('\n\n'),
  ...COMMON_LINES,
} satisfies Lines<StatusContext>;

export const appealStatusFlow = setup({
  /** `opening`: the message that started the flow. */
  types: flowTypes<StatusContext, { locale: Locale; opening?: string }>(),
  actors: {
    verifyNumber,
    // Stand-ins: the runtime provides the real ones (bot/conversation/flowActors.ts).
    getCase: fromPromise<AppealCase | undefined, { caseId: string }>(() => Promise.reject(new Error('getCase not provided'))),
    casesOfPhone: fromPromise<{ found: boolean; cases: AppealCase[] }, { phone: string }>(() => Promise.reject(new Error('casesOfPhone not provided'))),
  },
  guards: {
    givesCaseId: ({ event }) => readCaseId(messageOf(event)?.text ?? '') !== undefined,
    givesPhone: ({ event }) => readMobile(messageOf(event)?.text ?? '') !== undefined,
    ...askingGuards,
  },
  actions: {
    say: sendParent(sayLine(LINES)),
    ...askingActions<StatusContext>(),
    ...stepActions<StatusContext>(),
    ...outcomeActions<StatusContext>(),
  },
}).createMachine({
  id: 'appealStatus',
  context: ({ input }) => {
    const caseId = readCaseId(input.opening ?? '') ?? '';
    const phone = caseId ? '' : (readMobile(input.opening ?? '') ?? '');
    return { locale: input.locale, phone, caseId, cases: [], invalidInARow: 0, outcome: { outcome: 'done' } };
  },
  initial: 'opening',
  on: passUpFromStep,
  states: {
    opening: {
      always: [
        { guard: ({ context }) => context.caseId !== '', target: 'lookingUpCase' },
        { guard: ({ context }) => context.phone !== '', target: 'verifying' },
        { target: 'askingCaseOrPhone' },
      ],
    },
    askingCaseOrPhone: {
      entry: { type: 'say', params: 'ask' },
      on: {
        'user.message': [
          { guard: 'givesCaseId', target: 'lookingUpCase', actions: assign({ caseId: ({ event }) => readCaseId(messageOf(event)?.text ?? '') ?? '' }) },
          { guard: 'givesPhone', target: 'verifying', actions: assign({ phone: ({ event }) => readMobile(messageOf(event)?.text ?? '') ?? '' }) },
          { guard: 'digresses', target: 'askingCaseOrPhone', reenter: true, actions: 'digress' },
          { guard: 'lastStraw', actions: 'offerPerson' },
          { actions: ['countInvalid', { type: 'say', params: 'badInput' }] },
        ],
        'flow.resume': { target: 'askingCaseOrPhone', reenter: true },
      },
    },
    lookingUpCase: {
      invoke: {
        src: 'getCase',
        input: ({ context }) => ({ caseId: context.caseId }),
        onDone: [
          { guard: ({ event }) => event.output !== undefined, target: 'done', actions: [assign({ cases: ({ event }) => (event.output ? [event.output] : []) }), { type: 'say', params: 'cases' }] },
          { target: 'askingCaseOrPhone', actions: ['countInvalid', { type: 'say', params: 'notFound' }] },
        ],
        onError: { target: 'done', actions: ['giveUp', { type: 'say', params: 'backendDown' }] },
      },
    },
    verifying: {
      invoke: {
        id: 'step',
        src: 'verifyNumber',
        input: ({ context }) => ({ locale: context.locale, phone: context.phone, purpose: 'appeal-status' as const }),
        onDone: [{ guard: ({ event }) => event.output.status === 'verified', target: 'lookingUpAccount' }, { target: 'done', actions: 'giveUp' }],
      },
      on: toStep,
    },
    lookingUpAccount: {
      invoke: {
        src: 'casesOfPhone',
        input: ({ context }) => ({ phone: context.phone }),
        onDone: [
          { guard: ({ event }) => !event.output.found, target: 'done', actions: { type: 'say', params: 'noAccount' } },
          { guard: ({ event }) => event.output.cases.length === 0, target: 'done', actions: { type: 'say', params: 'noCases' } },
          { target: 'done', actions: [assign({ cases: ({ event }) => event.output.cases }), { type: 'say', params: 'cases' }] },
        ],
        onError: { target: 'done', actions: ['giveUp', { type: 'say', params: 'backendDown' }] },
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => context.outcome,
});
