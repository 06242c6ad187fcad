import type { DeskState } from '../../knowledge/desk/draft';
import { compareResolved, compareSet, gateOf, type Judge, type ResolvedFigures, type SetComparison } from '../../knowledge/desk/evaluation';
import type { Judged } from '../../knowledge/eval';
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

/** Work between two yields: a turn's every step waits at most about this long. */
const SLICE_MS = 10;

/** Every question of `items` judged ahead, a slice at a time, so the comparison itself is a lookup. */
async function judgedAhead(items: readonly { question: string }[], judge: Judge): Promise<Judge> {
  const judged = new Map<string, Judged>();
  let slice = Date.now();
  for (const { question } of items) {
    if (Date.now() - slice >= SLICE_MS) {
      await yieldToTurns();
      slice = Date.now();
    }
    if (!judged.has(question)) judged.set(question, judge(question));
  }
  return (question) => judged.get(question) ?? judge(question);
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
    await yieldToTurns();
    const after = desk.draftKnowledge(state).router;
    const before = desk.served().router;
    const sets: SetComparison[] = [];
    for (const set of desk.devSets()) {
      sets.push(compareSet(set, await judgedAhead(set.items, judgeAsBot(before, set.locale)), await judgedAhead(set.items, judgeAsBot(after, set.locale))));
    }
    const items = state.resolutions.flatMap((r) => (r.expected ? [{ question: r.question, expected: r.expected, locale: r.locale }] : []));
    const resolved = compareResolved(items, (locale) => judgeAsBot(before, locale), (locale) => judgeAsBot(after, locale));
    // A version published since the draft began (another lead, the CLI, a rollback) would be undone by it.
    const latest = await desk.versions.latest();
    const base = state.draft && state.draft.base !== latest ? [`version ${latest} was published after this draft began from ${state.draft.base === 0 ? 'the seed files' : `version ${state.draft.base}`}: publishing it undoes that version's changes`] : [];
    const gate = gateOf(sets, problems, base);
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
