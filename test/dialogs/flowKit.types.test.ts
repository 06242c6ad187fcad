import { createActor, fromPromise, setup } from 'xstate';
import { identifyAccount } from '../../dialogs/flows/identifyAccount';
import { identifyingState } from '../../dialogs/flows/identifying';
import { askingActions, askingGuards, flowTypes, outcomeActions, passUpFromStep, stepActions } from '../../dialogs/flows/kit';
import type { FlowOutcome } from '../../dialogs/flows/protocol';
import { unlockFlow } from '../../dialogs/flows/unlock';
import type { Account } from '../../domain/accounts';
import type { Locale } from '../../knowledge/schema';

/**
 * The kit's pieces are spread into each flow's own setup, so the flow stays as strictly
 * typed as if it had written them out: `npm run typecheck` fails if any line marked
 * `@ts-expect-error` below stops being an error.
 */

interface Ctx {
  locale: Locale;
  invalidInARow: number;
  account?: Account;
  outcome: FlowOutcome;
}

const kitFlow = setup({
  types: flowTypes<Ctx>(),
  actors: { identifyAccount },
  guards: { ...askingGuards },
  actions: { ...askingActions<Ctx>(), ...stepActions<Ctx>(), ...outcomeActions<Ctx>() },
});

const machine = kitFlow.createMachine({
  context: ({ input }) => ({ locale: input.locale, invalidInARow: 0, outcome: { outcome: 'done' } }),
  initial: 'asking',
  on: passUpFromStep,
  states: {
    asking: {
      on: {
        'user.message': [{ guard: 'lastStraw', actions: 'offerPerson' }, { guard: 'digresses', actions: 'digress' }, { actions: 'countInvalid' }],
        'flow.resume': { target: 'done', actions: 'giveUp' },
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => context.outcome,
});

describe('flow kit typing', () => {
  test('unknown guards, actions, actors, events and output fields are rejected', () => {
    const context = ({ input }: { input: { locale: Locale } }) => ({ locale: input.locale, invalidInARow: 0, outcome: { outcome: 'done' } as FlowOutcome });
    kitFlow.createMachine({
      context,
      initial: 'a',
      states: {
        // @ts-expect-error: no such guard
        a: { on: { 'user.message': { guard: 'noSuchGuard', target: 'b' } } },
        b: {},
      },
    });
    kitFlow.createMachine({
      context,
      initial: 'a',
      // @ts-expect-error: no such action
      states: { a: { on: { 'flow.resume': { actions: 'noSuchAction' } } } },
    });
    kitFlow.createMachine({
      context,
      initial: 'a',
      // @ts-expect-error: no such event
      states: { a: { on: { 'no.such.event': { target: 'a' } } } },
    });
    kitFlow.createMachine({
      context,
      initial: 'a',
      // @ts-expect-error: no such actor
      states: { a: { invoke: { src: 'noSuchActor' } } },
    });
    kitFlow.createMachine({
      context,
      initial: 'a',
      states: {
        a: {
          invoke: {
            id: 'step',
            src: 'identifyAccount',
            input: { locale: 'zh-CN', prompt: '', purpose: 'unlock' },
            // @ts-expect-error: no such field in the step's outcome
            onDone: { guard: ({ event }) => event.output.noSuchField === true, target: 'a' },
          },
        },
      },
    });
    // The shared identifying state needs the flow to run `identifyAccount` and to have `giveUp`.
    const bare = setup({ types: flowTypes<Ctx>(), actors: { other: fromPromise(() => Promise.resolve()) } });
    bare.createMachine({
      context: ({ input }) => ({ locale: input.locale, invalidInARow: 0, outcome: { outcome: 'done' } }),
      initial: 'identifying',
      states: {
        // @ts-expect-error: this flow has neither the actor nor the actions the state names
        identifying: identifyingState<Ctx>(() => '', 'unlock'),
        byAccount: {},
        done: { type: 'final' },
      },
    });
    // @ts-expect-error: a flow takes only the events it declares
    createActor(unlockFlow, { input: { locale: 'zh-CN' } }).send({ type: 'no.such.event' });
    expect(typeof unlockFlow.provide).toBe('function');
  });

  test('a flow built from the kit counts invalid answers and gives up as a flow written out does', () => {
    const actor = createActor(machine, { input: { locale: 'zh-CN' } }).start();
    actor.send({ type: 'user.message', locale: 'zh-CN', text: '?', route: { decision: 'fallback', locale: 'zh-CN', results: [] }, acts: [], whole: false, corrected: false, attachments: [] });
    expect(actor.getSnapshot().context.invalidInARow).toBe(1);
    actor.send({ type: 'flow.resume' });
    expect(actor.getSnapshot().output).toEqual({ outcome: 'gave-up' });
  });
});
