import { assign, enqueueActions, raise, sendTo, setup } from 'xstate';
import type { Route } from '../knowledge/route';
import type { FlowName, FaqEntry, Locale } from '../knowledge/schema';
import { isNo, isYes, pickOption, rejectsAll } from './commands';
import { isCancel } from './flows/input';
import type { FlowMessageEvent, FlowOutcome, FlowToParent } from './flows/protocol';
import type { appealFlow } from './flows/appeal';
import type { appealStatusFlow } from './flows/appealStatus';
import type { phoneChangeFlow } from './flows/phoneChange';
import type { unlockFlow } from './flows/unlock';
import { messages } from './messages';
import type { Reply } from './reply';
import { answerReply, clarifyReply, offerHumanReply, textReply, welcomeReply } from './rootReplies';

/**
 * The conversation as one machine, persisted after every turn:
 *
 *   idle ── question ──► answer (stay idle) | "您是想问…" (clarifying) | "I don't know"
 *     ▲                    second "I don't know" in a row ──► offeringHuman
 *     ├──────── choice / none-of-these / new question / yes-no ───┘
 *     └── "帮我解锁" … ──► inFlow (one guided flow, a child machine) ── ends / 取消 ──► idle
 *
 * Help, restart and feedback work in every state. The machine decides; the turn runner
 * routes the text beforehand (pure) and performs what the machine emits afterwards.
 */

export type UserEvent =
  | { type: 'conversation.joined'; locale: Locale }
  | FlowMessageEvent
  | { type: 'user.choose'; locale: Locale; entryId: string }
  | { type: 'user.feedback'; locale: Locale; vote: 'up' | 'down' }
  | { type: 'user.help'; locale: Locale }
  | { type: 'user.restart'; locale: Locale }
  | { type: 'user.smallTalk'; locale: Locale; kind: 'greeting' | 'thanks' }
  | { type: 'user.nonText'; locale: Locale };

/** Something for the knowledge-base authors: a question we could not answer, or a vote. */
export type KbSignal =
  | { kind: 'unanswered'; question: string; locale: Locale }
  | { kind: 'feedback'; vote: 'up' | 'down'; entryId: string; question: string; locale: Locale };

export type RootEmitted = { type: 'reply'; reply: Reply } | { type: 'signal'; signal: KbSignal };

export interface RootContext {
  locale: Locale;
  /** "I don't know" answers in a row; the second one offers a person. */
  fallbackStreak: number;
  /** What the 👍/👎 buttons under the last answer refer to. */
  lastAnswer?: { entryId: string; question: string };
  /** The options of an open "您是想问…". */
  clarify?: { question: string; options: { id: string; question: string }[] };
  /** How the last guided flow ended. */
  flowOutcome?: FlowOutcome;
}

export interface RootMachineDeps {
  entry(id: string, locale: Locale): FaqEntry | undefined;
  /** The guided flows, with their I/O provided (bot/conversation/flowActors.ts). */
  flows: { unlock: typeof unlockFlow; phoneChange: typeof phoneChangeFlow; appeal: typeof appealFlow; appealStatus: typeof appealStatusFlow };
}

/** Until the human handoff exists, a request for a person is answered with this article. */
const GUIDE_FOR_HANDOFF = 'support-hours';

/** The entry a routed message is answered with, if it is answered with one. */
function entryToAnswer(route: Route): string | undefined {
  switch (route.decision) {
    case 'answer':
      return route.entryId;
    case 'handoff':
      return GUIDE_FOR_HANDOFF;
    default:
      return undefined;
  }
}

type MessageEvent = Extract<UserEvent, { type: 'user.message' }>;

/** The words of the button under an answer that starts its flow — typing them does the same. */
function offerFor(entry: FaqEntry, locale: Locale): string | undefined {
  const m = messages(locale);
  if (entry.action === 'unlock') return m.offerUnlock;
  if (entry.action === 'phone-change') return m.offerPhoneChange;
  if (entry.action === 'appeal') return m.offerAppeal;
  if (entry.action === 'appeal-status') return m.offerAppealStatus;
  return undefined;
}

