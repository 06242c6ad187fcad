import type { DeskState } from '../../knowledge/desk/draft';
import { compareResolved, compareSet, gateOf, type ResolvedFigures, type SetComparison } from '../../knowledge/desk/evaluation';
import { checkEntryFiles, formatProblem } from '../../knowledge/loader';
import { judgeAsBot } from '../kb/judgeAsBot';
import type { DeskContext } from './context';

export interface Evaluation {
  sets: SetComparison[];
  resolved: ResolvedFigures;
  gate: { ok: boolean; reasons: string[] };
  /** Whether the draft has problems no `force` overrides: it could not be served. */
  invalid: boolean;
}

/** Lets turns queued meanwhile run: an evaluation takes seconds, a turn must not wait for all of it. */
const yieldToTurns = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The draft against the served version on the dev sets and on every resolved question, as
 * `kb eval` judges (judgeAsBot), one set at a time with turns let through in between. The
 * same draft against the same served version is evaluated once (evaluate, then publish).
 */
export function evaluator(desk: DeskContext): (state: DeskState) => Promise<Evaluation> {
  let last: { key: string; result: Promise<Evaluation> } | undefined;
  const run = async (state: DeskState): Promise<Evaluation> => {
    const problems = state.draft ? checkEntryFiles(state.draft.files, desk.linkHosts).map(formatProblem) : [];
    await yieldToTurns();
    const after = desk.draftKnowledge(state).router;
    const before = desk.served().router;
    const sets: SetComparison[] = [];
    for (const set of desk.devSets()) {
      await yieldToTurns();
      sets.push(compareSet(set, judgeAsBot(before, set.locale), judgeAsBot(after, set.locale)));
    }
    const items = state.resolutions.flatMap((r) => (r.expected ? [{ question: r.question, expected: r.expected, locale: r.locale }] : []));
    const resolved = compareResolved(items, (locale) => judgeAsBot(before, locale), (locale) => judgeAsBot(after, locale));
    return { sets, resolved, gate: gateOf(sets, problems), invalid: problems.length > 0 };
  };
  return (state) => {
    const key = `${state.stamp}|${desk.following.serving}`;
    if (last?.key !== key) {
      const result = run(state);
      last = { key, result };
      // A failed run is not kept: the next call tries again.
      result.catch(() => (last = undefined));
    }
    return last.result;
  };
}
