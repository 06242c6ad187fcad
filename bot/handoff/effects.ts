import type { ConversationNotice, Handoff, HandoffReason, Ticket, TranscriptEntry } from '../../domain/handoff';
import type { HandoffEvent } from '../metrics';
import type { Agent, HandoffServiceOptions } from './service';

/**
 * What just happened to a handoff or a ticket, told to watchers on the instance where it
 * happened only (once per change, however many instances there are): the Teams agents'
 * channel follows the queue and the tickets by these, as consoles do by the bus.
 */
export type HandoffChange =
  | { type: 'queued' | 'claimed' | 'closed'; handoff: Handoff }
  | { type: 'recorded'; handoff: Handoff; entries: readonly TranscriptEntry[] }
  /** A ticket left (open) or closed (done, `by` the agent who called back). */
  | { type: 'ticket'; ticket: Ticket; by?: Agent };

/**
 * What the parts of the handoff service do beside their decisions, the same way in each:
 * count for the metrics, tell this instance's watchers, tell consoles, tell a user without
 * letting an unreachable one fail an agent's action.
 */
export class HandoffEffects {
  private readonly watchers = new Set<(change: HandoffChange) => void>();

  constructor(private readonly options: HandoffServiceOptions) {}

  watch(listener: (change: HandoffChange) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  changed(change: HandoffChange): void {
    for (const watcher of this.watchers) watcher(change);
  }

  count(event: HandoffEvent): void {
    this.options.metrics?.handoff(event);
  }

  /** A new handoff counts, by why it was asked for. */
  async requested(reason: HandoffReason): Promise<void> {
    this.count('requested');
    await this.options.insights?.record({ kind: 'handoff', reason });
  }

  /** A claim counts, and how long the chat waited for it. */
  claimed(handoff: Handoff, now: number): void {
    this.count('claimed');
    this.options.metrics?.queueWait(((handoff.claimedAt ?? now) - handoff.createdAt) / 1000);
  }

  async publishBoard(): Promise<void> {
    await this.options.bus.publish({ type: 'board' });
  }

  /** A notice that cannot be delivered (the user left, the channel is down) must not fail the agent's action. */
  async safely(conversation: string, notice: ConversationNotice): Promise<void> {
    try {
      await this.options.notify(conversation, notice);
    } catch (error) {
      this.options.logger.warn({ err: error, notice: notice.type }, 'could not deliver a handoff notice');
    }
  }

  async admitted(): Promise<boolean> {
    return this.options.admit ? this.options.admit() : true;
  }
}
