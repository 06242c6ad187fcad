import type { Handoff } from '../../domain/handoff';

/** Queue decisions, pure: who is next, where everyone stands, how long they may wait. */

/** Security escalations first, then first come first served. */
export function queueOrder(queued: readonly Handoff[]): Handoff[] {
  const rank = (h: Handoff) => (h.priority === 'high' ? 0 : 1);
  return queued.filter((h) => h.status === 'queued').sort((a, b) => rank(a) - rank(b) || a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/** 1-based positions by handoff id. */
export function positions(queued: readonly Handoff[]): Map<string, number> {
  return new Map(queueOrder(queued).map((h, i) => [h.id, i + 1]));
}

/**
 * Minutes until an agent is likely free for the one at `position`: the agents online work
 * through the queue in parallel, each chat taking the recent average handle time. Never
 * less than one minute, so nobody is promised "now".
 */
export function estimatedWaitMinutes(position: number, agentsOnline: number, handleTimesMs: readonly number[], defaultHandleMs: number): number {
  const average = handleTimesMs.length > 0 ? handleTimesMs.reduce((a, b) => a + b, 0) / handleTimesMs.length : defaultHandleMs;
  const rounds = Math.ceil(position / Math.max(1, agentsOnline));
  return Math.max(1, Math.round((rounds * average) / 60_000));
}
