import type { Handoff } from '../../domain/handoff';

/** Midnight of the day `now` falls in, in a time zone: when "today" began for the figures. */
export function startOfDay(now: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(now));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return now - ((part('hour') * 60 + part('minute')) * 60 + part('second')) * 1000 - (now % 1000);
}

export interface FigureInputs {
  now: number;
  /** When today began. */
  since: number;
  /** Queued and active chats of the console (not the external hub's). */
  open: readonly Handoff[];
  /** Agents with a console open. */
  online: readonly string[];
  closedToday: readonly Handoff[];
  maxChats: number;
}

/** What the supervisor strip shows; pure, from what the store holds now. */
export function supervisorFigures({ now, since, open, online, closedToday, maxChats }: FigureInputs) {
  const queued = open.filter((h) => h.status === 'queued');
  const oldest = Math.min(...queued.map((h) => h.createdAt));
  const load = new Map<string, { id: string; name?: string; chats: number }>(online.map((id) => [id, { id, chats: 0 }]));
  for (const chat of open) {
    if (chat.status !== 'active' || chat.agentId === undefined) continue;
    const agent = load.get(chat.agentId) ?? { id: chat.agentId, chats: 0 };
    load.set(chat.agentId, { ...agent, name: chat.agentName ?? agent.name, chats: agent.chats + 1 });
  }
  const resolved = closedToday.filter((h) => h.status === 'resolved' && !h.external);
  const ratings = resolved.map((h) => h.rating).filter((r): r is number => r !== undefined);
  return {
    at: now,
    queue: { length: queued.length, longestWaitMs: queued.length > 0 ? now - oldest : 0 },
    agentsOnline: online.length,
    maxChats: Number.isFinite(maxChats) ? maxChats : null,
    agents: [...load.values()]
      .map((agent) => ({ ...agent, online: online.includes(agent.id), atLimit: agent.chats >= maxChats }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    today: {
      since,
      claimed: closedToday.filter((h) => h.claimedAt !== undefined).length + open.filter((h) => h.status === 'active').length,
      resolved: resolved.length,
      rated: ratings.length,
      averageCsat: ratings.length > 0 ? Math.round((ratings.reduce((sum, r) => sum + r, 0) / ratings.length) * 100) / 100 : null,
    },
  };
}
