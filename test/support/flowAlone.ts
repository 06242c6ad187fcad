import { createActor, sendTo, setup, type AnyStateMachine } from 'xstate';
import { settle } from '../../bot/conversation/turnRunner';
import type { FlowMessageEvent, FlowOutcome, FlowToParent } from '../../dialogs/flows/protocol';
import type { Route } from '../../knowledge/route';
import type { Locale } from '../../knowledge/schema';

/**
 * One guided flow run alone — no root conversation, no turn runner, no router — under a
 * stand-in for the conversation that records what the flow says, where it digresses or gets
 * stuck, and how it ends. The way core-bot tests a dialog: lines in, lines out.
 */
export interface FlowRun {
  /** What the flow said for this message (its `flow.say` texts, and `[digress <id>]` / `[stuck]`). */
  say(text: string, route?: Route): Promise<string[]>;
  /** The flow's outcome once it has ended. */
  outcome(): FlowOutcome | undefined;
}

const nothingMatched = (locale: Locale): Route => ({ decision: 'fallback', locale, results: [] });

export async function runFlowAlone(flow: AnyStateMachine, input: { locale: Locale }): Promise<{ run: FlowRun; opening: string[] }> {
  let lines: string[] = [];
  let ended: FlowOutcome | undefined;
  const host = setup({
    types: { events: {} as FlowToParent | FlowMessageEvent },
    actors: { flow },
  }).createMachine({
    invoke: {
      id: 'flow',
      src: 'flow',
      input,
      onDone: { actions: ({ event }) => void (ended = event.output as FlowOutcome) },
    },
    on: {
      'flow.say': { actions: ({ event }) => void lines.push(event.reply.text ?? '') },
      'flow.digress': { actions: ({ event }) => void lines.push(`[digress ${event.entryId}]`) },
      'flow.stuck': { actions: () => void lines.push('[stuck]') },
      'user.message': { actions: sendTo('flow', ({ event }) => event) },
    },
  });
  const actor = createActor(host);
  actor.start();
  await settle(actor);
  const take = () => {
    const said = lines;
    lines = [];
    return said;
  };
  const opening = take();
  return {
    opening,
    run: {
      async say(text, route = nothingMatched(input.locale)) {
        actor.send({ type: 'user.message', locale: input.locale, text, route, acts: [], whole: false, corrected: false, attachments: [] });
        await settle(actor);
        return take();
      },
      outcome: () => ended,
    },
  };
}
