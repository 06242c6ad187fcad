import { faqStates, anywhere } from './faqStates';
import { flowStates } from './flowStates';
import { handoffStates } from './handoffStates';
import { createRootSetup, type RootMachineDeps } from './setup';

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
 *
 * faqStates.ts: idle, clarifying, offeringHuman, and what works anywhere. flowStates.ts:
 * inFlow (one state per registered flow, dialogs/flows/registry.ts), flowEnded.
 * handoffStates.ts: requestingHuman, withHuman, rating, offeringMessage, leavingMessage …
 * setup.ts: the guards, actions and actors they name.
 */
export function createRootMachine(deps: RootMachineDeps) {
  const s = createRootSetup(deps);
  return s.createMachine({
    id: 'kefu',
    context: ({ input }) => ({ locale: input.locale, conversation: input.conversation, fallbackStreak: 0, misses: [] }),
    initial: 'idle',
    on: anywhere(s, deps),
    states: { ...faqStates(s), ...flowStates(s), ...handoffStates(s) },
  });
}

export type RootMachine = ReturnType<typeof createRootMachine>;
export type { RootMachineDeps } from './setup';
