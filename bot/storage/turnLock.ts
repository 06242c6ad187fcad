/**
 * Turns of one conversation never run at the same time: not two messages sent in quick
 * succession, not a message and an agent's reply, not on two instances. ConversationState
 * saves with "*" (last writer wins), so this lock is what keeps state from being lost.
 */
export interface TurnLock {
  /** Runs `work` holding the conversation's lock; throws `ConversationBusyError` if it cannot be had in time. */
  run<T>(conversation: string, work: () => Promise<T>): Promise<T>;
}

export class ConversationBusyError extends Error {
  override readonly name = 'ConversationBusyError';
}
