import { and, assign, enqueueActions, or, raise } from 'xstate';
import { FLOW_REGISTRY } from '../flows/registry';
import { handoffMessages as h } from '../handoffMessages';
import { messages } from '../messages';
import { offerHumanReply, textReply } from '../rootReplies';
import { pickOption } from '../commands';
import { BY_REQUEST, is, line, offerPerson, withMiss, type RootMachineDeps, type RootSetup } from './setup';

/** Help, restart and feedback: answered in every state but with a person (which overrides them). */
export const anywhere = (s: RootSetup, deps: RootMachineDeps) =>
  s.createStateConfig({
  on: {
    'conversation.joined': { actions: 'sayWelcome' },
    'user.help': { actions: ['setLocale', 'sayHelp'] },
    'user.restart': { target: '.idle', actions: ['abandonFlow', 'reset', 'sayRestarted'] },
    'user.nonText': { actions: 'sayTextOnly' },
    'time.passed': { actions: 'ageLastFlow' },
    'user.tooLong': { actions: { type: 'say', params: ({ event }) => textReply(messages(event.locale).tooLong(event.max)) } },
    'user.fileTooLarge': { actions: { type: 'say', params: ({ event }) => textReply(messages(event.locale).fileTooLarge(deps.answerValues[event.locale].uploadLimit)) } },
    'user.feedback': [
      { guard: 'hasLastAnswer', actions: ['setLocale', 'recordFeedback', { type: 'did', params: 'feedback' }] },
      { actions: ['setLocale', { type: 'say', params: ({ context }) => textReply(messages(context.locale).thanksNoAnswer) }] },
    ],
  },
  }).on;

/**
 * Questions and answers. The bot remembers the one question it just asked, as the state it
 * waits in — "要帮您办理吗？" (offeringFlow), "您是想问…吗？" (confirming), "您是想问：1… 2…"
 * (clarifying), "需要转人工吗？" (offeringHuman) — so "好的", "不用了" or "第二个" answer it.
 * Anything else lets the question lapse and is handled in `idle` as a new message, and so is
 * any message ten minutes later (`question.lapse`).
 */
