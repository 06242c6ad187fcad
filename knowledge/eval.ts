import type { Route, Router } from './route';

export interface LabelledQuestion {
  question: string;
  /** An entry id, `flow:<name>`, `handoff` or `fallback`. */
  expected: string;
  line: number;
}

export interface EvalReport {
  total: number;
  top1: number;
  inScope: number;
  fallbackPrecision: number;
  fallbackRecall: number;
  misses: { question: string; expected: string; got: string }[];
}

/** Parses `question<TAB>expected` lines; blank lines and `#` comments are skipped. */
export function parseLabelledSet(text: string): LabelledQuestion[] {
  const items: LabelledQuestion[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const tab = raw.lastIndexOf('\t');
    if (tab < 0) throw new Error(`line ${index + 1}: expected "question<TAB>expected"`);
    const question = raw.slice(0, tab).trim();
    const expected = raw.slice(tab + 1).trim();
    if (!question || !expected) throw new Error(`line ${index + 1}: question and expected label must both be present`);
    items.push({ question, expected, line: index + 1 });
  });
  return items;
}

/** The label a route earns: what the eval compares with the expected one. */
export function routeLabel(route: Route): string {
  switch (route.decision) {
    case 'answer':
    case 'clarify':
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

export function evaluate(items: readonly LabelledQuestion[], route: (question: string) => Route): EvalReport {
  let right = 0;
  let inScopeTotal = 0;
  let inScopeRight = 0;
  let predictedFallback = 0;
  let trueFallback = 0;
  let expectedFallback = 0;
  const misses: EvalReport['misses'] = [];
  for (const item of items) {
    const got = routeLabel(route(item.question));
    const ok = got === item.expected;
    if (ok) right++;
    else misses.push({ question: item.question, expected: item.expected, got });
    if (item.expected === 'fallback') expectedFallback++;
    else {
      inScopeTotal++;
      if (ok) inScopeRight++;
    }
    if (got === 'fallback') {
      predictedFallback++;
      if (item.expected === 'fallback') trueFallback++;
    }
  }
  return {
    total: items.length,
    top1: ratio(right, items.length),
    inScope: ratio(inScopeRight, inScopeTotal),
    fallbackPrecision: ratio(trueFallback, predictedFallback),
    fallbackRecall: ratio(trueFallback, expectedFallback),
    misses,
  };
}

export function evaluateWithRouter(items: readonly LabelledQuestion[], router: Router): EvalReport {
  return evaluate(items, (question) => router.route(question));
}
