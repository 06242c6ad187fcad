import { OPEN_STATUSES, type Handoff, type Ticket } from '../../domain/handoff';

/**
 * The order of a handoff's or a ticket's writes, when instances drain the outbox in any
 * order: a later stage always wins (queued < active < closed; open < done), and within a
 * stage the later clock. Instances behind one load balancer keep their clocks within
 * milliseconds; the stages that matter are seconds apart.
 */
const STAGE = 10 ** 13;

export function handoffRevision(handoff: Handoff, now: number): number {
  const stage = handoff.status === 'queued' ? 0 : OPEN_STATUSES.includes(handoff.status) ? 1 : 2;
  return stage * STAGE + now;
}

export function ticketRevision(ticket: Ticket, now: number): number {
  return (ticket.status === 'open' ? 0 : 1) * STAGE + now;
}
