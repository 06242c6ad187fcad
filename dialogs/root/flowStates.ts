import { and, assign, or, sendTo, type AnyActorRef } from 'xstate';
import { flowTrail } from '../flowTrail';
import { FLOW_REGISTRY, type FlowMachines } from '../flows/registry';
import { messages } from '../messages';
import { flowStuckReply, textReply } from '../rootReplies';
import { BY_REQUEST, is, line, offerPerson, type RootSetup } from './setup';

/** One registered flow running as the actor `flow`; it ends the way `flowEnded` reads. */
const flowState = (s: RootSetup, flow: keyof FlowMachines) =>
  s.createStateConfig({
    entry: { type: 'enterFlow', params: flow },
    invoke: {
      id: 'flow',
      src: flow,
      // "查一下申诉 AP-… 的进度": a flow may take what it needs from the message that started it.
      input: ({ context, event }) => ({ locale: context.locale, opening: event.type === 'user.message' ? event.text : undefined }),
      onDone: { target: '#kefu.flowEnded', actions: 'keepOutcome' },
    },
  });

/** The guided flows, one at a time, and what is common to all of them. */
export const flowStates = (s: RootSetup) => ({
  // One guided flow at a time; what is common to all of them is handled here.
  inFlow: s.createStateConfig({
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
        { guard: 'cancels', target: 'idle', actions: ['abandonFlow', { type: 'keepLastFlow', params: 'cancelled' }, 'sayCancelled', { type: 'did', params: 'cancelled' }] },
        {
          guard: and(['offeredPerson', 'acceptsHuman']),
          target: 'requestingHuman',
          actions: ['handOffFlow', { type: 'askFor', params: { reason: 'flow-stuck', priority: 'normal' } }, { type: 'did', params: 'handoff' }],
        },
        // "转人工" (the words the flows' own messages tell users to type) leaves the flow; the agent sees where it stood.
        {
          guard: 'asksForPersonPlainly',
          target: 'requestingHuman',
          actions: ['abandonFlow', { type: 'askFor', params: BY_REQUEST }, { type: 'did', params: 'handoff' }],
        },
        { guard: and(['offeredPerson', 'declines']), actions: [assign({ offeredPerson: false }), sendTo('flow', { type: 'flow.resume' }), { type: 'did', params: 'step-again' }] },
        // "要先退出换号，改为解锁吗？" was asked: yes switches, no goes back to the step's question.
        {
          guard: and([{ type: 'switchingTo', params: 'handoff' } as const, or(['affirms', 'repeatsSwitch'])]),
          target: 'requestingHuman',
          actions: ['abandonFlow', { type: 'askFor', params: BY_REQUEST }, { type: 'did', params: 'handoff' }],
        },
        ...FLOW_REGISTRY.map((flow) => ({
          guard: and([{ type: 'switchingTo', params: flow.name } as const, or(['affirms', 'repeatsSwitch'])]),
          target: `.${flow.state}`,
          reenter: true,
          actions: 'abandonFlow' as const,
        })),
        {
          guard: and(['switchAsked', or(['declines', 'continuesFlow'])]),
          actions: [assign({ switchTo: undefined }), sendTo('flow', { type: 'flow.resume' }), { type: 'did', params: 'step-again' }],
        },
        // A message that clearly wants another flow or a person: asked once, instead of failing the step's validation.
        { guard: 'asksOtherFlow', actions: 'askToSwitch' },
        // Someone in charge asked for in other words ("我想直接跟你们工作人员说"): the whole message, or any
        // reading of it at a step that takes no story.
        { guard: or([{ type: 'routedTo', params: 'handoff' } as const, and([is('human-indirect'), or(['wholeMessage', 'stepTakesNoStory'])])]), actions: { type: 'askToSwitch', params: 'handoff' } },
        // What people say rather than answer — the whole message, so a step's free text is never taken
        // for it ("…请帮我恢复账户，谢谢。"): the step's question again, after a word of reply.
        {
          guard: and(['wholeMessage', or([is('repeat'), is('not-understood')])]),
          actions: [assign({ switchTo: undefined }), sendTo('flow', { type: 'flow.resume' }), { type: 'did', params: 'step-again' }],
        },
        {
          guard: and(['wholeMessage', is('thanks')]),
          actions: [assign({ switchTo: undefined }), line((m) => m.youAreWelcome), sendTo('flow', { type: 'flow.resume' }), { type: 'did', params: 'thanks' }],
        },
        {
          // At the files step "没有了" means "no more files": the step takes it.
          guard: and(['wholeMessage', is('goodbye'), 'notAtFilesStep']),
          actions: [assign({ switchTo: undefined }), line((m) => m.goodbyeInFlow), { type: 'did', params: 'goodbye' }],
        },
        {
          guard: and(['wholeMessage', is('bot-challenge')]),
          actions: [assign({ switchTo: undefined, offeredPerson: true }), offerPerson((m) => m.botChallenge), { type: 'did', params: 'bot-challenge' }],
        },
        // Anything else is an answer to the step: the offers lapse.
        { actions: [assign({ offeredPerson: false, switchTo: undefined }), sendTo('flow', ({ event }) => event)] },
      ],
    },
    states: Object.fromEntries(FLOW_REGISTRY.map((flow) => [flow.state, flowState(s, flow.state)])),
  }),
  flowEnded: s.createStateConfig({
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
      { target: 'idle', actions: { type: 'keepLastFlow', params: 'completed' } },
    ],
  }),
});
