import type { Handoff } from '../../domain/handoff';
import { agentsAvailable } from './duty';
import type { HandoffEffects } from './effects';
import { estimatedWaitMinutes, positions, queueOrder } from './queue';
import type { HandoffStore } from './store';

export interface Wait {
  position: number;
  etaMinutes: number;
}

/** Where each queued user stands and how long they may wait, and telling them when it moved. */
export class QueuePlaces {
  constructor(private readonly deps: { store: HandoffStore; effects: HandoffEffects; defaultHandleMs: number }) {}

  /** The console's queue: chats of the external hub wait in the hub's own. */
  private async queued(): Promise<Handoff[]> {
    return (await this.deps.store.listOpen()).filter((h) => h.status === 'queued' && !h.external);
  }

  async of(id: string): Promise<Wait | undefined> {
    const position = positions(await this.queued()).get(id);
    if (position === undefined) return undefined;
    const agents = (await agentsAvailable(this.deps.store)).length;
    return { position, etaMinutes: estimatedWaitMinutes(position, agents, await this.deps.store.handleTimes(), this.deps.defaultHandleMs) };
  }

  /** Tells each queued user their new place when it changed since they were last told. */
  async tell(): Promise<void> {
    const open = await this.queued();
    const agents = (await agentsAvailable(this.deps.store)).length;
    const handleTimes = await this.deps.store.handleTimes();
    for (const [i, handoff] of queueOrder(open).entries()) {
      const position = i + 1;
      if (handoff.toldPosition === position) continue;
      await this.deps.store.annotate(handoff.id, { toldPosition: position });
      const etaMinutes = estimatedWaitMinutes(position, agents, handleTimes, this.deps.defaultHandleMs);
      await this.deps.effects.safely(handoff.conversation, { type: 'handoff.position', position, etaMinutes });
    }
  }
}
