import type { FlowName } from '../../knowledge/schema';
import type { Messages } from '../messages';
import type { AppealFlow } from './appeal';
import type { appealStatusFlow } from './appealStatus';
import type { phoneChangeFlow } from './phoneChange';
import type { unlockFlow } from './unlock';

/** The guided flows' machines by their state in the conversation, with their I/O provided (bot/conversation/flowActors.ts). */
export interface FlowMachines {
  unlock: typeof unlockFlow;
  phoneChange: typeof phoneChangeFlow;
  appeal: AppealFlow;
  appealStatus: typeof appealStatusFlow;
}

export interface FlowRegistration {
  /** As the knowledge base and the router name it. */
  name: FlowName;
  /** The conversation's state while it runs, the actor that runs it, and its name in metrics and for agents. */
  state: keyof FlowMachines;
  /** The words that start it: the button under an answer and in the help. */
  startPhrase: (m: Messages) => string;
}

/** Every guided flow, in the order the help lists them and the conversation tries them. */
export const FLOW_REGISTRY = [
  { name: 'unlock', state: 'unlock', startPhrase: (m) => m.offerUnlock },
  { name: 'phone-change', state: 'phoneChange', startPhrase: (m) => m.offerPhoneChange },
  { name: 'appeal', state: 'appeal', startPhrase: (m) => m.offerAppeal },
  { name: 'appeal-status', state: 'appealStatus', startPhrase: (m) => m.offerAppealStatus },
] as const satisfies readonly FlowRegistration[];

export const registrationOf = (name: FlowName): FlowRegistration | undefined => FLOW_REGISTRY.find((flow) => flow.name === name);

/** The flow running in a conversation state (`RootContext.activeFlow`). */
export const registrationOfState = (state: string): FlowRegistration | undefined => FLOW_REGISTRY.find((flow) => flow.state === state);
