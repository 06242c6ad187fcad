import { and, assign, enqueueActions, fromPromise, raise, sendTo, setup, type AnyActorRef } from 'xstate';
import type { ConversationNotice, FlowTrail, HandoffPort, HandoffReason, HandoffRequest, Priority, RequestResult } from '../domain/handoff';
import type { KbSignal } from '../domain/kbSignal';
import { maskPhone, maskText } from '../domain/mask';
import { findNumbers, foldDigits } from '../domain/typedNumbers';
import type { LocalizedAnswerValues } from '../knowledge/placeholders';
import type { Route } from '../knowledge/route';
import type { FlowName, FaqEntry, Locale } from '../knowledge/schema';
import { isNo, isYes, pickOption, rejectsAll } from './commands';
import { flowTrail } from './flowTrail';
import { isCancel } from './flows/input';
import { readMobile } from './flows/input';
import type { FlowMessageEvent, FlowOutcome, FlowProgress, FlowToParent } from './flows/protocol';
import { endsChat, handoffMessages, leavesQueue, ratingChoices, readRating, wantsToLeaveMessage } from './handoffMessages';
import type { AppealFlow } from './flows/appeal';
import type { appealStatusFlow } from './flows/appealStatus';
import type { phoneChangeFlow } from './flows/phoneChange';
import type { unlockFlow } from './flows/unlock';
import { messages } from './messages';
import type { Reply } from './reply';
import { answerReply, clarifyReply, flowStuckReply, helpReply, offerHumanReply, textReply, welcomeReply } from './rootReplies';
import { isStepButton } from './stepButtons';

/**
 * The conversation as one machine, persisted after every turn:
 *
 *   idle ── question ──► answer (stay idle) | "您是想问…" (clarifying) | "I don't know"
 *     ▲                    second "I don't know" in a row, or a complaint ──► offeringHuman
 *     ├──────── choice / none-of-these / new question / yes-no ───┘            │ yes
 *     ├── "帮我解锁" … ──► inFlow (one guided flow) ── ends / 取消 ──► idle      │
 *     │                      ├── three invalid answers: "转人工吗?" ─ 不用了: the step again
 *     │                      └── escalates / "转人工" ─────────────┐            │
 *     └── "转人工" ───────────────────────────────────────► requestingHuman ◄──┘
 *            queued (position, ETA; 取消排队) ──► withAgent (the bot is silent) ──► rating
 *            nobody available / nobody came ──► offeringMessage ──► leavingMessage (a ticket)
 *
 * Help, restart and feedback work in every state but with a person. The machine decides;
 * the turn runner routes the text beforehand (pure) and performs what it emits afterwards.
 * What happens from outside (an agent claims, writes, resolves; the queue moves) arrives
 * as notices, each a turn of its own.
 */

export type UserEvent =
  | { type: 'conversation.joined'; locale: Locale }
  | FlowMessageEvent
  | { type: 'user.choose'; locale: Locale; entryId: string }
  | { type: 'user.feedback'; locale: Locale; vote: 'up' | 'down' }
  | { type: 'user.help'; locale: Locale }
  | { type: 'user.restart'; locale: Locale }
  | { type: 'user.smallTalk'; locale: Locale; kind: 'greeting' | 'thanks' }
  | { type: 'user.nonText'; locale: Locale }
  /** Longer than the configured cap: answered with one sentence, nothing else changes. */
  | { type: 'user.tooLong'; locale: Locale; max: number }
  /** A file over the upload limit, which the channel did not take: the limit in one sentence, nothing else changes. */
  | { type: 'user.fileTooLarge'; locale: Locale }
  | ConversationNotice
  | FlowProgress
  /** The conversation was idle longer than a flow may wait. */
  | { type: 'flow.timeout' };

/** A guided flow started or ended (for metrics). */
export type FlowEvent = { flow: string; event: 'started' | 'completed' | 'abandoned' | 'handed_off' };

export type RootEmitted = { type: 'reply'; reply: Reply } | { type: 'signal'; signal: KbSignal } | ({ type: 'flow' } & FlowEvent);

