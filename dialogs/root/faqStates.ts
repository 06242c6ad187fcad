import { assign, enqueueActions, raise } from 'xstate';
import { FLOW_REGISTRY } from '../flows/registry';
import { handoffMessages as h } from '../handoffMessages';
import { messages } from '../messages';
import { offerHumanReply, textReply } from '../rootReplies';
import { pickOption } from '../commands';
import { BY_REQUEST, withMiss, type RootMachineDeps, type RootSetup } from './setup';

/** Help, restart, small talk and feedback: answered in every state but with a person (which overrides them). */
export const anywhere = (s: RootSetup, deps: RootMachineDeps) =>
  s.createStateConfig({
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
  }).on;

/** Questions and answers: the knowledge base, "您是想问…", and the offer of a person after two misses. */
export const faqStates = (s: RootSetup) => ({
  idle: s.createStateConfig({
    entry: 'forgetHandoff',
    on: {
      'user.message': [
        // Files outside a flow: nothing here takes them.
        { guard: 'onlyFiles', actions: 'sayTextOnly' },
        // "取消", "确认更换" … from a card whose step is over: that step is gone, not a question.
        { guard: 'stepButton', actions: ['setLocale', { type: 'say', params: ({ event }) => textReply(messages(event.locale).stepOver) }] },
        ...FLOW_REGISTRY.map((flow) => ({ guard: { type: 'startsFlow' as const, params: flow.name }, target: `inFlow.${flow.state}`, actions: 'setLocale' as const })),
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
  }),

  clarifying: s.createStateConfig({
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
  }),

  offeringHuman: s.createStateConfig({
    on: {
      'user.message': [
        { guard: 'acceptsHuman', target: 'requestingHuman', actions: 'setLocale' },
        { guard: 'declines', target: 'idle', actions: ['setLocale', { type: 'say', params: ({ event }) => textReply(messages(event.locale).declinedHuman) }] },
        { target: 'idle', actions: raise(({ event }) => event) },
      ],
    },
  }),
});
