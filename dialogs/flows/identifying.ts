import { assign, type DoneActorEvent } from 'xstate';
import type { Account } from '../../domain/accounts';
import type { Locale } from '../../knowledge/schema';
import type { IdentifyOutcome } from './identifyAccount';
import { toStep, type FlowEvents } from './kit';
import type { FlowOutcome } from './protocol';

/** What the shared state touches: a flow that uses it has at least this context. */
interface IdentifyingContext {
  locale: Locale;
  account?: Account;
  outcome: FlowOutcome;
}

type Identified = DoneActorEvent<IdentifyOutcome>;

/**
 * How unlock and appeal begin: the number, its code, the account. Found, the flow goes on at
 * `byAccount`; no account (already said so), it ends; anything else, it gives up. `prompt`:
 * the flow's own question for the number. Every function names only what it reads, so the
 * state is checked against the flow's own setup where it is placed (an actor, action or
 * target that flow lacks is an error there).
 */
export const identifyingState = <C extends IdentifyingContext>(prompt: (locale: Locale) => string, purpose: 'unlock' | 'appeal') => ({
  invoke: {
    id: 'step',
    src: 'identifyAccount' as const,
    input: ({ context }: { context: C }) => ({ locale: context.locale, prompt: prompt(context.locale), purpose }),
    onDone: [
      {
        guard: ({ event }: { event: Identified }) => event.output.status === 'found',
        target: 'byAccount',
        actions: assign<C, Identified, undefined, FlowEvents, never>(({ context, event }) => ({
          ...context,
          account: event.output.status === 'found' ? event.output.account : undefined,
        })),
      },
      { guard: ({ event }: { event: Identified }) => event.output.status === 'no-account', target: 'done' },
      { target: 'done', actions: 'giveUp' as const },
    ],
  },
  on: toStep,
});
