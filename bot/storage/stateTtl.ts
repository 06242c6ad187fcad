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
  /**
   * A transcript the user wrote in, when the hot store is also the only record of it
   * (Redis without a database: the agents' history reads it). Default: engagedS.
   */
  transcriptS?: number;
}

type TtlSettings = Pick<Config, 'STATE_TTL_S' | 'STATE_TTL_ANONYMOUS_S' | 'HOT_STATE_TTL_S' | 'DATABASE_URL' | 'REDIS_URL' | 'REDIS_CLUSTER_NODES'>;

/**
 * Live state lasts HOT_STATE_TTL_S (never longer than STATE_TTL_S). Without a database,
 * Redis keeps transcripts STATE_TTL_S, as the history's only copy; memory never does (a
 * long-running demo must not grow without end), and with a database the history is there.
 */
export const stateTtlOf = (config: Partial<TtlSettings> & Pick<TtlSettings, 'STATE_TTL_S' | 'STATE_TTL_ANONYMOUS_S'>): StateTtl => {
  const engagedS = Math.min(config.HOT_STATE_TTL_S ?? config.STATE_TTL_S, config.STATE_TTL_S);
  const redisOnly = Boolean(config.REDIS_URL || config.REDIS_CLUSTER_NODES) && !config.DATABASE_URL;
  return {
    engagedS,
    // Never longer than the full lifetime, whatever the configuration says.
    anonymousS: Math.min(config.STATE_TTL_ANONYMOUS_S, engagedS),
    transcriptS: redisOnly ? config.STATE_TTL_S : engagedS,
  };
};

/** The conversation-state property the bot sets once the user has written; storage reads it to pick the lifetime. */
export const ENGAGED_PROPERTY = 'kefu.engaged';

/** The lifetime (seconds) of a stored conversation-state item. */
export function ttlOfState(ttl: StateTtl, item: unknown): number {
  const engaged = typeof item === 'object' && item !== null && (item as Record<string, unknown>)[ENGAGED_PROPERTY] === true;
  return engaged ? ttl.engagedS : ttl.anonymousS;
}
