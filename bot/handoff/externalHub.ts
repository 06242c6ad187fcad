import type { ConversationNotice, Handoff, HandoffRequest, RequestResult } from '../../domain/handoff';
import type { HandoffEffects } from './effects';
import type { HandoffServiceOptions } from './service';
import { CONTEXT_MESSAGES } from './views';

export interface ExternalHubDeps {
  options: HandoffServiceOptions;
  effects: HandoffEffects;
  now: () => number;
  /** A new open handoff (marked external), or the one the conversation already has. */
  open(conversation: string, request: HandoffRequest, external: boolean): Promise<Handoff>;
}

/**
 * External mode (HANDOFF_MODE=external): the conversation goes to a contact-centre hub by
 * the Bot Framework handoff protocol, and the hub's `handoff.status` says how it went. The
 * hub queues the chat itself: nothing here reaches the console's queue or the Teams channel.
 */
export class ExternalHub {
  constructor(private readonly deps: ExternalHubDeps) {}

  private get store() {
    return this.deps.options.store;
  }

  async request(
    conversation: string,
    request: HandoffRequest,
    initiate: NonNullable<HandoffServiceOptions['initiateExternal']>,
  ): Promise<RequestResult> {
    if (await this.store.openFor(conversation)) return { status: 'external' };
    if (!(await this.deps.effects.admitted())) return { status: 'limited' };
    const handoff = await this.deps.open(conversation, request, true);
    const transcript = (await this.store.transcript(conversation)).slice(-CONTEXT_MESSAGES);
    await this.deps.effects.requested(request.reason);
    await initiate(conversation, { context: handoff.context, transcript });
    this.deps.options.logger.info({ handoff: handoff.id, reason: request.reason }, 'handoff initiated with the external hub');
    return { status: 'external' };
  }

  /**
   * A `handoff.status` from the hub: accepted (an agent has the chat), completed (back to the
   * bot) or failed (nobody will come). Returns what the conversation is told.
   */
  async status(conversation: string, state: 'accepted' | 'completed' | 'failed'): Promise<ConversationNotice | undefined> {
    const handoff = await this.store.openFor(conversation);
    if (!handoff?.external) return undefined;
    const now = this.deps.now();
    if (state === 'accepted') {
      const accepted = await this.store.transition(handoff.id, ['queued'], { status: 'active', claimedAt: now });
      if (!accepted) return undefined;
      this.deps.effects.claimed(accepted, now);
      return { type: 'handoff.claimed', agentName: '' };
    }
    const closed = await this.store.transition(handoff.id, ['queued', 'active'], { status: state === 'completed' ? 'resolved' : 'expired', closedAt: now });
    if (!closed) return undefined;
    this.deps.effects.count(state === 'completed' ? 'resolved' : 'expired');
    return state === 'completed' ? { type: 'handoff.resolved' } : { type: 'handoff.expired' };
  }
}
