import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_THRESHOLDS, OUTCOME_COSTS, type DecisionThresholds } from '../knowledge/decide';
import { parseConversationSet } from '../knowledge/conversationEval';
import { parseLabelledSet, routeLabel, type LabelledQuestion } from '../knowledge/eval';
import { openKnowledge } from '../knowledge/index';
import type { Route } from '../knowledge/route';
import { LOCALES, type Locale } from '../knowledge/schema';
import { table } from './lib/stats';

/**
 * 7. Confirm thresholds: what each choice of "ask instead of saying I don't know after a veto"
 * (`vetoConfirmScore`, `vetoConfirmGap`) costs on the dev sets only, in OUTCOME_COSTS — the
 * blind sets are never read here. The lowest total is the default in knowledge/decide.ts.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const SCORES = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, Number.POSITIVE_INFINITY];
const GAPS = [0.15, 0.2, 0.25, 0.3, 0.35, 0.4];

/** One message's cost: 0 right, a question back, or a wrong answer / wrong "I don't know". */
export function costOf(expected: string, route: Route): number {
  const got = routeLabel(route);
  if (route.decision === 'clarify' || route.decision === 'confirm') return OUTCOME_COSTS.question;
  if (got === expected) return OUTCOME_COSTS.right;
  return route.decision === 'fallback' ? OUTCOME_COSTS.wrongFallback : OUTCOME_COSTS.wrongAction;
}

/** The dev sets of a locale, by file name stem: the first (written with sight of the knowledge base) and dev-2 (without). */
const DEV_STEMS = (locale: Locale) => [locale, `dev2-${locale}`];

/** The first message of each dev conversation whose expectation is a route (an entry, a flow, a person, "I don't know"). */
function openingQuestions(stem: string, isEntry: (id: string) => boolean): LabelledQuestion[] {
  const scripts = parseConversationSet(fs.readFileSync(path.join(ROOT, 'knowledge', 'eval', 'conversations', `${stem}.yaml`), 'utf8'));
  return scripts.flatMap((script, line) => {
    const [first] = script.turns;
    const routed = first && (isEntry(first.expect) || first.expect.startsWith('flow:') || first.expect === 'handoff' || first.expect === 'fallback');
    return first && routed ? [{ question: first.user, expected: first.expect, line }] : [];
  });
}

export async function calibrateBenchmark(): Promise<string> {
  const { router: defaults } = openKnowledge({ dir: path.join(ROOT, 'knowledge', 'data') });
  const sets = LOCALES.map((locale) => ({
    locale,
    items: DEV_STEMS(locale).flatMap((stem) => [
      ...parseLabelledSet(fs.readFileSync(path.join(ROOT, 'knowledge', 'eval', `${stem}.tsv`), 'utf8')),
      ...openingQuestions(stem, (id) => defaults.entry(id, locale) !== undefined),
    ]),
  }));
  const totalFor = (thresholds: DecisionThresholds) => {
    const { router } = openKnowledge({ dir: path.join(ROOT, 'knowledge', 'data'), thresholds });
    let cost = 0;
    let questions = 0;
    for (const { locale, items } of sets) {
      for (const item of items) {
        const route = router.route(item.question, locale);
        cost += costOf(item.expected, route);
        if (route.decision === 'confirm' || route.decision === 'clarify') questions++;
      }
    }
    return { cost, questions };
  };
  const rows: (string | number)[][] = [];
  // The lowest total; between equals, the fewest questions back.
  let best: { score: number; gap: number; cost: number; questions: number } | undefined;
  for (const score of SCORES) {
    for (const gap of GAPS) {
      if (!Number.isFinite(score) && gap !== GAPS[0]) continue;
      const { cost, questions } = totalFor({ ...DEFAULT_THRESHOLDS, vetoConfirmScore: score, vetoConfirmGap: gap });
      rows.push([Number.isFinite(score) ? score : 'off', Number.isFinite(score) ? gap : '—', cost, questions]);
      if (!best || cost < best.cost || (cost === best.cost && questions < best.questions)) best = { score, gap, cost, questions };
    }
  }
  const lines = sets.reduce((n, s) => n + s.items.length, 0);
  return [
    `Dev and dev-2 sets only (${lines} messages, zh-CN and en-US: the single-message sets and the first message of each of their conversations); costs per message: wrong answer or flow ${OUTCOME_COSTS.wrongAction}, wrong "I don't know" ${OUTCOME_COSTS.wrongFallback}, a question back ${OUTCOME_COSTS.question}, right 0.`,
    '',
    table(['veto → confirm from score', 'and gap to runner-up', 'total cost', 'questions back'], rows),
    '',
    `Lowest (fewest questions back between equals): score ${best?.score}, gap ${best?.gap} (total ${best?.cost}); the default is score ${DEFAULT_THRESHOLDS.vetoConfirmScore}, gap ${DEFAULT_THRESHOLDS.vetoConfirmGap}.`,
    '',
    'What this does not show: the blind sets (never used to choose); costs are our estimate of what each outcome costs a user, not measured.',
  ].join('\n');
}
