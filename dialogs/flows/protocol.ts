import type { FlowTrail, HandoffReason, Priority } from '../../domain/handoff';
import type { Route } from '../../knowledge/route';
import type { Act, Locale } from '../../knowledge/schema';
import type { Reply } from '../reply';
import { flowMessages, type FlowMessages } from './flowMessages';

/** A file the user sent, as the channel hosts it. */
export interface AttachmentRef {
  name: string;
  contentType: string;
  url: string;
}

/**
 * What a flow receives: the user's message, already routed and read for conversation acts
 * (dialogs/commands.ts `read`), with any files.
 */
export type FlowMessageEvent = {
  type: 'user.message';
  locale: Locale;
  text: string;
  route: Route;
  acts: Act[];
  /** The acts are the whole message, not only its first or last clause. */
  whole: boolean;
  /** The route is of what followed "说错了，是…". */
  corrected: boolean;
  attachments: AttachmentRef[];
};

/**
 * What a flow tells the conversation around it while it runs. `flow.stuck`: three invalid
 * answers in a row at one step — the conversation offers a person, and the step waits.
 */
export type FlowToParent = { type: 'flow.say'; reply: Reply } | { type: 'flow.digress'; entryId: string } | { type: 'flow.stuck' };

/** `flow.resume`: the person offered after `flow.stuck` was declined — the waiting step asks its question again. */
export type FlowFromParent = { type: 'flow.resume' };

export const STUCK: FlowToParent = { type: 'flow.stuck' };

/**
 * How a flow ended, for the root conversation to carry on. `gave-up`: the account system
 * failing or no code can be sent — the flow cannot finish, so a person takes over.
 */
export type FlowOutcome =
  | { outcome: 'done' }
  | { outcome: 'handoff'; priority: Priority; reason: HandoffReason }
  | { outcome: 'gave-up' };

/** Where the running flow stands, told to the conversation after each turn (for a handoff's context). */
export type FlowProgress = { type: 'flow.progress'; trail: FlowTrail };

/** A flow's sentences by name: each builds its reply from the messages and the flow's context. */
export type Lines<C> = Record<string, (m: FlowMessages, context: C) => Reply | string>;

/** Sentences every flow may end with: the backend being down. */
export const COMMON_LINES = {
  backendDown: (m: FlowMessages) => m.backendDown,
};

/** For `sendParent`: what a child flow step says goes up to the conversation unchanged. */
export function relay({ event }: { event: { type: string } }): FlowToParent {
  return event as FlowToParent;
}

/** For `sendParent`: the named line, in the user's language, as a `flow.say`. */
export function sayLine<C extends { locale: Locale }, L extends Lines<C>>(lines: L) {
  return ({ context }: { context: C }, line: keyof L): FlowToParent => {
    const said = lines[line]?.(flowMessages(context.locale), context) ?? '';
    return { type: 'flow.say', reply: typeof said === 'string' ? { text: said } : said };
  };
}

/** For `sendParent`: a question the knowledge base answers, asked in the middle of a step. */
export function digression({ event }: { event: { type: string } }): FlowToParent {
  const message = event as Partial<FlowMessageEvent>;
  return { type: 'flow.digress', entryId: message.route?.decision === 'answer' ? message.route.entryId : '' };
}

/** A timestamp as the date in China, YYYY-MM-DD. */
export function chinaDate(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? '' : new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
}

/** The user's message, when the event is one (flows also receive their children's events). */
export function messageOf(event: { type: string }): FlowMessageEvent | undefined {
  return event.type === 'user.message' ? (event as FlowMessageEvent) : undefined;
}
