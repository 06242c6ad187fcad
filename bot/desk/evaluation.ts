import { inSlices, type Sliced } from '../../knowledge/slices';
import type { DeskState } from '../../knowledge/desk/draft';
import { compareResolved, compareSet, gateOf, type Judge, type ResolvedFigures, type SetComparison } from '../../knowledge/desk/evaluation';
import type { Judged } from '../../knowledge/eval';
import { checkEntryFiles, formatProblem } from '../../knowledge/loader';
import { judgeAsBot } from '../kb/judgeAsBot';
import type { DeskContext } from './context';

export interface Evaluation {
  sets: SetComparison[];
  resolved: ResolvedFigures;
  gate: ReturnType<typeof gateOf>;
  /** Whether the draft has problems no `force` overrides: it could not be served. */
  invalid: boolean;
}

/** Lets turns queued meanwhile run: an evaluation takes seconds, a turn must not wait for all of it. */
/** Every question of `items` judged ahead, in slices between turns as a build is, so the comparison itself is a lookup. */
function judgedAhead(items: readonly { question: string }[], judge: Judge): Promise<Judge> {
  function* judging(): Sliced<Judge> {
    const judged = new Map<string, Judged>();
    for (const { question } of items) {
      if (!judged.has(question)) judged.set(question, judge(question));
      yield;
    }
    return (question) => judged.get(question) ?? judge(question);
  }
  return inSlices(judging());
}

/**
 * The draft against the served version on the dev sets and on every resolved question, as
 * `kb eval` judges (judgeAsBot), a slice of lines at a time with turns let through in between. The
 * same draft against the same served version is evaluated once (evaluate, then publish).
 */
export function evaluator(desk: DeskContext): (state: DeskState) => Promise<Evaluation> {
  let last: { key: string; result: Promise<Evaluation> } | undefined;
  const run = async (state: DeskState): Promise<Evaluation> => {
    const started = Date.now();
    const problems = state.draft ? checkEntryFiles(state.draft.files, desk.linkHosts).map(formatProblem) : [];
    const after = (await desk.draftKnowledge(state)).router;
    const before = desk.served().router;
    const sets: SetComparison[] = [];
    for (const set of desk.devSets()) {
      sets.push(compareSet(set, await judgedAhead(set.items, judgeAsBot(before, set.locale)), await judgedAhead(set.items, judgeAsBot(after, set.locale))));
    }
    const items = state.resolutions.flatMap((r) => (r.expected ? [{ question: r.question, expected: r.expected, locale: r.locale }] : []));
    const resolved = compareResolved(items, (locale) => judgeAsBot(before, locale), (locale) => judgeAsBot(after, locale));
    const latest = await desk.versions.latest();
    const gate = gateOf(sets, problems, state.draft && state.draft.base !== latest ? { latest, base: state.draft.base } : undefined);
    const lines = desk.devSets().reduce((n, set) => n + set.items.length, 0) + items.length;
    desk.logger.info({ ms: Date.now() - started, lines, ok: gate.ok }, 'knowledge desk evaluation');
    return { sets, resolved, gate, invalid: problems.length > 0 };
  };
  return (state) => {
    const key = `${state.stamp}|${desk.following.serving}|${state.draft?.base}`;
    if (last?.key !== key) {
      const result = run(state);
      last = { key, result };
      // A failed run is not kept: the next call tries again.
      result.catch(() => (last = undefined));
    }
    return last.result;
  };
}
