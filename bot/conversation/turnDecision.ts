import type { Route } from '../../knowledge/route';
import type { TurnOutcome } from './turnRunner';

/**
 * What `kefu_faq_decisions_total` and the turn log call a turn. The router reads every
 * message, but only free text the FAQ routing acted on is an FAQ decision: a number typed
 * at a flow's step, a rating, "不用了" or a tapped choice would otherwise count as the
 * fallback or clarification the router alone would have made of them.
 */
export type TurnDecision =
  | Route['decision']
  /** Taken by the running flow as its step's answer (a number, a code, a description). */
  | 'flow_input'
  /** A conversation act: thanks, "不用了", "好的" to an offer, "取消", "再说一遍" … */
  | 'act'
  /** One of Kefu's card buttons: a "您是想问" choice, 👍/👎. */
  | 'button'
  /** Written to a person, while waiting for one, or rating the chat after one. */
  | 'with_person'
  /** Anything else a message can be (files alone, a button of a step that is over). */
  | 'other';

const WITH_PERSON = new Set(['requestingHuman', 'withHuman', 'endingChat', 'leavingQueue', 'rating', 'savingRating', 'offeringMessage', 'leavingMessage']);

/** True when the machine did what the router decided, rather than read the message another way. */
function actedOnRoute(route: Route, did: readonly string[]): boolean {
  switch (route.decision) {
    case 'answer':
      return did.includes(route.entryId);
    case 'clarify':
      return did.some((d) => d.startsWith('clarify:'));
    case 'confirm':
      return did.includes(`confirm:${route.entryId}`);
    case 'fallback':
      return did.includes('fallback');
    case 'flow':
      return did.includes(`flow:${route.flow}`);
    case 'handoff':
      return did.includes('handoff');
    case 'complaint':
      return did.includes('offer-handoff');
  }
}

/** Undefined for turns that are no message (a join, an agent's notice): nothing to count. */
export function turnDecision(outcome: Pick<TurnOutcome, 'event' | 'route' | 'did' | 'before'>): TurnDecision | undefined {
  const { event, route, did, before } = outcome;
  if (event === 'user.choose' || event === 'user.feedback') return 'button';
  if (event !== 'user.message') return undefined;
  if (route && actedOnRoute(route, did)) return route.decision;
  if (WITH_PERSON.has(before) && did.length === 0) return 'with_person';
  if (before === 'inFlow' && did.length === 0) return 'flow_input';
  return did.length > 0 ? 'act' : 'other';
}
