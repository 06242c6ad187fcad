import { newCaseId } from '../../domain/caseId';
import type { HandoffReason, Ticket } from '../../domain/handoff';
import type { Locale } from '../../knowledge/schema';
import type { HandoffEffects } from './effects';
import type { Agent, HandoffServiceOptions, Result } from './service';

/**
 * Messages users leave (留言) when nobody could take their chat, and their closing once an
 * agent has called back.
 */
export class Tickets {
  constructor(private readonly deps: { options: HandoffServiceOptions; effects: HandoffEffects; now: () => number }) {}

  private get store() {
    return this.deps.options.store;
  }

  /** The ticket, or undefined when this client is over its limit of handoffs and messages. */
  async leave(conversation: string, message: { locale: Locale; contact: string; text: string; reason: HandoffReason }): Promise<Ticket | undefined> {
    if (!(await this.deps.effects.admitted())) return undefined;
    const reference = await this.store.reference(conversation);
    const now = this.deps.now();
    const ticket: Ticket = {
      id: newCaseId(new Date(now), 'T'),
      conversation,
      channel: reference?.channelId ?? 'unknown',
      createdAt: now,
      status: 'open',
      ...message,
    };
    await this.store.addTicket(ticket);
    this.deps.effects.count('ticket');
    this.deps.options.logger.info({ ticket: ticket.id, reason: ticket.reason }, 'ticket left');
    this.deps.effects.changed({ type: 'ticket', ticket });
    await this.deps.effects.publishBoard();
    return ticket;
  }

  async close(id: string, agent: Agent): Promise<Result<Ticket>> {
    const closed = await this.store.closeTicket(id, agent.id);
    if (!closed) return { ok: false, refusal: (await this.store.tickets()).some((t) => t.id === id) ? 'closed' : 'not-found' };
    this.deps.effects.changed({ type: 'ticket', ticket: closed, by: agent });
    await this.deps.effects.publishBoard();
    return { ok: true, value: closed };
  }
}
