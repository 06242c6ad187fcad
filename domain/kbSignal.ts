import type { Locale } from './locale';

/** Something for the knowledge-base authors: a question we could not answer, or a vote. */
export type KbSignal =
  | { kind: 'unanswered'; question: string; locale: Locale }
  | { kind: 'feedback'; vote: 'up' | 'down'; entryId: string; question: string; locale: Locale };