export function createRootMachine(deps: RootMachineDeps) {
  const related = (entry: FaqEntry) =>
    (entry.followUps ?? []).map((id) => deps.entry(id, entry.locale)).filter((e): e is FaqEntry => e !== undefined);

  return setup({
    types: {
      context: {} as RootContext,
      events: {} as UserEvent | FlowToParent,
      emitted: {} as RootEmitted,
      input: {} as { locale: Locale },
    },
    actors: { ...deps.flows },
    guards: {
      startsFlow: ({ event }, flow: FlowName) => event.type === 'user.message' && event.route.decision === 'flow' && event.route.flow === flow,
      onlyFiles: ({ event }) => event.type === 'user.message' && event.text === '',
      cancels: ({ event }) => event.type === 'user.message' && isCancel(event.text),
      flowEnded: ({ context }, outcome: FlowOutcome['outcome']) => context.flowOutcome?.outcome === outcome,
      routedTo: ({ event }, decision: Route['decision']) => event.type === 'user.message' && event.route.decision === decision,
      answerable: ({ event }) => event.type === 'user.message' && entryToAnswer(event.route) !== undefined,
      fallbackAgain: ({ context }) => context.fallbackStreak >= 1,
      hasLastAnswer: ({ context }) => context.lastAnswer !== undefined,
      picksOption: ({ context, event }) =>
        event.type === 'user.message' &&
        pickOption(event.text, context.clarify?.options.map((o) => o.question) ?? []) !== undefined,
      rejectsOptions: ({ event }) => event.type === 'user.message' && rejectsAll(event.text),
      acceptsHuman: ({ event }) => event.type === 'user.message' && (isYes(event.text) || event.route.decision === 'handoff'),
      declinesHuman: ({ event }) => event.type === 'user.message' && isNo(event.text),
    },
    actions: {
      setLocale: assign({ locale: ({ context, event }) => ('locale' in event ? event.locale : context.locale) }),
      reset: assign(({ context, event }) => ({ locale: 'locale' in event ? event.locale : context.locale, fallbackStreak: 0, lastAnswer: undefined, clarify: undefined })),
      keepOutcome: assign({ flowOutcome: ({ event }) => (event as unknown as { output: FlowOutcome }).output }),
      relay: enqueueActions(({ enqueue, event }) => {
        if (event.type === 'flow.say') enqueue.emit({ type: 'reply', reply: event.reply });
      }),
      say: enqueueActions(({ enqueue }, reply: Reply) => enqueue.emit({ type: 'reply', reply })),
      sayCancelled: enqueueActions(({ enqueue, context }) => enqueue.emit({ type: 'reply', reply: textReply(messages(context.locale).cancelled) })),
      sayWelcome: enqueueActions(({ enqueue, context }) => enqueue.emit({ type: 'reply', reply: welcomeReply(context.locale) })),
      sayHelp: enqueueActions(({ enqueue, context }) => enqueue.emit({ type: 'reply', reply: textReply(messages(context.locale).help) })),
      sayRestarted: enqueueActions(({ enqueue, context }) =>
        enqueue.emit({ type: 'reply', reply: textReply(messages(context.locale).restarted) }),
      ),
      sayTextOnly: enqueueActions(({ enqueue, context }) =>
        enqueue.emit({ type: 'reply', reply: textReply(messages(context.locale).textOnly) }),
      ),
      /** `question` is what the user asked, which feedback will refer to; default: the entry's own. */
      answerEntry: enqueueActions(({ enqueue, context }, params: { entryId: string; question?: string }) => {
        const entry = deps.entry(params.entryId, context.locale);
        if (!entry) {
          enqueue.emit({ type: 'reply', reply: textReply(messages(context.locale).fallback) });
          return;
        }
        const offerText = offerFor(entry, context.locale);
        enqueue.emit({ type: 'reply', reply: answerReply(entry, related(entry), offerText ? { title: offerText, value: offerText } : undefined) });
        const question = params.question ?? entry.question;
        enqueue.assign({ lastAnswer: { entryId: entry.id, question }, fallbackStreak: 0, clarify: undefined });
      }),
      askWhichOne: enqueueActions(({ enqueue, context, event }) => {
        const e = event as MessageEvent;
        const options = (e.route.decision === 'clarify' ? e.route.candidates : [])
          .map((id) => deps.entry(id, context.locale))
          .filter((entry): entry is FaqEntry => entry !== undefined)
          .map((entry) => ({ id: entry.id, question: entry.question }));
        enqueue.assign({ clarify: { question: e.text, options }, fallbackStreak: 0 });
        enqueue.emit({ type: 'reply', reply: clarifyReply(options, context.locale) });
      }),
      admitNotKnowing: enqueueActions(({ enqueue, context, event }, params: { offerHuman: boolean }) => {
        const e = event as MessageEvent;
        enqueue.emit({ type: 'signal', signal: { kind: 'unanswered', question: e.text, locale: context.locale } });
        enqueue.assign({ fallbackStreak: params.offerHuman ? 0 : context.fallbackStreak + 1, lastAnswer: undefined });
        const reply = params.offerHuman ? offerHumanReply(context.locale) : textReply(messages(context.locale).fallback);
        enqueue.emit({ type: 'reply', reply });
      }),
      recordFeedback: enqueueActions(({ enqueue, context, event }) => {
        if (event.type !== 'user.feedback' || !context.lastAnswer) return;
        const { entryId, question } = context.lastAnswer;
        enqueue.emit({ type: 'signal', signal: { kind: 'feedback', vote: event.vote, entryId, question, locale: context.locale } });
        const m = messages(context.locale);
        enqueue.emit({ type: 'reply', reply: textReply(event.vote === 'up' ? m.thanksUp : m.sorryDown) });
        enqueue.assign({ lastAnswer: undefined });
      }),
    },
  }).createMachine({
    id: 'kefu',
    context: ({ input }) => ({ locale: input.locale, fallbackStreak: 0 }),
    initial: 'idle',
    on: {
      'conversation.joined': { actions: 'sayWelcome' },
      'user.help': { actions: ['setLocale', 'sayHelp'] },
      'user.smallTalk': {
        actions: ['setLocale', { type: 'say', params: ({ event }) => textReply(event.kind === 'greeting' ? messages(event.locale).greeting : messages(event.locale).youAreWelcome) }],
      },
      'user.restart': { target: '.idle', actions: ['reset', 'sayRestarted'] },
      'user.nonText': { actions: 'sayTextOnly' },
      'user.feedback': [
        { guard: 'hasLastAnswer', actions: ['setLocale', 'recordFeedback'] },
        { actions: ['setLocale', { type: 'say', params: ({ context }) => textReply(messages(context.locale).thanksNoAnswer) }] },
      ],
    },
    states: {
      idle: {
        on: {
          'user.message': [
            // Files outside a flow: nothing here takes them.
            { guard: 'onlyFiles', actions: 'sayTextOnly' },
            { guard: { type: 'startsFlow', params: 'unlock' }, target: 'inFlow.unlock', actions: 'setLocale' },
            { guard: { type: 'startsFlow', params: 'phone-change' }, target: 'inFlow.phoneChange', actions: 'setLocale' },
            { guard: { type: 'startsFlow', params: 'appeal' }, target: 'inFlow.appeal', actions: 'setLocale' },
            { guard: { type: 'startsFlow', params: 'appeal-status' }, target: 'inFlow.appealStatus', actions: 'setLocale' },
            {
              guard: 'answerable',
              actions: ['setLocale', { type: 'answerEntry', params: ({ event }) => ({ entryId: entryToAnswer(event.route) ?? '', question: event.text }) }],
            },
            { guard: { type: 'routedTo', params: 'clarify' }, target: 'clarifying', actions: ['setLocale', 'askWhichOne'] },
            { guard: 'fallbackAgain', target: 'offeringHuman', actions: ['setLocale', { type: 'admitNotKnowing', params: { offerHuman: true } }] },
            { actions: ['setLocale', { type: 'admitNotKnowing', params: { offerHuman: false } }] },
          ],
          'user.choose': {
            actions: ['setLocale', { type: 'answerEntry', params: ({ event }) => ({ entryId: event.entryId }) }],
          },
        },
      },
      clarifying: {
        on: {
          'user.message': [
            {
              guard: 'picksOption',
              target: 'idle',
              actions: [
                'setLocale',
                {
                  type: 'answerEntry',
                  params: ({ context, event }) => {
                    const options = context.clarify?.options ?? [];
                    const picked = options[pickOption(event.text, options.map((o) => o.question)) ?? 0];
                    return { entryId: picked?.id ?? '', question: context.clarify?.question ?? event.text };
                  },
                },
              ],
            },
            {
              guard: 'rejectsOptions',
              target: 'idle',
              actions: [
                'setLocale',
                enqueueActions(({ enqueue, context, event }) => {
                  if (context.clarify) enqueue.emit({ type: 'signal', signal: { kind: 'unanswered', question: context.clarify.question, locale: event.locale } });
                  enqueue.assign({ clarify: undefined });
                  enqueue.emit({ type: 'reply', reply: textReply(messages(event.locale).rephrase) });
                }),
              ],
            },
            // Anything else is a new question: handle it as if no clarification were open.
            { target: 'idle', actions: [assign({ clarify: undefined }), raise(({ event }) => event)] },
          ],
          'user.choose': {
            target: 'idle',
            actions: [
              'setLocale',
              { type: 'answerEntry', params: ({ context, event }) => ({ entryId: event.entryId, question: context.clarify?.question }) },
            ],
          },
        },
      },
      // One guided flow at a time; what is common to all of them is handled here.
      inFlow: {
        // Always entered straight into one of its flows; `initial` is only required by xstate.
        initial: 'unlock',
        on: {
          'flow.say': { actions: 'relay' },
          // A tap on an older "您是想问" card while a flow runs: the flow comes first.
          'user.choose': { actions: { type: 'say', params: ({ context }) => textReply(messages(context.locale).finishFlowFirst) } },
          'flow.digress': { actions: { type: 'answerEntry', params: ({ event }) => ({ entryId: event.entryId }) } },
          'user.message': [
            { guard: 'cancels', target: 'idle', actions: 'sayCancelled' },
            // Asking for a person leaves the flow; the handoff takes it from here.
            { guard: { type: 'routedTo', params: 'handoff' }, target: 'idle', actions: { type: 'answerEntry', params: () => ({ entryId: GUIDE_FOR_HANDOFF }) } },
            { actions: sendTo('flow', ({ event }) => event) },
          ],
        },
        states: {
          unlock: {
            invoke: { id: 'flow', src: 'unlock', input: ({ context }) => ({ locale: context.locale }), onDone: { target: '#kefu.flowEnded', actions: 'keepOutcome' } },
          },
          phoneChange: {
            invoke: { id: 'flow', src: 'phoneChange', input: ({ context }) => ({ locale: context.locale }), onDone: { target: '#kefu.flowEnded', actions: 'keepOutcome' } },
          },
          appeal: {
            invoke: { id: 'flow', src: 'appeal', input: ({ context }) => ({ locale: context.locale }), onDone: { target: '#kefu.flowEnded', actions: 'keepOutcome' } },
          },
          appealStatus: {
            invoke: { id: 'flow', src: 'appealStatus', input: ({ context }) => ({ locale: context.locale }), onDone: { target: '#kefu.flowEnded', actions: 'keepOutcome' } },
          },
        },
      },
      flowEnded: {
        always: [
          { guard: { type: 'flowEnded', params: 'gave-up' }, target: 'offeringHuman' },
          { guard: { type: 'flowEnded', params: 'handoff' }, target: 'idle', actions: { type: 'answerEntry', params: () => ({ entryId: GUIDE_FOR_HANDOFF }) } },
          { target: 'idle' },
        ],
      },
      offeringHuman: {
        on: {
          'user.message': [
            {
              guard: 'acceptsHuman',
              target: 'idle',
              actions: ['setLocale', { type: 'answerEntry', params: ({ event }) => ({ entryId: GUIDE_FOR_HANDOFF, question: event.text }) }],
            },
            {
              guard: 'declinesHuman',
              target: 'idle',
              actions: ['setLocale', { type: 'say', params: ({ event }) => textReply(messages(event.locale).declinedHuman) }],
            },
            { target: 'idle', actions: raise(({ event }) => event) },
          ],
        },
      },
    },
  });
}

export type RootMachine = ReturnType<typeof createRootMachine>;
