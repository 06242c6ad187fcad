import { assign, enqueueActions, or, raise } from 'xstate';
import { maskPhone, maskText } from '../../domain/mask';
import { readMobile } from '../flows/input';
import { handoffMessages as h, readRating } from '../handoffMessages';
import { messages } from '../messages';
import { textReply } from '../rootReplies';
import { BY_REQUEST, cancellable, is, ratingPrompt, type RootSetup } from './setup';

/** A person: asking for one, the queue, the chat with the agent, the rating, and a message left when nobody can come. */
export const handoffStates = (s: RootSetup) => ({
  requestingHuman: s.createStateConfig({
    invoke: {
      src: 'requestHuman',
      input: ({ context }) => ({
        conversation: context.conversation,
        request: { ...(context.handoff ?? BY_REQUEST), locale: context.locale, trail: context.trail ?? context.lastFlow?.trail, misses: context.misses },
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
  }),
  // With a person: nothing the user sends is answered by the bot. The agent reads it all
  // in the transcript; the few things handled here only concern the queue.
  withHuman: s.createStateConfig({
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
            // Goodbye ends nothing the user still has open: the place in the queue is kept, and the reply says so.
            { guard: is('goodbye'), actions: [{ type: 'say', params: ({ context }) => ({ text: h(context.locale).goodbyeQueued, suggestions: [{ title: h(context.locale).cancelQueue, value: h(context.locale).cancelQueue }] }) }, { type: 'did', params: 'goodbye' }] },
            { guard: is('thanks'), actions: ['sayStillQueued', { type: 'did', params: 'thanks' }] },
            { actions: 'sayStillQueued' },
          ],
          'user.restart': { target: '#kefu.leavingQueue' },
          'user.help': { actions: 'sayStillQueued' },
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
          'user.feedback': {},
          'user.choose': {},
          'user.nonText': {},
          'agent.message': { actions: { type: 'say', params: ({ context, event }) => ({ text: h(context.locale).agentSays(event.agentName, event.text), plain: true }) } },
        },
      },
    },
  }),
  endingChat: s.createStateConfig({
    invoke: {
      src: 'endChat',
      input: ({ context }) => ({ conversation: context.conversation }),
      onDone: {
        target: 'rating',
        actions: { type: 'say', params: ({ context }) => ratingPrompt(context.locale) },
      },
      onError: { target: 'withHuman.withAgent', actions: { type: 'say', params: ({ context }) => textReply(h(context.locale).requestFailed) } },
    },
  }),
  leavingQueue: s.createStateConfig({
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
  }),
  rating: s.createStateConfig({
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
  }),
  savingRating: s.createStateConfig({
    invoke: {
      src: 'rate',
      input: ({ context, event }) => ({ conversation: context.conversation, rating: event.type === 'user.message' ? (readRating(event.text) ?? 0) : 0 }),
      onDone: 'idle',
      onError: 'idle',
    },
  }),
  offeringMessage: s.createStateConfig({
    on: {
      'user.message': [
        { guard: or(['wantsToLeaveMessage', 'affirms']), target: 'leavingMessage', actions: { type: 'say', params: ({ context }) => cancellable(context.locale, h(context.locale).askContact) } },
        { guard: is('goodbye'), target: 'idle', actions: [{ type: 'say', params: ({ context }) => textReply(messages(context.locale).goodbye) }, { type: 'did', params: 'goodbye' }] },
        { guard: 'declines', target: 'idle', actions: [{ type: 'say', params: ({ context }) => textReply(h(context.locale).declined) }, { type: 'did', params: 'declined' }] },
        { target: 'idle', actions: raise(({ event }) => event) },
      ],
    },
  }),
  leavingMessage: s.createStateConfig({
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
  }),
});