export const faqStates = (s: RootSetup) => ({
  idle: s.createStateConfig({
    entry: ['forgetHandoff', 'forgetQuestion'],
    on: {
      'user.message': [
        // Files outside a flow: nothing here takes them.
        { guard: 'onlyFiles', actions: 'sayTextOnly' },
        // "取消", "确认更换" … from a card whose step is over: that step is gone, not a question.
        { guard: 'stepButton', actions: ['setLocale', { type: 'say', params: ({ event }) => textReply(messages(event.locale).stepOver) }] },
        // What people say to the bot rather than ask it (knowledge/acts.ts), before any question is looked up.
        { guard: 'correctsNothing', actions: ['setLocale', line((m) => m.correctionEmpty), { type: 'did', params: 'correction' }] },
        {
          guard: is('bot-challenge'),
          target: 'offeringHuman',
          actions: ['setLocale', { type: 'askFor', params: BY_REQUEST }, offerPerson((m) => m.botChallenge), { type: 'did', params: 'bot-challenge' }],
        },
        {
          guard: is('human-indirect'),
          target: 'offeringHuman',
          actions: ['setLocale', { type: 'askFor', params: BY_REQUEST }, offerPerson((m) => m.humanIndirect), { type: 'did', params: 'offer-handoff' }],
        },
        { guard: is('repeat'), target: 'answered', actions: ['setLocale', 'repeatAnswer', { type: 'did', params: 'repeat' }] },
        {
          guard: is('not-understood'),
          target: 'offeringHuman',
          actions: ['setLocale', { type: 'askFor', params: BY_REQUEST }, offerPerson((m) => m.notUnderstood), { type: 'did', params: 'not-understood' }],
        },
        { guard: is('goodbye'), actions: ['setLocale', line((m) => m.goodbye), { type: 'did', params: 'goodbye' }] },
        { guard: is('thanks'), actions: ['setLocale', 'thank', { type: 'did', params: 'thanks' }] },
        { guard: 'onlyGreets', actions: ['setLocale', line((m) => m.greeting), { type: 'did', params: 'greet' }] },
        // "不对" right after an answer says the answer missed: a 👎, with the way on.
        {
          guard: and(['wholeMessage', 'declines']),
          actions: [
            'setLocale',
            enqueueActions(({ enqueue, context, event }) => {
              if (context.lastAnswer && event.whole) enqueue({ type: 'recordFeedback', params: { vote: 'down' } });
              else enqueue({ type: 'say', params: textReply(messages(context.locale).acknowledged) });
            }),
            { type: 'did', params: 'declined' },
          ],
        },
        // "好的", "明白了" with nothing asked; a message that only opens with them ("帮我查下…") is routed.
        { guard: and(['wholeMessage', or([is('affirm'), is('ack')])]), actions: ['setLocale', line((m) => m.acknowledged), { type: 'did', params: 'ack' }] },
        // Questions and requests.
        ...FLOW_REGISTRY.map((flow) => ({ guard: { type: 'startsFlow' as const, params: flow.name }, target: `inFlow.${flow.state}`, actions: 'setLocale' as const })),
        {
          guard: { type: 'routedTo', params: 'handoff' },
          target: 'requestingHuman',
          actions: ['setLocale', { type: 'askFor', params: BY_REQUEST }, { type: 'did', params: 'handoff' }],
        },
        {
          guard: { type: 'routedTo', params: 'answer' },
          target: 'answered',
          actions: [
            'setLocale',
            {
              type: 'answerEntry',
              params: ({ event }) => ({
                entryId: 'entryId' in event.route ? event.route.entryId : '',
                question: event.text,
                also: event.route.decision === 'answer' ? event.route.also : undefined,
              }),
            },
          ],
        },
        { guard: { type: 'routedTo', params: 'confirm' }, target: 'confirming', actions: ['setLocale', 'askToConfirm', { type: 'did', params: ({ event }) => `confirm:${'entryId' in event.route ? event.route.entryId : ''}` }] },
        {
          guard: { type: 'routedTo', params: 'complaint' },
          target: 'offeringHuman',
          actions: [
            'setLocale',
            { type: 'askFor', params: { reason: 'complaint', priority: 'normal' } },
            { type: 'say', params: ({ event }) => ({ ...offerHumanReply(event.locale), text: h(event.locale).complaintOffer }) },
            { type: 'did', params: 'offer-handoff' },
          ],
        },
        {
          guard: { type: 'routedTo', params: 'clarify' },
          target: 'clarifying',
          actions: ['setLocale', 'askWhichOne', { type: 'did', params: ({ event }) => `clarify:${event.route.decision === 'clarify' ? event.route.candidates.join(',') : ''}` }],
        },
        {
          guard: 'fallbackAgain',
          target: 'offeringHuman',
          actions: [
            'setLocale',
            { type: 'askFor', params: { reason: 'repeated-fallback', priority: 'normal' } },
            { type: 'admitNotKnowing', params: { offerHuman: true } },
            { type: 'did', params: 'fallback' },
          ],
        },
        { actions: ['setLocale', { type: 'admitNotKnowing', params: { offerHuman: false } }, { type: 'did', params: 'fallback' }] },
      ],
      'user.choose': {
        target: 'answered',
        actions: ['setLocale', { type: 'answerEntry', params: ({ event }) => ({ entryId: event.entryId }) }],
      },
    },
  }),

  /** An answer was given; it may have offered its flow ("要帮您办理吗？" under "怎么换手机号"). */
  answered: s.createStateConfig({
    always: [
      { guard: 'offersFlow', target: 'offeringFlow' },
      { guard: 'offersPerson', target: 'offeringHuman', actions: { type: 'askFor', params: BY_REQUEST } },
      { target: 'idle' },
    ],
  }),

  offeringFlow: s.createStateConfig({
    on: {
      'user.message': [
        // "行，麻烦你了", "好嘞", "sure, go ahead": the flow the answer offered, as its button would.
        ...FLOW_REGISTRY.map((flow) => ({
          guard: and(['affirms', { type: 'offered', params: flow.name } as const]),
          target: `#kefu.inFlow.${flow.state}`,
          actions: 'setLocale' as const,
        })),
        { guard: 'declines', target: 'idle', actions: ['setLocale', line((m) => m.declinedOffer), { type: 'did', params: 'declined' }] },
        { target: 'idle', actions: raise(({ event }) => event) },
      ],
      'question.lapse': { target: 'idle' },
    },
  }),

  confirming: s.createStateConfig({
    on: {
      'user.message': [
        {
          guard: 'affirms',
          target: 'answered',
          actions: ['setLocale', { type: 'answerEntry', params: ({ context }) => ({ entryId: context.confirm?.entryId ?? '', question: context.confirm?.question }) }],
        },
        {
          guard: 'declines',
          target: 'clarifying',
          actions: [
            'setLocale',
            enqueueActions(({ enqueue, context }) => {
              if (context.confirm) enqueue.emit({ type: 'signal', signal: { kind: 'unanswered', question: context.confirm.question, locale: context.locale } });
            }),
            'offerOthers',
            { type: 'did', params: 'declined' },
          ],
        },
        { target: 'idle', actions: raise(({ event }) => event) },
      ],
      'question.lapse': { target: 'idle' },
    },
  }),

  clarifying: s.createStateConfig({
    // Nothing to choose from (a "不是" to a single guess with no runner-up): the next message is a new one.
    always: { guard: ({ context }) => (context.clarify?.options.length ?? 0) === 0, target: 'idle' },
    on: {
      'user.message': [
        {
          guard: or(['picksOption', and(['singleOption', 'affirms'])]),
          target: 'answered',
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
            { type: 'did', params: 'declined' },
          ],
        },
        // Anything else is a new question: handle it as if no clarification were open.
        { target: 'idle', actions: [assign({ clarify: undefined }), raise(({ event }) => event)] },
      ],
      'user.choose': {
        target: 'answered',
        actions: [
          'setLocale',
          { type: 'answerEntry', params: ({ context, event }) => ({ entryId: event.entryId, question: context.clarify?.question }) },
        ],
      },
      'question.lapse': { target: 'idle', actions: assign({ clarify: undefined }) },
    },
  }),

  offeringHuman: s.createStateConfig({
    on: {
      'user.message': [
        { guard: 'acceptsHuman', target: 'requestingHuman', actions: ['setLocale', { type: 'did', params: 'handoff' }] },
        { guard: 'declines', target: 'idle', actions: ['setLocale', { type: 'say', params: ({ event }) => textReply(messages(event.locale).declinedHuman) }, { type: 'did', params: 'declined' }] },
        { target: 'idle', actions: raise(({ event }) => event) },
      ],
      'question.lapse': { target: 'idle' },
    },
  }),
});
