import type { Route } from './route';

/**
 * What the bot did with one message: its route, or a person offered rather than fetched — what
 * it does with an indirect request ("叫你们主管来") or a complaint, both of which wait for a yes.
 */
export type Judged = Route | { decision: 'offer-handoff' };

/** Decisions that offer a person: right for a line that asks for one, yet a question back, not an action. */
const OFFERS_PERSON = new Set(['offer-handoff', 'complaint']);

export interface LabelledQuestion {
  question: string;
  /** An entry id, `flow:<name>`, `handoff` or `fallback`. */
  expected: string;
  /** What kind of message it is (typo, long, negated …), when the set says: the per-class table. */
  kind?: string;
  line: number;
}

/** Strict and lenient figures for one group of lines. */
export interface EvalFigures {
  total: number;
  /** Lines that have an answer (expected is not `fallback`): what in-scope and direct-correct divide by. */
  answerable: number;
  /** Lenient: the label matches, a "您是想问" whose first candidate is right included. */
  top1: number;
  /** Top-1 of the lines that have an answer (expected is not `fallback`). */
  inScope: number;
  /** Strict: answered, started or handed off straight and right, of the in-scope lines. */
  directCorrect: number;
  /** Answered, started a flow or handed off wrongly, of all lines. */
  wrongAction: number;
  /** A question back instead of acting — "您是想问" (a list, or one entry to confirm), or a person offered — of all lines. */
  clarify: number;
  fallbackPrecision: number;
  fallbackRecall: number;
}

export interface EvalReport extends EvalFigures {
  /** The same figures per kind of message, for sets that label kinds. */
  byKind: Record<string, EvalFigures>;
  misses: { question: string; expected: string; got: string; decision: string; kind?: string }[];
}

/** Parses `question<TAB>expected[<TAB>kind]` lines; blank lines and `#` comments are skipped. */
export function parseLabelledSet(text: string): LabelledQuestion[] {
  const items: LabelledQuestion[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const [question = '', expected = '', kind] = raw.split('\t').map((cell) => cell.trim());
    if (!raw.includes('\t')) throw new Error(`line ${index + 1}: expected "question<TAB>expected"`);
    if (!question || !expected) throw new Error(`line ${index + 1}: question and expected label must both be present`);
    items.push({ question, expected, line: index + 1, ...(kind ? { kind } : {}) });
  });
  return items;
}

/** The label a route earns: what the eval compares with the expected one. */
export function routeLabel(route: Judged): string {
  switch (route.decision) {
    case 'offer-handoff':
      return 'offer-handoff';
    case 'answer':
    case 'clarify':
    case 'confirm':
      return route.entryId;
    case 'flow':
      return `flow:${route.flow}`;
    case 'handoff':
      return 'handoff';
    case 'complaint':
      return 'complaint';
    case 'fallback':
      return 'fallback';
  }
}

const ratio = (n: number, d: number) => (d === 0 ? 1 : n / d);

/** Decisions that act: a wrong one misleads the user (an answer) or starts the wrong thing. */
const ACTS = new Set(['answer', 'flow', 'handoff']);

interface Outcome {
  expected: string;
  got: string;
  decision: string;
}

/** The label matches — or a person is offered to a line that asks for one. */
const isRight = (o: Outcome) => o.got === o.expected || (o.expected === 'handoff' && OFFERS_PERSON.has(o.decision));

function figures(outcomes: readonly Outcome[]): EvalFigures {
  const inScope = outcomes.filter((o) => o.expected !== 'fallback');
  const predictedFallback = outcomes.filter((o) => o.got === 'fallback');
  const expectedFallback = outcomes.filter((o) => o.expected === 'fallback');
  return {
    total: outcomes.length,
    answerable: inScope.length,
    top1: ratio(outcomes.filter(isRight).length, outcomes.length),
    inScope: ratio(inScope.filter(isRight).length, inScope.length),
    directCorrect: ratio(inScope.filter((o) => isRight(o) && ACTS.has(o.decision)).length, inScope.length),
    wrongAction: ratio(outcomes.filter((o) => !isRight(o) && ACTS.has(o.decision)).length, outcomes.length),
    clarify: ratio(outcomes.filter((o) => o.decision === 'clarify' || o.decision === 'confirm' || OFFERS_PERSON.has(o.decision)).length, outcomes.length),
    fallbackPrecision: ratio(predictedFallback.filter(isRight).length, predictedFallback.length),
    fallbackRecall: ratio(expectedFallback.filter(isRight).length, expectedFallback.length),
  };
}

export function evaluate(items: readonly LabelledQuestion[], route: (question: string) => Judged): EvalReport {
  const outcomes = items.map((item) => {
    const routed = route(item.question);
    return { item, expected: item.expected, got: routeLabel(routed), decision: routed.decision };
  });
  const kinds = [...new Set(items.flatMap((item) => (item.kind ? [item.kind] : [])))].sort();
  return {
    ...figures(outcomes),
    byKind: Object.fromEntries(kinds.map((kind) => [kind, figures(outcomes.filter((o) => o.item.kind === kind))])),
    misses: outcomes
      .filter((o) => !isRight(o))
      .map(({ item, expected, got, decision }) => ({ question: item.question, expected, got, decision, ...(item.kind ? { kind: item.kind } : {}) })),
  };
}
