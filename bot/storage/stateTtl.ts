import type { Config } from '../config';

/**
 * How long a conversation's state lives after its last change. Most conversations nobody
 * ever writes in (a page load, a crawler, a token flood) and they go soon; the first message
 * from the user gives the conversation the full lifetime. Every store that keeps something
 * per conversation (Direct Line log, bot state, transcript, handoff reference) follows it,
 * in memory and in Redis. Writes that are not the user's never shorten a lifetime.
 */
export interface StateTtl {
  /** After the user wrote (seconds). */
  engagedS: number;
  /** Until the user writes (seconds). */
  anonymousS: number;
}

export const stateTtlOf = (config: Pick<Config, 'STATE_TTL_S' | 'STATE_TTL_ANONYMOUS_S'>): StateTtl => ({
  engagedS: config.STATE_TTL_S,
  // Never longer than the full lifetime, whatever the configuration says.
  anonymousS: Math.min(config.STATE_TTL_ANONYMOUS_S, config.STATE_TTL_S),
});

/** The conversation-state property the bot sets once the user has written; storage reads it to pick the lifetime. */
export const ENGAGED_PROPERTY = 'kefu.engaged';

/** The lifetime (seconds) of a stored conversation-state item. */
export function ttlOfState(ttl: StateTtl, item: unknown): number {
  const engaged = typeof item === 'object' && item !== null && (item as Record<string, unknown>)[ENGAGED_PROPERTY] === true;
  return engaged ? ttl.engagedS : ttl.anonymousS;
}
