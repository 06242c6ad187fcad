import { assign, enqueueActions, sendParent, sendTo, type AnyActorRef, type EventObject, type MachineContext } from 'xstate';
import type { Locale } from '../../knowledge/schema';
import { STUCK, digression, messageOf, relay, type FlowFromParent, type FlowMessageEvent, type FlowOutcome, type FlowToParent } from './protocol';

/**
 * The typed pieces every flow shares, spread into each flow's own `setup()` rather than
 * hidden in a generic factory: that way a flow still rejects a guard, action, actor, event or
 * output field it does not declare (test/dialogs/flowKit.types.test.ts proves it).
 */

/** Invalid answers in a row at one step before the conversation offers a person. */
export const MAX_INVALID = 3;

/** What a flow that runs steps of its own hears: the user, the conversation, its steps. */
export type FlowEvents = FlowMessageEvent | FlowFromParent | FlowToParent;

/** The `types` of a top-level flow: started in a language, ends with a `FlowOutcome`. */
export const flowTypes = <C, I extends { locale: Locale } = { locale: Locale }>() => ({
  context: {} as C,
  input: {} as I,
  events: {} as FlowEvents,
  output: {} as FlowOutcome,
});

interface Counted extends MachineContext {
  invalidInARow: number;
}

/** The context with the count of invalid answers in a row set (only that changes). */
const counted = <C extends Counted>(context: C, invalidInARow: number): Partial<C> => ({ ...context, invalidInARow });

/** Guards of every step that asks something. */
export const askingGuards = {
  /** A question the knowledge base answers, asked instead of an answer to the step. */
  digresses: ({ event }: { event: { type: string } }) => messageOf(event)?.route.decision === 'answer',
  /** This invalid answer is the one that has the conversation offer a person. */
  lastStraw: ({ context }: { context: { invalidInARow: number } }) => context.invalidInARow + 1 >= MAX_INVALID,
};

/**
 * Actions of every step that asks something (sending its lines up is each flow's own `say`),
 * typed for the flow that spreads them: `C` its context, `E` its events.
 */
export const askingActions = <C extends Counted, E extends EventObject = FlowEvents>() => ({
  digress: sendParent<C, E, undefined, FlowToParent, E>(digression),
  countInvalid: assign<C, E, undefined, E, never>(({ context }) => counted(context, context.invalidInARow + 1)),
  // Counted afresh, so the offer does not come again at the very next slip.
  offerPerson: enqueueActions<C, E, undefined, E, never, never, never, never, never>(({ enqueue, context }) => {
    enqueue.assign(counted(context, 0));
    enqueue.sendParent(STUCK);
  }),
});

/** Actions of a flow that runs a step of its own (identifyAccount, verifyNumber) under the id `step`. */
export const stepActions = <C extends MachineContext>() => ({
  /** What the step says goes straight up to the conversation. */
  passUp: sendParent<C, FlowEvents, undefined, FlowToParent, FlowEvents>(relay),
  toStep: sendTo<C, FlowEvents, undefined, AnyActorRef, FlowEvents>('step', ({ event }: { event: FlowEvents }) => event),
});

const GAVE_UP: FlowOutcome = { outcome: 'gave-up' };

/** Actions of a top-level flow. */
export const outcomeActions = <C extends { outcome: FlowOutcome }>() => ({
  giveUp: assign<C, FlowEvents, undefined, FlowEvents, never>(({ context }) => ({ ...context, outcome: GAVE_UP })),
});

/** A step's own lines and questions go up to the conversation whatever state the flow is in. */
export const passUpFromStep = {
  'flow.say': { actions: 'passUp' },
  'flow.digress': { actions: 'passUp' },
  'flow.stuck': { actions: 'passUp' },
} as const;

/** While a step runs, the user's answers and a declined offer of a person go to it. */
export const toStep = { 'user.message': { actions: 'toStep' }, 'flow.resume': { actions: 'toStep' } } as const;
