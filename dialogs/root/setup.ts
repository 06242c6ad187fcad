import { assign, enqueueActions, fromPromise, setup } from 'xstate';
import type { FlowTrail, HandoffReason, HandoffRequest, Priority, RequestResult } from '../../domain/handoff';
import { maskText } from '../../domain/mask';
import { findNumbers, foldDigits } from '../../domain/typedNumbers';
import type { LocalizedAnswerValues } from '../../knowledge/placeholders';
import type { Route } from '../../knowledge/route';
import type { Act, FlowName, FaqEntry, Locale } from '../../knowledge/schema';
import { affirms, denies, pickOption, rejectsAll } from '../commands';
import { flowMessages } from '../flows/flowMessages';
import { isCancel, isContinue, readMobile } from '../flows/input';
import type { FlowOutcome, FlowToParent } from '../flows/protocol';
import { registrationOf, registrationOfState, type FlowMachines } from '../flows/registry';
import { endsChat, handoffMessages, leavesQueue, ratingChoices, readRating, wantsToLeaveMessage } from '../handoffMessages';
import { messages, type Messages } from '../messages';
import type { Reply } from '../reply';
import { answerReply, clarifyReply, confirmReply, feedbackButtons, helpReply, offerHumanReply, textReply, welcomeReply, yesNoReply } from '../rootReplies';
import { isStepButton } from '../stepButtons';
import { normalize } from '../../knowledge/text';
import type { HandoffPort } from '../../domain/handoff';
import type { RootContext, RootEmitted, UserEvent } from './events';

export interface RootMachineDeps {
  entry(id: string, locale: Locale): FaqEntry | undefined;
  /** What the answers' placeholders read as in this deployment (bot/answerValues.ts). */
  answerValues: LocalizedAnswerValues;
  /** The guided flows, with their I/O provided (bot/conversation/flowActors.ts). */
  flows: FlowMachines;
  handoff: HandoffPort;
}

const MAX_MISSES_KEPT = 5;
/** How long a finished or cancelled flow's result stays with the conversation for a person asked for after it. */
export const LAST_FLOW_KEPT_MS = 30 * 60_000;
const MIN_MESSAGE_CHARS = 5;
export const BY_REQUEST = { reason: 'user-request', priority: 'normal' } as const;

export type MessageEvent = Extract<UserEvent, { type: 'user.message' }>;

/**
 * The flow a message asks for: by request ("我要解锁"), or, after "说错了", by a question whose
 * answer offers it ("搞错了，我是账号被锁了" answers unlock-how, which offers unlocking).
 */
function flowWanted(event: MessageEvent, entry: (id: string) => FaqEntry | undefined): FlowName | undefined {
  if (event.route.decision === 'flow') return event.route.flow;
  if (!event.corrected || event.route.decision !== 'answer') return undefined;
  const action = entry(event.route.entryId)?.action;
  return action && action !== 'handoff' ? action : undefined;
}

/** The words the bot itself tells users to type for a person, and its button's. */
const PLAIN_HANDOFF = new Set(['转人工', '人工', '人工客服', '转人工客服', '找人工', '转接人工', 'agent', 'human', 'talk to an agent', 'human agent', 'real person'].map((w) => normalize(w)));
const isPlainHandoff = (text: string) => PLAIN_HANDOFF.has(normalize(text));

/** One of the conversation's own sentences, as a reply (an action). */
export const line = (pick: (m: Messages) => string) => ({ type: 'say' as const, params: ({ context }: { context: { locale: Locale } }) => textReply(pick(messages(context.locale))) });

/** A person offered with yes / no buttons, in the conversation's own words (an action). */
export const offerPerson = (pick: (m: Messages) => string) => ({
  type: 'say' as const,
  params: ({ context }: { context: { locale: Locale } }) => ({ ...offerHumanReply(context.locale), text: pick(messages(context.locale)) }),
});

/** The guard "the message is (among other acts) this act". */
export const is = (act: Act) => ({ type: 'is', params: act }) as const;

/** The flow an answer offers to start. */
const offeredFlow = (entry: FaqEntry): FlowName | undefined => (entry.action && entry.action !== 'handoff' ? entry.action : undefined);

/** The words of the button under an answer that starts its flow or asks for a person — typing them does the same. */
function offerFor(entry: FaqEntry, locale: Locale): string | undefined {
  if (entry.action === 'handoff') return messages(locale).yesHuman;
  const flow = offeredFlow(entry);
  return flow ? registrationOf(flow)?.startPhrase(messages(locale)) : undefined;
}

