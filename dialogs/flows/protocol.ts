import type { Route } from '../../knowledge/route';
import type { Locale } from '../../knowledge/schema';
import type { Reply } from '../reply';

/** What a flow receives: the user's message, already routed. */
export type FlowMessageEvent = { type: 'user.message'; locale: Locale; text: string; route: Route };

/** What a flow tells the conversation around it while it runs. */
export type FlowToParent = { type: 'flow.say'; reply: Reply } | { type: 'flow.digress'; entryId: string };

/** How a flow ended, for the root conversation to carry on. */
export type FlowOutcome =
  | { outcome: 'done' }
  | { outcome: 'handoff'; priority: 'normal' | 'high'; reason: string }
  | { outcome: 'gave-up' };