export interface RootContext {
  /** The conversation's key with the handoff service. */
  conversation: string;
  locale: Locale;
  /** "I don't know" answers in a row; the second one offers a person. */
  fallbackStreak: number;
  /** What the 👍/👎 buttons under the last answer refer to. */
  lastAnswer?: { entryId: string; question: string };
  /** The options of an open "您是想问…". */
  clarify?: { question: string; options: { id: string; question: string }[] };
  /** How the last guided flow ended. */
  flowOutcome?: FlowOutcome;
  /** The guided flow running now. */
  activeFlow?: string;
  /** Where the running flow stands, for an agent who takes over. */
  trail?: FlowTrail;
  /** A step of the running flow got three invalid answers in a row: a person is on offer. */
  offeredPerson?: boolean;
  /** Questions the bot could not answer, masked, newest last (the agent sees them). */
  misses: string[];
  /** Why a person is being offered or asked for. */
  handoff?: { reason: HandoffReason; priority: Priority };
  agentName?: string;
  /** The number a message left for the team should be answered on, while it is written. */
  contact?: string;
}

export interface RootMachineDeps {
  entry(id: string, locale: Locale): FaqEntry | undefined;
  /** What the answers' placeholders read as in this deployment (bot/answerValues.ts). */
  answerValues: LocalizedAnswerValues;
  /** The guided flows, with their I/O provided (bot/conversation/flowActors.ts). */
  flows: { unlock: typeof unlockFlow; phoneChange: typeof phoneChangeFlow; appeal: AppealFlow; appealStatus: typeof appealStatusFlow };
  handoff: HandoffPort;
}

