import type { KnowledgeBase } from './loader';
import { isAct, isFaq, type KbEntry } from './schema';

/**
 * How big a knowledge base is, counted one way for `kb check`, the start-up log, /healthz and
 * /readyz: `entries` is every entry of the files; the rest say what kind they are.
 */
export interface KbCounts {
  entries: number;
  /** FAQ entries with an answer. */
  answers: number;
  /** Examples of conversation acts. */
  acts: number;
  /** Out-of-scope examples (and FAQ-kind entries without an answer). */
  outOfScope: number;
}

export function countEntries(all: readonly KbEntry[]): KbCounts {
  const answers = all.filter(isFaq).length;
  const acts = all.filter(isAct).length;
  return { entries: all.length, answers, acts, outOfScope: all.length - answers - acts };
}

/** The loaded base keeps acts apart from what is searched; both are its entries. */
export function countKnowledge(kb: Pick<KnowledgeBase, 'entries' | 'acts'>): KbCounts {
  return countEntries([...kb.entries, ...kb.acts]);
}
