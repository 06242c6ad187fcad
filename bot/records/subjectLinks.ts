import type { Logger } from '../logger';
import type { Outbox } from './outbox';
import { phoneKeyOf } from './phoneKey';
import { recordId } from './recordId';

/** Links remembered per process before the memory is started afresh: repeats are harmless (the table's key), only wasteful. */
const REMEMBERED = 50_000;

/**
 * Links a conversation to the numbers its user gave the guided flows, as `subject` records:
 * how `npm run privacy` later finds every conversation of a number. Each link is queued once
 * per process (its keyed hash, never the number, is what this remembers).
 */
export class SubjectLinks {
  private readonly queued = new Set<string>();

  constructor(
    private readonly outbox: Pick<Outbox, 'push'>,
    private readonly secret: string,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Never throws: a link that cannot be queued is logged, and the turn goes on. */
  async note(conversation: string, numbers: readonly string[] | undefined): Promise<void> {
    const fresh = (numbers ?? []).map((number) => phoneKeyOf(this.secret, number)).filter((key) => !this.queued.has(`${conversation}|${key}`));
    if (fresh.length === 0) return;
    const at = this.now();
    try {
      await this.outbox.push([...new Set(fresh)].map((phoneKey) => ({ kind: 'subject' as const, id: recordId(at), phoneKey, conversation, at })));
      if (this.queued.size + fresh.length > REMEMBERED) this.queued.clear();
      for (const key of fresh) this.queued.add(`${conversation}|${key}`);
    } catch (error) {
      this.logger.warn({ err: error }, 'subject link not queued; queued again at the next turn that sees the number');
    }
  }
}
