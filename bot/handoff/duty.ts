import { z } from 'zod';
import type { Agent } from './service';
import { closesAt, type Schedule } from './schedule';
import type { HandoffStore } from './store';

/**
 * Agents on duty from Teams (上班 / 下班). Presence from acting in the channel lasts
 * HANDOFF_PRESENCE_S; a team that watches the channel quietly would seem away and its users
 * told nobody is there. On duty holds until the agent goes off duty or the opening hours
 * end, whichever comes first.
 */

export const dutySchema = z.object({
  agentId: z.string(),
  name: z.string(),
  since: z.number(),
  /** When the opening hours end; null: they never do (24/7), so until 下班. */
  until: z.number().nullable(),
});
export type Duty = z.infer<typeof dutySchema>;

/** What 上班 came to: on duty until some time, or refused as the hours are closed now. */
export type DutyStart = { onDuty: true; until: number | null } | { onDuty: false; closed: true };

/** The duty an agent starting now would have: pure, from the schedule. */
export function dutyFor(agent: Agent, schedule: Schedule, now: number): Duty | undefined {
  const until = closesAt(schedule, new Date(now));
  return until === undefined ? undefined : { agentId: agent.id, name: agent.name, since: now, until };
}

/** Whether a duty still holds at `now`. */
export const onDutyAt = (duty: Duty, now: number): boolean => duty.until === null || duty.until > now;

/** Console presence and duty together: who counts as there for the queue, the wait and "nobody available". */
export async function agentsAvailable(store: Pick<HandoffStore, 'agentsOnline' | 'onDuty'>): Promise<string[]> {
  const [online, duty] = await Promise.all([store.agentsOnline(), store.onDuty()]);
  return [...new Set([...online, ...duty.map((d) => d.agentId)])];
}
