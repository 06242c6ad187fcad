import type { DecisionThresholds } from '../../knowledge/decide';
import type { Route, VetoReason } from '../../knowledge/route';

const n = (score: number) => score.toFixed(3);

function vetoLine(why: VetoReason): string {
  const against = why.against ? ` vetoed ${why.against.id} (similarity ${n(why.against.score)})` : ' vetoed every FAQ entry (none matched)';
  switch (why.by) {
    case 'out-of-scope example':
      return `the out-of-scope example ${why.example} "${why.matched}" (similarity ${n(why.score)}; its words ${why.words.map((w) => `"${w}"`).join(', ')})${against}`;
    case 'classifier':
      return `the classifier's out-of-scope class (probability ${n(why.probability)})${against}`;
    case 'product named':
      return `someone else's product named (${why.names.join(', ')}), which no matching entry speaks of,${against}`;
  }
}

/**
 * Why `kb ask`'s message was asked about ("您是想问…吗？") or fell back, in one line an author can
 * act on: what vetoed which entry with the scores, or how far the best match was from a threshold.
 */
export function explainRoute(route: Route, thresholds: DecisionThresholds): string | undefined {
  if ((route.decision === 'fallback' || route.decision === 'confirm') && route.vetoedBy) return `why: ${vetoLine(route.vetoedBy)}`;
  if (route.decision !== 'fallback') return undefined;
  const best = route.results[0];
  if (!best) return 'why: no FAQ entry matched any word of it';
  return `why: the best match ${best.id} scored ${n(best.score)}, under the clarify threshold ${n(thresholds.clarify)}`;
}
