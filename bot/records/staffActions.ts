import type { Logger } from '../logger';
import type { Outbox } from './outbox';
import { recordId } from './recordId';
import type { DurableRecord } from './schema';

/** What staff may do that the audit log keeps. */
export type StaffAction =
  | 'chat.claim'
  | 'chat.resolve'
  | 'chat.note'
  | 'ticket.close'
  | 'history.search'
  | 'kb.draft.save'
  | 'kb.unanswered.resolve'
  | 'kb.publish'
  | 'kb.rollback'
  | 'privacy.export'
  | 'privacy.delete';

export type StaffDetail = NonNullable<Extract<DurableRecord, { kind: 'staff' }>['detail']>;

/**
 * The audit log of staff actions: who did what to which record, as `staff` records through
 * the outbox (PostgreSQL), or only in the log without a database. Callers pass ids and
 * counts, never what a user or agent wrote.
 */
export class StaffActions {
  constructor(
    private readonly logger: Logger,
    private readonly outbox?: Pick<Outbox, 'push'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Never throws: the action itself has happened; an audit row that cannot be queued is logged instead. */
  async record(actor: string, action: StaffAction, target?: string, detail?: StaffDetail): Promise<void> {
    const fields = { actor, action, ...(target === undefined ? {} : { target }), ...(detail === undefined ? {} : { detail }) };
    if (!this.outbox) {
      this.logger.info(fields, 'staff action');
      return;
    }
    const at = this.now();
    try {
      await this.outbox.push([{ kind: 'staff', id: recordId(at), at, ...fields }]);
    } catch (error) {
      this.logger.warn({ err: error, ...fields }, 'staff action kept only in this log: the outbox refused it');
    }
  }
}