const actsOf = (event: { type: string }): readonly Act[] => (event.type === 'user.message' ? (event as MessageEvent).acts : []);

/** The conversation's typed vocabulary: its context, events, actors, guards and actions; the states use them by name. */
export function createRootSetup(deps: RootMachineDeps) {
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
      rejectsOptions: ({ event }) => event.type === 'user.message' && (rejectsAll(event.text) || denies(event.acts)),
      acceptsHuman: ({ event }) => event.type === 'user.message' && (affirms(event.acts) || event.route.decision === 'handoff'),
      declines: ({ event }) => denies(actsOf(event)),
      affirms: ({ event }) => affirms(actsOf(event)),
      /** The message is (among other acts) this act. */
      is: ({ event }, act: Act) => actsOf(event).includes(act),
      /** Only greetings: "你好" with a question after it is the question. */
      onlyGreets: ({ event }) => actsOf(event).length > 0 && actsOf(event).every((act) => act === 'greet'),
      /** "说错了" with nothing after it to route. */
      correctsNothing: ({ event }) => event.type === 'user.message' && !event.corrected && event.acts.includes('correction'),
      offered: ({ context }, flow: FlowName) => context.offer === flow,
      offersFlow: ({ context }) => context.offer !== undefined && context.offer !== 'handoff',
      offersPerson: ({ context }) => context.offer === 'handoff',
      hasTopic: ({ context }) => context.topic !== undefined,
      confirmHasOthers: ({ context }) => (context.confirm?.others.length ?? 0) > 0,
      singleOption: ({ context }) => context.clarify?.options.length === 1,
      switchingTo: ({ context }, to: FlowName | 'handoff') => context.switchTo === to,
      switchAsked: ({ context }) => context.switchTo !== undefined,
      continuesFlow: ({ event }) => event.type === 'user.message' && isContinue(event.text),
      /** The acts are the whole message, not only a clause of it. */
      wholeMessage: ({ event }) => event.type === 'user.message' && event.whole,
      /** "转人工" as the flows' messages and the help's button put it: no question back. */
      asksForPersonPlainly: ({ event }) => event.type === 'user.message' && event.route.decision === 'handoff' && isPlainHandoff(event.text),
      notAtFilesStep: ({ context }) => context.trail?.stage !== 'askingFiles',
      /** A step that takes a number, a code or a choice: only at the appeal's explanation is free text the answer. */
      stepTakesNoStory: ({ context }) => context.trail?.stage !== 'askingExplanation',
      /**
       * Inside a flow, a message that clearly asks for another flow: a correction ("搞错了，我是要解锁"),
       * or a request to do it at a step that takes a number or a code (at the step that takes a
       * free-text explanation, "我要解锁…" is part of the story).
       */
      asksOtherFlow: ({ context, event }) => {
        if (event.type !== 'user.message') return false;
        const wanted = flowWanted(event, (id) => deps.entry(id, context.locale));
        return (
          wanted !== undefined &&
          registrationOf(wanted)?.state !== context.activeFlow &&
          (event.corrected || (event.route.decision === 'flow' && context.trail?.stage !== 'askingExplanation' && readMobile(event.text) === undefined))
        );
      },
      /** After "要先退出…改为…吗？", asking for that very thing again is a yes. */
      repeatsSwitch: ({ context, event }) =>
        event.type === 'user.message' &&
        context.switchTo !== undefined &&
        (context.switchTo === 'handoff' ? event.route.decision === 'handoff' : flowWanted(event, (id) => deps.entry(id, context.locale)) === context.switchTo),
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
        topic: undefined,
        clarify: undefined,
        misses: [],
        lastFlow: undefined,
      })),
      keepOutcome: enqueueActions(({ enqueue, context, event }) => {
        const outcome = (event as unknown as { output: FlowOutcome }).output;
        enqueue.assign({ flowOutcome: outcome, activeFlow: undefined });
        enqueue.emit({ type: 'flow', flow: context.activeFlow ?? '', event: outcome.outcome === 'done' ? 'completed' : 'handed_off' });
      }),
      enterFlow: enqueueActions(({ enqueue }, flow: string) => {
        enqueue.assign({ activeFlow: flow, switchTo: undefined, lastFlow: undefined });
        enqueue.emit({ type: 'flow', flow, event: 'started' });
        const name = registrationOfState(flow)?.name;
        if (name) enqueue.emit({ type: 'did', what: `flow:${name}` });
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
      /** A flow ended without a person (finished, cancelled): where it got to, kept for a handoff soon after. */
      keepLastFlow: assign({
        lastFlow: ({ context }, outcome: NonNullable<FlowTrail['outcome']>) => {
          if (!context.trail) return undefined;
          // A finished flow stands at no step; a cancelled one says where the user left it.
          const { stage, ...rest } = context.trail;
          return { trail: { ...rest, ...(outcome === 'cancelled' && stage ? { stage } : {}), outcome }, ageMs: 0 };
        },
      }),
      /** The user's time passes between their messages; an old result says nothing about this request. */
      ageLastFlow: assign({
        lastFlow: ({ context, event }) => {
          const ms = event.type === 'time.passed' ? event.ms : 0;
          const last = context.lastFlow;
          return last && last.ageMs + ms <= LAST_FLOW_KEPT_MS ? { ...last, ageMs: last.ageMs + ms } : undefined;
        },
      }),
      /** Nothing of the running flow or the handoff matters once the conversation is back at rest (the last flow's result is kept apart). */
      forgetHandoff: assign({ trail: undefined, handoff: undefined, contact: undefined, agentName: undefined, offeredPerson: undefined }),
      askFor: assign({ handoff: (_, params: { reason: HandoffReason; priority: Priority }) => params }),
      relay: enqueueActions(({ enqueue, event }) => {
        if (event.type === 'flow.say') enqueue.emit({ type: 'reply', reply: event.reply });
      }),
      say: enqueueActions(({ enqueue }, reply: Reply) => enqueue.emit({ type: 'reply', reply })),
      /** What the bot did with the message, for `kb eval` and metrics (events.ts `DidEvent`). */
      did: enqueueActions(({ enqueue }, what: string) => enqueue.emit({ type: 'did', what })),
      forgetQuestion: assign({ offer: undefined, confirm: undefined, switchTo: undefined }),
      /** Thanks: a short reply, and the 👍/👎 question once if the last answer has not been rated. */
      thank: enqueueActions(({ enqueue, context }) => {
        const m = messages(context.locale);
        if (context.lastAnswer && !context.lastAnswer.askedAgain) {
          enqueue.assign({ lastAnswer: { ...context.lastAnswer, askedAgain: true } });
          enqueue.emit({ type: 'reply', reply: { text: m.askRatingAfterThanks, suggestions: feedbackButtons(context.locale) } });
        } else {
          enqueue.emit({ type: 'reply', reply: textReply(m.youAreWelcome) });
        }
      }),
      /** "再说一遍": the last answer again, as it was given. */
      repeatAnswer: enqueueActions(({ enqueue, context }) => {
        const entry = context.topic ? deps.entry(context.topic, context.locale) : undefined;
        if (!entry) {
          enqueue.emit({ type: 'reply', reply: textReply(messages(context.locale).nothingToRepeat) });
          return;
        }
        const offerText = offerFor(entry, context.locale);
        enqueue.emit({ type: 'reply', reply: answerReply(entry, related(entry), deps.answerValues[entry.locale], offerText ? { title: offerText, value: offerText } : undefined) });
        enqueue.assign({ offer: entry.action });
      }),
      /** "您是想问「…」吗？" about the one plausible entry. */
      askToConfirm: enqueueActions(({ enqueue, context, event }) => {
        const e = event as MessageEvent;
        if (e.route.decision !== 'confirm') return;
        const entry = deps.entry(e.route.entryId, context.locale);
        if (!entry) return;
        enqueue.assign({ confirm: { entryId: entry.id, question: e.text, others: e.route.candidates }, fallbackStreak: 0 });
        enqueue.emit({ type: 'reply', reply: confirmReply(entry.question, context.locale) });
      }),
      /** "不是" to "您是想问…吗？": the next candidates to pick from, or another wording. */
      offerOthers: enqueueActions(({ enqueue, context }) => {
        const options = (context.confirm?.others ?? [])
          .map((id) => deps.entry(id, context.locale))
          .filter((entry): entry is FaqEntry => entry !== undefined)
          .map((entry) => ({ id: entry.id, question: entry.question }));
        enqueue.assign({ clarify: { question: context.confirm?.question ?? '', options } });
        enqueue.emit({ type: 'reply', reply: clarifyReply(options, context.locale, messages(context.locale).confirmDenied) });
      }),
      /** Asked once, inside a flow: leave it for another flow or a person? */
      /** `params`: a person; absent: the flow the message asks for. */
      askToSwitch: enqueueActions(({ enqueue, context, event }, params?: 'handoff') => {
        const wanted = event.type === 'user.message' ? flowWanted(event, (id) => deps.entry(id, context.locale)) : undefined;
        const to: FlowName | 'handoff' = params ?? wanted ?? 'handoff';
        const m = messages(context.locale);
        const running = context.activeFlow ? registrationOfState(context.activeFlow) : undefined;
        const from = running ? m.flowTitle[running.name] : '';
        enqueue.assign({ switchTo: to });
        enqueue.emit({ type: 'did', what: to === 'handoff' ? 'switch:handoff' : `switch:flow:${to}` });
        enqueue.emit({ type: 'reply', reply: yesNoReply(to === 'handoff' ? m.switchToPerson(from) : m.switchFlow(from, m.flowTitle[to]), context.locale) });
      }),
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
      /** `also`: the entry of a second question in the same message, offered as a button ("您还问到：…"). */
      answerEntry: enqueueActions(({ enqueue, context }, params: { entryId: string; question?: string; also?: string }) => {
        const entry = deps.entry(params.entryId, context.locale);
        if (!entry) {
          enqueue.emit({ type: 'reply', reply: textReply(messages(context.locale).fallback) });
          return;
        }
        const offerText = offerFor(entry, context.locale);
        const reply = answerReply(entry, related(entry), deps.answerValues[entry.locale], offerText ? { title: offerText, value: offerText } : undefined);
        const also = params.also ? deps.entry(params.also, context.locale) : undefined;
        const alsoButton = also ? [{ title: messages(context.locale).alsoAsked(also.question), value: also.question }] : [];
        enqueue.emit({ type: 'reply', reply: { ...reply, suggestions: [...alsoButton, ...(reply.suggestions ?? [])] } });
        enqueue.emit({ type: 'did', what: entry.id });
        if (also) enqueue.emit({ type: 'did', what: `also:${also.id}` });
        const question = params.question ?? entry.question;
        enqueue.assign({ lastAnswer: { entryId: entry.id, question }, topic: entry.id, offer: entry.action, fallbackStreak: 0, clarify: undefined, confirm: undefined });
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
      /** 👍 / 👎, or a typed "不对" right after an answer (`params.vote`). */
      recordFeedback: enqueueActions(({ enqueue, context, event }, params?: { vote: 'up' | 'down' }) => {
        const vote = params?.vote ?? (event.type === 'user.feedback' ? event.vote : undefined);
        if (!vote || !context.lastAnswer) return;
        const { entryId, question } = context.lastAnswer;
        enqueue.emit({ type: 'signal', signal: { kind: 'feedback', vote, entryId, question, locale: context.locale } });
        const m = messages(context.locale);
        enqueue.emit({ type: 'reply', reply: textReply(vote === 'up' ? m.thanksUp : m.sorryDown) });
        enqueue.assign({ lastAnswer: undefined });
      }),
      /** "留言 / 不用了" after telling why nobody can take the chat. */
      offerMessage: enqueueActions(({ enqueue, context }, text: string) => {
        const m = h(context.locale);
        enqueue.emit({ type: 'reply', reply: { text, suggestions: [{ title: m.leaveMessage, value: m.leaveMessage }, { title: m.noThanks, value: m.noThanks }] } });
      }),
    },
  });
}

export type RootSetup = ReturnType<typeof createRootSetup>;

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
export function withMiss(context: RootContext, question: string): string[] {
  return isQuestion(question) ? [...context.misses, maskText(question)].slice(-MAX_MISSES_KEPT) : context.misses;
}

/** "How would you rate it?" with 5 … 1 stars. */
export function ratingPrompt(locale: Locale): Reply {
  return { text: handoffMessages(locale).askRating, suggestions: ratingChoices(locale) };
}

/** A prompt with the flows' cancel button. */
export function cancellable(locale: Locale, text: string): Reply {
  const cancel = flowMessages(locale).cancel;
  return { text, suggestions: [{ title: cancel, value: cancel }] };
}