const MAX_MISSES_KEPT = 5;
const MIN_MESSAGE_CHARS = 5;
const BY_REQUEST = { reason: 'user-request', priority: 'normal' } as const;

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
  const h = handoffMessages;

  return setup({
    types: {
      context: {} as RootContext,
      events: {} as UserEvent | FlowToParent,
      emitted: {} as RootEmitted,
      input: {} as { locale: Locale; conversation: string },
    },
    actors: {
      ...deps.flows,
      requestHuman: fromPromise<RequestResult, { conversation: string; request: HandoffRequest }>(({ input }) => deps.handoff.request(input.conversation, input.request)),
      queuePosition: fromPromise(({ input }: { input: { conversation: string } }) => deps.handoff.position(input.conversation)),
      leaveQueue: fromPromise(({ input }: { input: { conversation: string } }) => deps.handoff.cancel(input.conversation)),
      leaveMessage: fromPromise(({ input }: { input: { conversation: string; message: Parameters<HandoffPort['leaveMessage']>[1] } }) =>
        deps.handoff.leaveMessage(input.conversation, input.message),
      ),
      endChat: fromPromise(({ input }: { input: { conversation: string } }) => deps.handoff.endByUser(input.conversation)),
      rate: fromPromise(({ input }: { input: { conversation: string; rating: number } }) => deps.handoff.rate(input.conversation, input.rating)),
    },
    guards: {
      startsFlow: ({ event }, flow: FlowName) => event.type === 'user.message' && event.route.decision === 'flow' && event.route.flow === flow,
      onlyFiles: ({ event }) => event.type === 'user.message' && event.text === '',
      stepButton: ({ event }) => event.type === 'user.message' && isStepButton(event.text),
      cancels: ({ event }) => event.type === 'user.message' && isCancel(event.text),
      flowEnded: ({ context }, outcome: FlowOutcome['outcome']) => context.flowOutcome?.outcome === outcome,
      routedTo: ({ event }, decision: Route['decision']) => event.type === 'user.message' && event.route.decision === decision,
      fallbackAgain: ({ context }) => context.fallbackStreak >= 1,
      hasLastAnswer: ({ context }) => context.lastAnswer !== undefined,
      offeredPerson: ({ context }) => context.offeredPerson === true,
      picksOption: ({ context, event }) =>
        event.type === 'user.message' &&
        pickOption(event.text, context.clarify?.options.map((o) => o.question) ?? []) !== undefined,
      rejectsOptions: ({ event }) => event.type === 'user.message' && rejectsAll(event.text),
      acceptsHuman: ({ event }) => event.type === 'user.message' && (isYes(event.text) || event.route.decision === 'handoff'),
      declines: ({ event }) => event.type === 'user.message' && isNo(event.text),
      leavesQueue: ({ event }) => event.type === 'user.message' && leavesQueue(event.text),
      endsChat: ({ event }) => event.type === 'user.message' && endsChat(event.text),
      wantsToLeaveMessage: ({ event }) => event.type === 'user.message' && wantsToLeaveMessage(event.text),
      givesMobile: ({ event }) => event.type === 'user.message' && readMobile(event.text) !== undefined,
      tooShort: ({ event }) => event.type === 'user.message' && [...event.text.trim()].length < MIN_MESSAGE_CHARS,
      rates: ({ event }) => event.type === 'user.message' && readRating(event.text) !== undefined,
    },
    actions: {
      setLocale: assign({ locale: ({ context, event }) => ('locale' in event ? event.locale : context.locale) }),
      reset: assign(({ context, event }) => ({
        locale: 'locale' in event ? event.locale : context.locale,
        fallbackStreak: 0,
        lastAnswer: undefined,
        clarify: undefined,
        misses: [],
      })),
      keepOutcome: enqueueActions(({ enqueue, context, event }) => {
        const outcome = (event as unknown as { output: FlowOutcome }).output;
        enqueue.assign({ flowOutcome: outcome, activeFlow: undefined });
        enqueue.emit({ type: 'flow', flow: context.activeFlow ?? '', event: outcome.outcome === 'done' ? 'completed' : 'handed_off' });
      }),
      enterFlow: enqueueActions(({ enqueue }, flow: string) => {
        enqueue.assign({ activeFlow: flow });
        enqueue.emit({ type: 'flow', flow, event: 'started' });
      }),
      /** Cancelled, timed out, or left for a person mid-way. */
      abandonFlow: enqueueActions(({ enqueue, context }) => {
        if (context.activeFlow) enqueue.emit({ type: 'flow', flow: context.activeFlow, event: 'abandoned' });
        enqueue.assign({ activeFlow: undefined });
      }),
      /** The flow could not go on, and its user took the person offered. */
      handOffFlow: enqueueActions(({ enqueue, context }) => {
        if (context.activeFlow) enqueue.emit({ type: 'flow', flow: context.activeFlow, event: 'handed_off' });
        enqueue.assign({ activeFlow: undefined });
      }),
      /** Nothing of the last flow or handoff matters once the conversation is back at rest. */
      forgetHandoff: assign({ trail: undefined, handoff: undefined, contact: undefined, agentName: undefined, offeredPerson: undefined }),
      askFor: assign({ handoff: (_, params: { reason: HandoffReason; priority: Priority }) => params }),
      relay: enqueueActions(({ enqueue, event }) => {
        if (event.type === 'flow.say') enqueue.emit({ type: 'reply', reply: event.reply });
      }),
      say: enqueueActions(({ enqueue }, reply: Reply) => enqueue.emit({ type: 'reply', reply })),
      sayCancelled: enqueueActions(({ enqueue, context }) => enqueue.emit({ type: 'reply', reply: textReply(messages(context.locale).cancelled) })),
      sayWelcome: enqueueActions(({ enqueue, context }) => enqueue.emit({ type: 'reply', reply: welcomeReply(context.locale) })),
      sayHelp: enqueueActions(({ enqueue, context }) => enqueue.emit({ type: 'reply', reply: helpReply(context.locale) })),
      sayHelpInFlow: enqueueActions(({ enqueue, context }) => enqueue.emit({ type: 'reply', reply: cancellable(context.locale, messages(context.locale).helpInFlow) })),
      sayRestarted: enqueueActions(({ enqueue, context }) =>
        enqueue.emit({ type: 'reply', reply: textReply(messages(context.locale).restarted) }),
      ),
      sayTextOnly: enqueueActions(({ enqueue, context }) =>
        enqueue.emit({ type: 'reply', reply: textReply(messages(context.locale).textOnly) }),
      ),
      sayStillQueued: enqueueActions(({ enqueue, context }) => {
        const m = h(context.locale);
        enqueue.emit({ type: 'reply', reply: { text: m.stillQueued, suggestions: [{ title: m.cancelQueue, value: m.cancelQueue }] } });
      }),
      /** `question` is what the user asked, which feedback will refer to; default: the entry's own. */
      answerEntry: enqueueActions(({ enqueue, context }, params: { entryId: string; question?: string }) => {
        const entry = deps.entry(params.entryId, context.locale);
        if (!entry) {
          enqueue.emit({ type: 'reply', reply: textReply(messages(context.locale).fallback) });
          return;
        }
        const offerText = offerFor(entry, context.locale);
        enqueue.emit({ type: 'reply', reply: answerReply(entry, related(entry), deps.answerValues[entry.locale], offerText ? { title: offerText, value: offerText } : undefined) });
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
        if (isQuestion(e.text)) enqueue.emit({ type: 'signal', signal: { kind: 'unanswered', question: e.text, locale: context.locale } });
        enqueue.assign({ misses: withMiss(context, e.text), fallbackStreak: params.offerHuman ? 0 : context.fallbackStreak + 1, lastAnswer: undefined });
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
      /** "留言 / 不用了" after telling why nobody can take the chat. */
      offerMessage: enqueueActions(({ enqueue, context }, text: string) => {
        const m = h(context.locale);
        enqueue.emit({ type: 'reply', reply: { text, suggestions: [{ title: m.leaveMessage, value: m.leaveMessage }, { title: m.noThanks, value: m.noThanks }] } });
      }),
    },
  }).createMachine({
    id: 'kefu',
    context: ({ input }) => ({ locale: input.locale, conversation: input.conversation, fallbackStreak: 0, misses: [] }),
    initial: 'idle',
    on: {
      'conversation.joined': { actions: 'sayWelcome' },
      'user.help': { actions: ['setLocale', 'sayHelp'] },
      'user.smallTalk': {
        actions: ['setLocale', { type: 'say', params: ({ event }) => textReply(event.kind === 'greeting' ? messages(event.locale).greeting : messages(event.locale).youAreWelcome) }],
      },
      'user.restart': { target: '.idle', actions: ['abandonFlow', 'reset', 'sayRestarted'] },
      'user.nonText': { actions: 'sayTextOnly' },
      'user.tooLong': { actions: { type: 'say', params: ({ event }) => textReply(messages(event.locale).tooLong(event.max)) } },
      'user.fileTooLarge': { actions: { type: 'say', params: ({ event }) => textReply(messages(event.locale).fileTooLarge(deps.answerValues[event.locale].uploadLimit)) } },
      'user.feedback': [
        { guard: 'hasLastAnswer', actions: ['setLocale', 'recordFeedback'] },
        { actions: ['setLocale', { type: 'say', params: ({ context }) => textReply(messages(context.locale).thanksNoAnswer) }] },
      ],
    },
    states: {
      idle: {
        entry: 'forgetHandoff',
        on: {
          'user.message': [
            // Files outside a flow: nothing here takes them.
            { guard: 'onlyFiles', actions: 'sayTextOnly' },
            // "取消", "确认更换" … from a card whose step is over: that step is gone, not a question.
            { guard: 'stepButton', actions: ['setLocale', { type: 'say', params: ({ event }) => textReply(messages(event.locale).stepOver) }] },
            { guard: { type: 'startsFlow', params: 'unlock' }, target: 'inFlow.unlock', actions: 'setLocale' },
            { guard: { type: 'startsFlow', params: 'phone-change' }, target: 'inFlow.phoneChange', actions: 'setLocale' },
            { guard: { type: 'startsFlow', params: 'appeal' }, target: 'inFlow.appeal', actions: 'setLocale' },
            { guard: { type: 'startsFlow', params: 'appeal-status' }, target: 'inFlow.appealStatus', actions: 'setLocale' },
            { guard: { type: 'routedTo', params: 'handoff' }, target: 'requestingHuman', actions: ['setLocale', { type: 'askFor', params: BY_REQUEST }] },
            {
              guard: { type: 'routedTo', params: 'answer' },
              actions: ['setLocale', { type: 'answerEntry', params: ({ event }) => ({ entryId: 'entryId' in event.route ? event.route.entryId : '', question: event.text }) }],
            },
            {
              guard: { type: 'routedTo', params: 'complaint' },
              target: 'offeringHuman',
              actions: [
                'setLocale',
                { type: 'askFor', params: { reason: 'complaint', priority: 'normal' } },
                { type: 'say', params: ({ event }) => ({ ...offerHumanReply(event.locale), text: h(event.locale).complaintOffer }) },
              ],
            },
            { guard: { type: 'routedTo', params: 'clarify' }, target: 'clarifying', actions: ['setLocale', 'askWhichOne'] },
            {
              guard: 'fallbackAgain',
              target: 'offeringHuman',
              actions: ['setLocale', { type: 'askFor', params: { reason: 'repeated-fallback', priority: 'normal' } }, { type: 'admitNotKnowing', params: { offerHuman: true } }],
            },
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
                  if (context.clarify) {
                    enqueue.emit({ type: 'signal', signal: { kind: 'unanswered', question: context.clarify.question, locale: event.locale } });
                    enqueue.assign({ misses: withMiss(context, context.clarify.question) });
                  }
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
        // A person may take over right now (the flow handed over, gave up, or the user asked):
        // the agent is told where the flow stands at this moment, not at the end of the last turn.
        exit: assign({
          trail: ({ context, self }) => {
            const flow = self.getSnapshot().children.flow as AnyActorRef | undefined;
            return flow && context.activeFlow ? flowTrail(context.activeFlow, flow, context.trail) : context.trail;
          },
        }),
        on: {
          'flow.say': { actions: 'relay' },
          'flow.progress': { actions: assign({ trail: ({ event }) => event.trail }) },
          'flow.timeout': { target: 'idle', actions: ['abandonFlow', { type: 'say', params: ({ context }) => textReply(messages(context.locale).flowTimedOut) }] },
          // The help buttons start flows; pressed now they would be taken as this step's answer.
          'user.help': { actions: ['setLocale', 'sayHelpInFlow'] },
          // A tap on an older "您是想问" card while a flow runs: the flow comes first.
          'user.choose': { actions: { type: 'say', params: ({ context }) => textReply(messages(context.locale).finishFlowFirst) } },
          'flow.digress': { actions: { type: 'answerEntry', params: ({ event }) => ({ entryId: event.entryId }) } },
          // The step waits while the user decides.
          'flow.stuck': { actions: [assign({ offeredPerson: true }), { type: 'say', params: ({ context }) => flowStuckReply(context.locale) }] },
          'user.message': [
            { guard: 'cancels', target: 'idle', actions: ['abandonFlow', 'sayCancelled'] },
            {
              guard: and(['offeredPerson', 'acceptsHuman']),
              target: 'requestingHuman',
              actions: ['handOffFlow', { type: 'askFor', params: { reason: 'flow-stuck', priority: 'normal' } }],
            },
            // Asking for a person leaves the flow; the agent sees where it stood.
            { guard: { type: 'routedTo', params: 'handoff' }, target: 'requestingHuman', actions: ['abandonFlow', { type: 'askFor', params: BY_REQUEST }] },
            { guard: and(['offeredPerson', 'declines']), actions: [assign({ offeredPerson: false }), sendTo('flow', { type: 'flow.resume' })] },
            // Anything else is an answer to the step: the offer lapses.
            { actions: [assign({ offeredPerson: false }), sendTo('flow', ({ event }) => event)] },
          ],
        },
        states: {
          unlock: {
            entry: { type: 'enterFlow', params: 'unlock' },
            invoke: { id: 'flow', src: 'unlock', input: ({ context }) => ({ locale: context.locale }), onDone: { target: '#kefu.flowEnded', actions: 'keepOutcome' } },
          },
          phoneChange: {
            entry: { type: 'enterFlow', params: 'phoneChange' },
            invoke: { id: 'flow', src: 'phoneChange', input: ({ context }) => ({ locale: context.locale }), onDone: { target: '#kefu.flowEnded', actions: 'keepOutcome' } },
          },
          appeal: {
            entry: { type: 'enterFlow', params: 'appeal' },
            invoke: { id: 'flow', src: 'appeal', input: ({ context }) => ({ locale: context.locale }), onDone: { target: '#kefu.flowEnded', actions: 'keepOutcome' } },
          },
          appealStatus: {
            entry: { type: 'enterFlow', params: 'appealStatus' },
            invoke: {
              id: 'flow',
              src: 'appealStatus',
              // "查一下申诉 AP-… 的进度": the flow takes the case id from the message itself.
              input: ({ context, event }) => ({ locale: context.locale, opening: event.type === 'user.message' ? event.text : undefined }),
              onDone: { target: '#kefu.flowEnded', actions: 'keepOutcome' },
            },
          },
        },
      },
      flowEnded: {
        always: [
          // The flow already said why; a person takes it from here.
          { guard: { type: 'flowEnded', params: 'gave-up' }, target: 'requestingHuman', actions: { type: 'askFor', params: { reason: 'flow-stuck', priority: 'normal' } } },
          {
            guard: { type: 'flowEnded', params: 'handoff' },
            target: 'requestingHuman',
            actions: {
              type: 'askFor',
              params: ({ context }) => (context.flowOutcome?.outcome === 'handoff' ? { reason: context.flowOutcome.reason, priority: context.flowOutcome.priority } : BY_REQUEST),
            },
          },
          { target: 'idle' },
        ],
      },
      offeringHuman: {
        on: {
          'user.message': [
            { guard: 'acceptsHuman', target: 'requestingHuman', actions: 'setLocale' },
            { guard: 'declines', target: 'idle', actions: ['setLocale', { type: 'say', params: ({ event }) => textReply(messages(event.locale).declinedHuman) }] },
            { target: 'idle', actions: raise(({ event }) => event) },
          ],
        },
      },
      requestingHuman: {
        invoke: {
          src: 'requestHuman',
          input: ({ context }) => ({
            conversation: context.conversation,
            request: { ...(context.handoff ?? BY_REQUEST), locale: context.locale, trail: context.trail, misses: context.misses },
          }),
          onDone: [
            {
              guard: ({ event }) => event.output.status === 'queued',
              target: 'withHuman.queued',
              actions: enqueueActions(({ enqueue, context, event }) => {
                if (event.output.status !== 'queued') return;
                const m = h(context.locale);
                const text = m.queued(event.output.position, event.output.etaMinutes);
                enqueue.emit({ type: 'reply', reply: { text, suggestions: [{ title: m.cancelQueue, value: m.cancelQueue }] } });
              }),
            },
            {
              guard: ({ event }) => event.output.status === 'external',
              target: 'withHuman.queued',
              actions: enqueueActions(({ enqueue, context }) => {
                const m = h(context.locale);
                enqueue.emit({ type: 'reply', reply: { text: m.connecting, suggestions: [{ title: m.cancelQueue, value: m.cancelQueue }] } });
              }),
            },
            {
              guard: ({ event }) => event.output.status === 'with-agent',
              target: 'withHuman.withAgent',
              actions: enqueueActions(({ enqueue, context, event }) => {
                const agentName = event.output.status === 'with-agent' ? event.output.agentName : '';
                enqueue.assign({ agentName });
                enqueue.emit({ type: 'reply', reply: textReply(h(context.locale).alreadyWithAgent(agentName)) });
              }),
            },
            {
              guard: ({ event }) => event.output.status === 'limited',
              target: 'idle',
              actions: { type: 'say', params: ({ context }) => textReply(h(context.locale).tooManyHandoffs) },
            },
            {
              target: 'offeringMessage',
              actions: {
                type: 'offerMessage',
                params: ({ context, event }) => {
                  const m = h(context.locale);
                  return event.output.status === 'unavailable' && event.output.why === 'closed' ? m.closedNow(event.output.hours) : m.noAgents;
                },
              },
            },
          ],
          onError: { target: 'idle', actions: { type: 'say', params: ({ context }) => textReply(h(context.locale).requestFailed) } },
        },
      },
      // With a person: nothing the user sends is answered by the bot. The agent reads it all
      // in the transcript; the few things handled here only concern the queue.
      withHuman: {
        // Entered straight into one of its states; `initial` is only required by xstate.
        initial: 'queued',
        on: {
          'handoff.resolved': { target: 'rating', actions: { type: 'say', params: ({ context }) => ratingPrompt(context.locale) } },
        },
        states: {
          queued: {
            on: {
              'user.message': [
                { guard: 'leavesQueue', target: '#kefu.leavingQueue' },
                { guard: { type: 'routedTo', params: 'handoff' }, target: 'checkingPosition' },
                { actions: 'sayStillQueued' },
              ],
              'user.restart': { target: '#kefu.leavingQueue' },
              'user.help': { actions: 'sayStillQueued' },
              'user.smallTalk': { actions: 'sayStillQueued' },
              'user.feedback': { actions: 'sayStillQueued' },
              'user.choose': { actions: 'sayStillQueued' },
              'user.nonText': { actions: 'sayStillQueued' },
              'handoff.position': { actions: { type: 'say', params: ({ context, event }) => textReply(h(context.locale).moved(event.position, event.etaMinutes)) } },
              'handoff.claimed': {
                target: 'withAgent',
                actions: [assign({ agentName: ({ event }) => event.agentName }), { type: 'say', params: ({ context, event }) => textReply(h(context.locale).agentJoined(event.agentName)) }],
              },
              'handoff.expired': { target: '#kefu.offeringMessage', actions: { type: 'offerMessage', params: ({ context }) => h(context.locale).expired } },
            },
          },
          checkingPosition: {
            invoke: {
              src: 'queuePosition',
              input: ({ context }) => ({ conversation: context.conversation }),
              onDone: [
                {
                  guard: ({ event }) => event.output !== undefined,
                  target: 'queued',
                  actions: { type: 'say', params: ({ context, event }) => textReply(h(context.locale).position(event.output?.position ?? 0, event.output?.etaMinutes ?? 0)) },
                },
                { target: 'queued', actions: 'sayStillQueued' },
              ],
              onError: { target: 'queued', actions: 'sayStillQueued' },
            },
          },
          withAgent: {
            on: {
              // Only the exact words end it; anything else is for the agent.
              'user.message': { guard: 'endsChat', target: '#kefu.endingChat' },
              'user.restart': {},
              'user.help': {},
              'user.smallTalk': {},
              'user.feedback': {},
              'user.choose': {},
              'user.nonText': {},
              'agent.message': { actions: { type: 'say', params: ({ context, event }) => ({ text: h(context.locale).agentSays(event.agentName, event.text), plain: true }) } },
            },
          },
        },
      },
      endingChat: {
        invoke: {
          src: 'endChat',
          input: ({ context }) => ({ conversation: context.conversation }),
          onDone: {
            target: 'rating',
            actions: { type: 'say', params: ({ context }) => ratingPrompt(context.locale) },
          },
          onError: { target: 'withHuman.withAgent', actions: { type: 'say', params: ({ context }) => textReply(h(context.locale).requestFailed) } },
        },
      },
      leavingQueue: {
        invoke: {
          src: 'leaveQueue',
          input: ({ context }) => ({ conversation: context.conversation }),
          onDone: [
            // An agent claimed the chat a moment before: the user stays with them.
            { guard: ({ event }) => event.output === 'with-agent', target: 'withHuman.withAgent', actions: { type: 'say', params: ({ context }) => textReply(h(context.locale).cancelTooLate) } },
            { target: 'idle', actions: { type: 'say', params: ({ context }) => textReply(h(context.locale).queueCancelled) } },
          ],
          onError: { target: 'withHuman.queued', actions: { type: 'say', params: ({ context }) => textReply(h(context.locale).requestFailed) } },
        },
      },
      rating: {
        on: {
          'user.message': [
            {
              guard: 'rates',
              target: 'savingRating',
              actions: { type: 'say', params: ({ context, event }) => textReply(h(context.locale).thanksRating(readRating(event.text) ?? 5)) },
            },
            // No rating, a new question: answer it.
            { target: 'idle', actions: raise(({ event }) => event) },
          ],
        },
      },
      savingRating: {
        invoke: {
          src: 'rate',
          input: ({ context, event }) => ({ conversation: context.conversation, rating: event.type === 'user.message' ? (readRating(event.text) ?? 0) : 0 }),
          onDone: 'idle',
          onError: 'idle',
        },
      },
      offeringMessage: {
        on: {
          'user.message': [
            { guard: 'wantsToLeaveMessage', target: 'leavingMessage', actions: { type: 'say', params: ({ context }) => cancellable(context.locale, h(context.locale).askContact) } },
            { guard: 'declines', target: 'idle', actions: { type: 'say', params: ({ context }) => textReply(h(context.locale).declined) } },
            { target: 'idle', actions: raise(({ event }) => event) },
          ],
        },
      },
      leavingMessage: {
        initial: 'contact',
        on: {
          'flow.timeout': { target: 'idle', actions: { type: 'say', params: ({ context }) => textReply(messages(context.locale).flowTimedOut) } },
          'user.help': { actions: ['setLocale', 'sayHelpInFlow'] },
        },
        states: {
          contact: {
            on: {
              'user.message': [
                { guard: 'cancels', target: '#kefu.idle', actions: 'sayCancelled' },
                {
                  guard: 'givesMobile',
                  target: 'text',
                  actions: [
                    assign({ contact: ({ event }) => readMobile(event.text) }),
                    { type: 'say', params: ({ context }) => cancellable(context.locale, h(context.locale).askMessageText) },
                  ],
                },
                { actions: { type: 'say', params: ({ context }) => cancellable(context.locale, h(context.locale).badContact) } },
              ],
            },
          },
          text: {
            on: {
              'user.message': [
                { guard: 'cancels', target: '#kefu.idle', actions: 'sayCancelled' },
                { guard: 'tooShort', actions: { type: 'say', params: ({ context }) => cancellable(context.locale, h(context.locale).messageTooShort) } },
                { target: 'saving' },
              ],
            },
          },
          saving: {
            invoke: {
              src: 'leaveMessage',
              input: ({ context, event }) => ({
                conversation: context.conversation,
                message: {
                  locale: context.locale,
                  contact: context.contact ?? '',
                  // Kept as the agent will read it: no codes, numbers masked.
                  text: event.type === 'user.message' ? maskText(event.text) : '',
                  reason: context.handoff?.reason ?? 'user-request',
                },
              }),
              onDone: [
                {
                  guard: ({ event }) => event.output === undefined,
                  target: '#kefu.idle',
                  actions: { type: 'say', params: ({ context }) => textReply(h(context.locale).tooManyHandoffs) },
                },
                {
                  target: '#kefu.idle',
                  actions: { type: 'say', params: ({ context, event }) => textReply(h(context.locale).ticketLeft(event.output?.id ?? '', maskPhone(context.contact ?? ''))) },
                },
              ],
              onError: { target: '#kefu.idle', actions: { type: 'say', params: ({ context }) => textReply(h(context.locale).ticketFailed) } },
            },
          },
        },
      },
    },
  });
}

/**
 * A phone number, a code or bare digits typed outside a flow answer a question nobody asked:
 * they are no question for the knowledge base or for an agent (the transcript keeps them, masked).
 */
export function isQuestion(text: string): boolean {
  const folded = foldDigits(text);
  let words = '';
  let at = 0;
  for (const found of findNumbers(folded)) {
    words += folded.slice(at, found.start);
    at = found.end;
  }
  return /\p{L}/u.test(words + folded.slice(at));
}

/** Questions nobody answered, for the agent if one takes over: masked, the latest few. */
function withMiss(context: RootContext, question: string): string[] {
  return isQuestion(question) ? [...context.misses, maskText(question)].slice(-MAX_MISSES_KEPT) : context.misses;
}

/** "How would you rate it?" with 5 … 1 stars. */
function ratingPrompt(locale: Locale): Reply {
  return { text: handoffMessages(locale).askRating, suggestions: ratingChoices(locale) };
}

/** A prompt with a "取消" button. */
function cancellable(locale: Locale, text: string): Reply {
  const cancel = locale === 'en-US' ? 'Cancel' : '取消';
  return { text, suggestions: [{ title: cancel, value: cancel }] };
}

export type RootMachine = ReturnType<typeof createRootMachine>;
