import { chinaDay, type InsightsEvent } from './insights';

/** Decisions of the FAQ routing on free text (not a flow's input, a button or an act): what a fallback rate is out of. */
const FAQ_DECISIONS = new Set(['answer', 'clarify', 'confirm', 'fallback', 'flow', 'handoff', 'complaint']);

/** What a conversation's state keeps for Insights: the day it started, and whether a person has joined it. */
export interface InsightsMark {
  startedOn?: string;
  reachedPerson?: boolean;
}

export interface TurnFacts {
  /** The user's first message in this conversation. */
  started: boolean;
  /** The turn's decision as the metrics count it (bot/conversation/turnDecision.ts). */
  decision: string | undefined;
  votes: readonly ('up' | 'down')[];
  /** An agent (or the external hub's) just took the chat. */
  personJoined: boolean;
}

/**
 * What one turn adds to the daily counters. A person joining counts once per conversation, on
 * the day the conversation started, so that day's "answered by the bot" is exact.
 */
export function turnInsights(turn: TurnFacts, mark: InsightsMark | undefined, now: number): { events: InsightsEvent[]; mark: InsightsMark | undefined } {
  const events: InsightsEvent[] = [];
  let next = mark;
  if (turn.started) {
    events.push({ kind: 'conversation' });
    next = { startedOn: chinaDay(now) };
  }
  if (turn.decision && FAQ_DECISIONS.has(turn.decision)) events.push({ kind: 'question' });
  if (turn.decision === 'fallback') events.push({ kind: 'fallback' });
  for (const vote of turn.votes) events.push({ kind: 'vote', vote });
  if (turn.personJoined && !next?.reachedPerson) {
    events.push({ kind: 'reached-person', startedOn: next?.startedOn });
    next = { ...next, reachedPerson: true };
  }
  return { events, mark: next };
}
