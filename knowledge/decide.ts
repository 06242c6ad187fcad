import type { SearchResult } from './search';

export interface DecisionThresholds {
  /** Best score from which the top entry is answered directly. */
  answer: number;
  /** Best score from which candidates are offered in a clarification; below → fallback. */
  clarify: number;
  /** A runner-up closer than this to the best score makes the answer ambiguous. */
  margin: number;
  /** An out-of-scope example within this distance of the best FAQ match vetoes it. */
  outOfScopeMargin: number;
}

export const DEFAULT_THRESHOLDS: DecisionThresholds = { answer: 0.5, clarify: 0.3, margin: 0.1, outOfScopeMargin: 0.15 };

export type FaqDecision =
  | { decision: 'answer'; entryId: string }
  | { decision: 'clarify'; candidates: string[] }
  | { decision: 'fallback' };

const MAX_CLARIFY_OPTIONS = 3;

/**
 * What to do with ranked FAQ results. Answer a clear winner; when the best few are close
 * (or the best is only fairly good) ask which one was meant; when nothing is good enough,
 * admit it rather than guess.
 */
export function decide(results: readonly SearchResult[], thresholds: DecisionThresholds): FaqDecision {
  const [best, runnerUp] = results;
  if (!best || best.score < thresholds.clarify) return { decision: 'fallback' };
  const contested = runnerUp !== undefined && best.score - runnerUp.score < thresholds.margin;
  if (best.score >= thresholds.answer && !contested) return { decision: 'answer', entryId: best.id };
  const floor = Math.max(thresholds.clarify, best.score - thresholds.margin * 1.5);
  const candidates = results
    .filter((r) => r.score >= floor)
    .slice(0, MAX_CLARIFY_OPTIONS)
    .map((r) => r.id);
  return { decision: 'clarify', candidates };
}
