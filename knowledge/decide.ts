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
  /**
   * When a veto (an out-of-scope example, or the classifier's out-of-scope class) overrides a
   * match this good (`vetoConfirmScore`) and this far ahead of the runner-up
   * (`vetoConfirmGap`), the bot asks "您是想问…吗？" instead of saying it does not know:
   * "怎么重置密碼" in Traditional characters, "换号要钱？？".
   */
  vetoConfirmScore: number;
  vetoConfirmGap: number;
}

/** Chosen on the dev sets by bench/calibrate.ts, the lowest total of OUTCOME_COSTS. */
export const DEFAULT_THRESHOLDS: DecisionThresholds = { answer: 0.5, clarify: 0.3, margin: 0.1, outOfScopeMargin: 0.15, vetoConfirmScore: 0.4, vetoConfirmGap: 0.25 };

export type FaqDecision =
  | { decision: 'answer'; entryId: string }
  | { decision: 'clarify'; candidates: string[] }
  /** One plausible entry, not sure enough to answer: "您是想问「…」吗？"; `others` if the user says no. */
  | { decision: 'confirm'; entryId: string; others: string[] }
  | { decision: 'fallback' };

const MAX_CLARIFY_OPTIONS = 3;

/**
 * What each outcome costs a user, which the confirm thresholds below were chosen to keep
 * lowest on the dev sets (bench/calibrate.ts prints the sums): a wrong answer or a wrong flow
 * misleads or sends a code for nothing; a wrong "I don't know" leaves a question the bot can
 * answer unanswered — as costly; a question back ("您是想问…吗？", a list) costs one more turn.
 */
export const OUTCOME_COSTS = { wrongAction: 3, wrongFallback: 3, question: 1, right: 0 } as const;

/**
 * What to do with ranked FAQ results. Answer a clear winner; when the best few are close ask
 * which one was meant; when only one is plausible but not sure, ask about that one; when
 * nothing is good enough, admit it rather than guess. `vetoed`: an out-of-scope example or the
 * classifier's out-of-scope class is at least as close as the best entry.
 */
export function decide(results: readonly SearchResult[], thresholds: DecisionThresholds, vetoed = false): FaqDecision {
  const [best, runnerUp] = results;
  if (!best || best.score < thresholds.clarify) return { decision: 'fallback' };
  const gap = best.score - (runnerUp?.score ?? 0);
  const others = results.slice(1, 1 + MAX_CLARIFY_OPTIONS).map((r) => r.id);
  const floor = Math.max(thresholds.clarify, best.score - thresholds.margin * 1.5);
  const candidates = results
    .filter((r) => r.score >= floor)
    .slice(0, MAX_CLARIFY_OPTIONS)
    .map((r) => r.id);
  if (vetoed) {
    if (best.score < thresholds.vetoConfirmScore) return { decision: 'fallback' };
    // A good match in doubt, well ahead of the rest, is asked about; close ones are not offered on doubt.
    return gap >= thresholds.vetoConfirmGap ? { decision: 'confirm', entryId: best.id, others } : { decision: 'fallback' };
  }
  const contested = gap < thresholds.margin;
  if (best.score >= thresholds.answer && !contested) return { decision: 'answer', entryId: best.id };
  if (candidates.length === 1) return { decision: 'confirm', entryId: best.id, others };
  return { decision: 'clarify', candidates };
}
